/// Reads a RIFF/RF64 WAVE header from a byte source and leaves the source positioned at
/// the first byte of audio in the `data` chunk.
///
/// Accepts PCM (8/16/24/32-bit), IEEE float (32/64), G.711 mu-law (tag 7) and A-law
/// (tag 6), WAVE_FORMAT_EXTENSIBLE with any of those sub-formats, any number of other
/// chunks (LIST, bext, fact, JUNK) in any order, and RF64's `ds64` sizes. Every size is
/// checked against the file's length when it is known, so a corrupt header is reported,
/// never trusted.
public enum WAVHeaderParser {
    /// Upper bound on chunks scanned before `data`: a guard against pathological files.
    static let maxChunks = 4096

    public static func parse<S: ByteSource>(_ source: inout S) throws -> WAVLayout {
        let total = source.totalBytes
        if total == 0 { throw AudioInputError.emptyFile }
        let riff = try source.readBytes(12)
        if riff.isEmpty { throw AudioInputError.emptyFile }
        let magic = String(decoding: riff.prefix(4), as: UTF8.self)
        if riff.count >= 4, magic == "RIFX" { throw AudioInputError.bigEndianRIFX }
        guard riff.count == 12, magic == "RIFF" || magic == "RF64" || magic == "BW64",
            String(decoding: riff[8..<12], as: UTF8.self) == "WAVE"
        else {
            if riff.count < 12, detectOtherFormat(riff) == nil {
                throw AudioInputError.tooShort(bytes: riff.count)
            }
            throw AudioInputError.notWAV(detected: detectOtherFormat(riff))
        }
        let isRF64 = magic != "RIFF"
        var position = 12
        var format: WAVFormat?
        var ds64DataSize: UInt64?

        for _ in 0..<maxChunks {
            let header = try source.readBytes(8)
            position += header.count
            guard header.count == 8 else {
                throw format == nil ? AudioInputError.missingFormatChunk : AudioInputError.missingDataChunk
            }
            let id = String(decoding: header[0..<4].map { (0x20...0x7E).contains($0) ? $0 : 0x3F }, as: UTF8.self)
            let size = UInt64(readUInt32(header, 4))
            let remaining = total.map { $0 - position }

            switch id {
            case "fmt ":
                guard size >= 16, size <= 1024 else { throw AudioInputError.absurdFormatChunk(size: size) }
                if let remaining, size > UInt64(remaining) {
                    throw AudioInputError.corruptChunk(id: id, claimed: size, available: remaining)
                }
                let body = try source.readBytes(Int(size))
                position += body.count
                format = try parseFormat(body)
                if size % 2 == 1 { position += try source.skip(1) }

            case "ds64":
                guard size >= 24, size <= 1024 else {
                    throw AudioInputError.corruptChunk(id: id, claimed: size, available: remaining ?? 0)
                }
                let body = try source.readBytes(Int(size))
                position += body.count
                guard body.count == Int(size) else { throw AudioInputError.missingDataChunk }
                ds64DataSize = UInt64(readUInt32(body, 8)) | (UInt64(readUInt32(body, 12)) << 32)

            case "data":
                guard let format else { throw AudioInputError.missingFormatChunk }
                var declared: UInt64? = size
                if isRF64, size == 0xFFFF_FFFF { declared = ds64DataSize }
                else if size == 0xFFFF_FFFF { declared = nil }
                if declared == 0 {
                    // A recorder that never finalised its header leaves 0 here; if audio
                    // follows, read it to the end of the file.
                    if let remaining, remaining >= format.blockAlign { declared = nil }
                    else if remaining == nil { declared = nil }
                    else { throw AudioInputError.noAudio }
                }
                if let remaining, remaining < format.blockAlign, declared != nil {
                    throw AudioInputError.noAudio
                }
                return WAVLayout(format: format, declaredDataBytes: declared)

            default:
                if let remaining, size > UInt64(remaining) {
                    throw AudioInputError.corruptChunk(id: id, claimed: size, available: remaining)
                }
                let padded = Int(size + size % 2)
                let skipped = try source.skip(padded)
                position += skipped
                if skipped < Int(size) {
                    throw AudioInputError.corruptChunk(id: id, claimed: size, available: skipped)
                }
            }
        }
        throw AudioInputError.missingDataChunk
    }

