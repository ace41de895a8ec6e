import CrisisCueCore
import Testing

/// Reads a whole in-memory WAV through the streaming reader, in small blocks and with
/// short reads, as a file would be read.
func readAll(_ bytes: [UInt8], channel: ChannelSelection = .mix, maxRead: Int = 37) throws -> (samples: [Float], reader: WAVStreamReader<MemoryByteSource>) {
    var reader = try WAVStreamReader(source: MemoryByteSource(bytes, maxRead: maxRead), channel: channel, framesPerBlock: 100)
    var all: [Float] = []
    var block: [Float] = []
    while try reader.read(into: &block) { all += block }
    return (all, reader)
}

func ramp(_ n: Int) -> [Float] { (0..<n).map { Float($0 % 200 - 100) / 128 } }

@Suite("WAV formats a call recorder produces")
struct WAVFormatTests {
    static let encodings: [(SampleEncoding, Float)] = [
        (.pcm(containerBits: 8), 1.0 / 128), (.pcm(containerBits: 16), 1.0 / 32768),
        (.pcm(containerBits: 24), 1.0 / 8_388_608), (.pcm(containerBits: 32), 1e-7),
        (.float(bits: 32), 0), (.float(bits: 64), 1e-7), (.muLaw, 0.032), (.aLaw, 0.032),
    ]

    @Test("every encoding, mono, round-trips within its quantisation", arguments: 0..<8)
    func monoRoundTrip(index: Int) throws {
        let (encoding, tolerance) = Self.encodings[index]
        let samples = ramp(1000)
        let format = WAVFormat(encoding: encoding, channels: 1, sampleRate: 8000)
        let (decoded, reader) = try readAll(WAVEncoder.file(samples, format: format))
        #expect(reader.format == format)
        #expect(decoded.count == samples.count)
        let worst = zip(decoded, samples).map { abs($0 - $1) }.max() ?? 0
        // G.711 is logarithmic: its error grows with the amplitude (at most 1/32 of full scale here).
        #expect(worst <= tolerance + 1e-6, "\(encoding.name): worst error \(worst)")
        #expect(reader.truncation == nil)
    }

    @Test("every sample rate a recorder writes", arguments: [8000, 11025, 16000, 22050, 44100, 48000])
    func sampleRates(rate: Int) throws {
        let format = WAVFormat(encoding: .pcm(containerBits: 16), channels: 1, sampleRate: rate)
        let (decoded, reader) = try readAll(WAVEncoder.file(ramp(rate / 10), format: format))
        #expect(reader.format.sampleRate == rate)
        #expect(decoded.count == rate / 10)
    }

    @Test("stereo: left, right or the mix of both", arguments: [SampleEncoding.pcm(containerBits: 16), .muLaw, .float(bits: 32)])
    func stereoChannels(encoding: SampleEncoding) throws {
        let frames = 400
        var interleaved: [Float] = []
        for _ in 0..<frames { interleaved += [0.5, -0.25] }
        let format = WAVFormat(encoding: encoding, channels: 2, sampleRate: 8000)
        let bytes = WAVEncoder.file(interleaved, format: format)
        let left = try readAll(bytes, channel: .left).samples
        let right = try readAll(bytes, channel: .right).samples
        let mix = try readAll(bytes, channel: .mix).samples
        #expect(left.count == frames && right.count == frames && mix.count == frames)
        #expect(abs(left[10] - 0.5) < 0.02)
        #expect(abs(right[10] + 0.25) < 0.02)
        #expect(abs(mix[10] - 0.125) < 0.02)
    }

    @Test("WAVE_FORMAT_EXTENSIBLE with PCM, float and mu-law sub-formats", arguments: [SampleEncoding.pcm(containerBits: 24), .float(bits: 32), .muLaw])
    func extensible(encoding: SampleEncoding) throws {
        let format = WAVFormat(encoding: encoding, channels: 2, sampleRate: 48000)
        let samples = ramp(960)
        let (decoded, reader) = try readAll(WAVEncoder.file(samples, format: format, extensible: true), channel: .left)
        #expect(reader.format == format)
        #expect(decoded.count == 480)
    }

