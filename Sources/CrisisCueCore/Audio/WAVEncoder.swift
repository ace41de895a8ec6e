/// Writes WAV headers and encodes samples: for `--save-audio`, for test fixtures of every
/// format `WAVHeaderParser` reads, and for tools.
public enum WAVEncoder {
    /// A 44-byte canonical header (or 68 bytes with WAVE_FORMAT_EXTENSIBLE) declaring
    /// `dataBytes` of audio. Rewriting it with the current size keeps a file that is
    /// still growing valid at every moment.
    public static func header(format: WAVFormat, dataBytes: UInt32, extensible: Bool = false) -> [UInt8] {
        var b: [UInt8] = []
        func u16(_ v: Int) { b += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32) { b += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        let tag: Int
        switch format.encoding {
        case .pcm: tag = 1
        case .float: tag = 3
        case .aLaw: tag = 6
        case .muLaw: tag = 7
        }
        let bits = format.encoding.bytesPerSample * 8
        let fmtSize: UInt32 = extensible ? 40 : (tag == 1 ? 16 : 18)
        let riffSize = 4 + (8 + fmtSize) + 8 + dataBytes + (dataBytes % 2)
        b += Array("RIFF".utf8); u32(riffSize); b += Array("WAVE".utf8)
        b += Array("fmt ".utf8); u32(fmtSize)
        u16(extensible ? 0xFFFE : tag)
        u16(format.channels)
        u32(UInt32(format.sampleRate))
        u32(UInt32(format.sampleRate * format.blockAlign))
        u16(format.blockAlign)
        u16(bits)
        if extensible {
            u16(22); u16(bits); u32(format.channels == 2 ? 3 : 4)
            // KSDATAFORMAT_SUBTYPE GUID: tag, then 00000000-0010-8000-00AA00389B71.
            u16(tag); b += [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        } else if fmtSize == 18 {
            u16(0)
        }
        b += Array("data".utf8); u32(dataBytes)
        return b
    }

    /// Encodes interleaved `samples` (in [-1, 1]) in `format`'s encoding.
    public static func encode(_ samples: [Float], encoding: SampleEncoding) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(samples.count * encoding.bytesPerSample)
        for x in samples {
            let c = max(-1, min(1, x))
            switch encoding {
            case .pcm(8):
                out.append(UInt8(max(0, min(255, (c * 128 + 128).rounded()))))
            case .pcm(16):
                let v = Int16(max(-32768, min(32767, (c * 32768).rounded())))
                out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
            case .pcm(24):
                let v = Int32(max(-8_388_608, min(8_388_607, (Double(c) * 8_388_608).rounded())))
                out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16)]
            case .pcm:
                let v = Int32(max(-2_147_483_648, min(2_147_483_647, (Double(c) * 2_147_483_648).rounded())))
                withUnsafeBytes(of: v.littleEndian) { out += $0 }
            case .float(32):
                withUnsafeBytes(of: c.bitPattern.littleEndian) { out += $0 }
            case .float:
                withUnsafeBytes(of: Double(c).bitPattern.littleEndian) { out += $0 }
            case .muLaw:
                out.append(G711.muLawEncode(Int16(max(-32768, min(32767, (c * 32768).rounded())))))
            case .aLaw:
                out.append(G711.aLawEncode(Int16(max(-32768, min(32767, (c * 32768).rounded())))))
            }
        }
        return out
    }

    /// A whole WAV file in memory.
    public static func file(_ samples: [Float], format: WAVFormat, extensible: Bool = false) -> [UInt8] {
        let data = encode(samples, encoding: format.encoding)
        var bytes = header(format: format, dataBytes: UInt32(data.count), extensible: extensible) + data
        if data.count % 2 == 1 { bytes.append(0) }
        return bytes
    }
}