    static func parseFormat(_ body: [UInt8]) throws -> WAVFormat {
        var tag = readUInt16(body, 0)
        let channels = Int(readUInt16(body, 2))
        let sampleRate = Int(readUInt32(body, 4))
        let blockAlign = Int(readUInt16(body, 12))
        let bits = Int(readUInt16(body, 14))

        if tag == 0xFFFE {
            guard body.count >= 40 else { throw AudioInputError.absurdFormatChunk(size: UInt64(body.count)) }
            // The sub-format GUID starts at byte 24; its first two bytes are the format tag.
            tag = readUInt16(body, 24)
        }
        guard (1...16).contains(channels) else { throw AudioInputError.invalidChannelCount(channels) }
        guard (4000...384_000).contains(sampleRate) else { throw AudioInputError.invalidSampleRate(sampleRate) }

        let encoding: SampleEncoding
        switch tag {
        case 1:
            // Valid bits round up to a whole-byte container (20-bit audio is stored in 24).
            let container = (bits + 7) / 8 * 8
            guard [8, 16, 24, 32].contains(container) else {
                throw AudioInputError.unsupportedBitDepth(codec: "PCM", bits: bits)
            }
            encoding = .pcm(containerBits: container)
        case 3:
            guard bits == 32 || bits == 64 else { throw AudioInputError.unsupportedBitDepth(codec: "float", bits: bits) }
            encoding = .float(bits: bits)
        case 6:
            guard bits == 8 else { throw AudioInputError.unsupportedBitDepth(codec: "A-law", bits: bits) }
            encoding = .aLaw
        case 7:
            guard bits == 8 else { throw AudioInputError.unsupportedBitDepth(codec: "mu-law", bits: bits) }
            encoding = .muLaw
        default:
            throw AudioInputError.unsupportedCodec(tag: tag, name: codecName(tag))
        }
        let format = WAVFormat(encoding: encoding, channels: channels, sampleRate: sampleRate)
        guard blockAlign == format.blockAlign else {
            throw AudioInputError.inconsistentBlockAlign(blockAlign: blockAlign, expected: format.blockAlign)
        }
        return format
    }

    static func codecName(_ tag: UInt16) -> String {
        switch tag {
        case 0x0002: return "Microsoft ADPCM"
        case 0x0011: return "IMA ADPCM"
        case 0x0031: return "GSM 6.10"
        case 0x0040: return "G.721 ADPCM"
        case 0x0050: return "MPEG"
        case 0x0055: return "MP3"
        case 0x0064: return "G.726 ADPCM"
        case 0x0065: return "G.722 ADPCM"
        case 0x00FF: return "AAC"
        case 0x1610: return "HE-AAC"
        case 0x6750: return "Vorbis"
        case 0xF1AC: return "FLAC"
        default: return "unknown"
        }
    }

    static func detectOtherFormat(_ bytes: [UInt8]) -> String? {
        func starts(_ s: String) -> Bool { bytes.starts(with: Array(s.utf8)) }
        if starts("ID3") || (bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) { return "MP3 audio" }
        if starts("OggS") { return "Ogg audio (Vorbis or Opus)" }
        if starts("fLaC") { return "FLAC audio" }
        if starts(".snd") { return "Sun/NeXT AU audio" }
        if starts("FORM") { return "AIFF audio" }
        if bytes.count >= 8, String(decoding: bytes[4..<8], as: UTF8.self) == "ftyp" { return "MP4/M4A audio" }
        if starts("#!AMR") { return "AMR audio" }
        if starts("<") || starts("{") { return "a text file" }
        return nil
    }

    @inline(__always) static func readUInt16(_ b: [UInt8], _ o: Int) -> UInt16 {
        guard o + 1 < b.count else { return 0 }
        return UInt16(b[o]) | UInt16(b[o + 1]) << 8
    }

    @inline(__always) static func readUInt32(_ b: [UInt8], _ o: Int) -> UInt32 {
        guard o + 3 < b.count else { return 0 }
        return UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
}