    @Test("other chunks before and between fmt and data, with odd sizes padded")
    func otherChunks() throws {
        let format = WAVFormat(encoding: .pcm(containerBits: 16), channels: 1, sampleRate: 8000)
        let plain = WAVEncoder.file(ramp(100), format: format)
        // Insert a LIST chunk of odd length (padded) after the RIFF header and a fact chunk after fmt.
        let list: [UInt8] = Array("LIST".utf8) + [5, 0, 0, 0] + Array("INFOx".utf8) + [0]
        let fact: [UInt8] = Array("fact".utf8) + [4, 0, 0, 0, 100, 0, 0, 0]
        let fmtEnd = 12 + 8 + 16
        let bytes = Array(plain[0..<12]) + list + Array(plain[12..<fmtEnd]) + fact + Array(plain[fmtEnd...])
        let (decoded, _) = try readAll(bytes)
        #expect(decoded.count == 100)
        #expect(abs(decoded[5] - ramp(100)[5]) < 1e-4)
    }

    @Test("a streaming writer's unknown size (0xFFFFFFFF) reads to the end of the file")
    func unknownSize() throws {
        let format = WAVFormat(encoding: .muLaw, channels: 1, sampleRate: 8000)
        var bytes = WAVEncoder.file(ramp(800), format: format)
        let size = bytes.firstRange(of: Array("data".utf8))!.upperBound
        bytes.replaceSubrange(size..<(size + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
        let (decoded, reader) = try readAll(bytes)
        #expect(decoded.count == 800)
        #expect(reader.truncation == nil)
    }

    @Test("RF64 with a ds64 chunk")
    func rf64() throws {
        let format = WAVFormat(encoding: .pcm(containerBits: 16), channels: 1, sampleRate: 8000)
        let plain = WAVEncoder.file(ramp(300), format: format)
        let dataBytes: UInt64 = 600
        var ds64: [UInt8] = Array("ds64".utf8) + [28, 0, 0, 0]
        ds64 += [UInt8](repeating: 0, count: 8)  // RIFF size
        withUnsafeBytes(of: dataBytes.littleEndian) { ds64 += $0 }
        ds64 += [UInt8](repeating: 0, count: 12)  // sample count + table length
        var bytes = Array("RF64".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array("WAVE".utf8) + ds64 + Array(plain[12...])
        let dataSizeOffset = bytes.count - 600 - 4
        bytes.replaceSubrange(dataSizeOffset..<(dataSizeOffset + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
        let (decoded, _) = try readAll(bytes)
        #expect(decoded.count == 300)
    }

    @Test("a never-finalised header (data size 0) with audio after it is read to the end")
    func unfinalisedHeader() throws {
        let format = WAVFormat(encoding: .pcm(containerBits: 16), channels: 1, sampleRate: 8000)
        var bytes = WAVEncoder.file(ramp(400), format: format)
        bytes.replaceSubrange(40..<44, with: [0, 0, 0, 0])
        #expect(try readAll(bytes).samples.count == 400)
    }
}

@Suite("Bad WAV input gets a clear error, never a crash or a hang")
struct BadWAVTests {
    static let format = WAVFormat(encoding: .pcm(containerBits: 16), channels: 1, sampleRate: 8000)
    static var good: [UInt8] { WAVEncoder.file(ramp(400), format: format) }

    func error(_ bytes: [UInt8]) -> AudioInputError? {
        do {
            _ = try readAll(bytes)
            return nil
        } catch let e as AudioInputError {
            #expect(!e.description.isEmpty)
            return e
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    func withHeaderField(_ offset: Int, _ bytes: [UInt8]) -> [UInt8] {
        var b = Self.good
        b.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        return b
    }

    @Test func emptyFile() { #expect(error([]) == .emptyFile) }
    @Test func tooShort() { #expect(error(Array("RIFF".utf8)) == .tooShort(bytes: 4)) }

    @Test func notAWAV() {
        #expect(error(Array("ID3\u{3}\0\0\0\0\0\0 lots of mp3 data here".utf8)) == .notWAV(detected: "MP3 audio"))
        #expect(error(Array("OggS\0\u{2}0000000000000000".utf8)) == .notWAV(detected: "Ogg audio (Vorbis or Opus)"))
        #expect(error(Array("hello, this is a plain text file".utf8)) == .notWAV(detected: nil))
    }

    @Test func bigEndian() { #expect(error(withHeaderField(0, Array("RIFX".utf8))) == .bigEndianRIFX) }

    @Test func unsupportedCodec() {
        // IMA ADPCM, format tag 0x0011.
        #expect(error(withHeaderField(20, [0x11, 0x00])) == .unsupportedCodec(tag: 0x11, name: "IMA ADPCM"))
        let message = AudioInputError.unsupportedCodec(tag: 0x11, name: "IMA ADPCM").description
        #expect(message.contains("0x0011") && message.contains("sox"))
    }

    @Test func absurdChannelsAndRates() {
        #expect(error(withHeaderField(22, [0, 0])) == .invalidChannelCount(0))
        #expect(error(withHeaderField(22, [200, 0])) == .invalidChannelCount(200))
        #expect(error(withHeaderField(24, [0, 0, 0, 0])) == .invalidSampleRate(0))
        #expect(error(withHeaderField(24, [0x00, 0xCA, 0x9A, 0x3B])) == .invalidSampleRate(1_000_000_000))
    }

    @Test func inconsistentBlockAlign() {
        #expect(error(withHeaderField(32, [7, 0])) == .inconsistentBlockAlign(blockAlign: 7, expected: 2))
    }

    @Test func unsupportedBits() {
        #expect(error(withHeaderField(32, [6, 0]).replacing(34, [48, 0])) == .unsupportedBitDepth(codec: "PCM", bits: 48))
        #expect(error(withHeaderField(34, [0, 0])) == .unsupportedBitDepth(codec: "PCM", bits: 0))
    }

    @Test func absurdChunkSizes() {
        // fmt claims 4 GB.
        #expect(error(withHeaderField(16, [0xFF, 0xFF, 0xFF, 0xFF])) == .absurdFormatChunk(size: 0xFFFF_FFFF))
        // An unknown chunk before fmt claims more than the file holds.
        let bogus: [UInt8] = Array("JUNK".utf8) + [0x00, 0x00, 0x00, 0x40]
        let bytes = Array(Self.good[0..<12]) + bogus + Array(Self.good[12...])
        #expect(error(bytes) == .corruptChunk(id: "JUNK", claimed: 0x4000_0000, available: Self.good.count - 12))
    }

    @Test func missingChunks() {
        // Only the RIFF header and fmt: no data chunk.
        #expect(error(Array(Self.good[0..<36])) == .missingDataChunk)
        // data before fmt.
        let dataFirst = Array(Self.good[0..<12]) + Array("data".utf8) + [4, 0, 0, 0, 1, 2, 3, 4]
        #expect(error(dataFirst) == .missingFormatChunk)
        // RIFF/WAVE header alone.
        #expect(error(Array(Self.good[0..<12])) == .missingFormatChunk)
    }

    @Test func zeroLengthData() {
        #expect(error(Array(Self.good[0..<44]).replacing(40, [0, 0, 0, 0])) == .noAudio)
    }

    @Test("a truncated file delivers the audio that is there, then reports the truncation")
    func truncated() throws {
        let bytes = Array(Self.good[0..<(44 + 300)])
        let (samples, reader) = try readAll(bytes)
        #expect(samples.count == 150)
        guard case .truncated(let declared, let available)? = reader.truncation else {
            Issue.record("expected truncation")
            return
        }
        #expect(abs(declared - 0.05) < 1e-9 && abs(available - 150.0 / 8000) < 1e-9)
    }

    @Test("garbage of every length never crashes or hangs")
    func garbagePrefixes() {
        let bytes = Self.good
        for n in 0..<60 {
            _ = try? readAll(Array(bytes[0..<n]))
        }
    }
}

extension Array where Element == UInt8 {
    func replacing(_ offset: Int, _ bytes: [UInt8]) -> [UInt8] {
        var b = self
        b.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        return b
    }
}
