/// ITU-T G.711 companding: decode tables for mu-law and A-law, and encoders (used to
/// write telephone-like test audio).
public enum G711 {
    /// 16-bit linear value of each mu-law byte.
    public static let muLawTable: [Int16] = (0...255).map { muLawDecode(UInt8($0)) }
    /// 16-bit linear value of each A-law byte.
    public static let aLawTable: [Int16] = (0...255).map { aLawDecode(UInt8($0)) }

    static func muLawDecode(_ byte: UInt8) -> Int16 {
        let u = ~byte
        let sign = u & 0x80
        let exponent = Int((u >> 4) & 0x07)
        let mantissa = Int(u & 0x0F)
        let magnitude = ((mantissa << 3) + 0x84) << exponent
        let value = magnitude - 0x84
        return Int16(sign != 0 ? -value : value)
    }

    static func aLawDecode(_ byte: UInt8) -> Int16 {
        let a = byte ^ 0x55
        let sign = a & 0x80
        let exponent = Int((a >> 4) & 0x07)
        let mantissa = Int(a & 0x0F)
        var magnitude = (mantissa << 4) + 8
        if exponent != 0 { magnitude = (magnitude + 0x100) << (exponent - 1) }
        return Int16(sign != 0 ? magnitude : -magnitude)
    }

    /// Encodes a 16-bit sample as mu-law (bias 0x84, clip 32635).
    public static func muLawEncode(_ sample: Int16) -> UInt8 {
        var s = Int(sample)
        let sign: Int = s < 0 ? 0x80 : 0
        if s < 0 { s = -s }
        s = min(s, 32635) + 0x84
        var exponent = 7
        var mask = 0x4000
        while exponent > 0 && s & mask == 0 {
            exponent -= 1
            mask >>= 1
        }
        let mantissa = (s >> (exponent + 3)) & 0x0F
        return ~UInt8(sign | (exponent << 4) | mantissa)
    }

    /// Encodes a 16-bit sample as A-law.
    public static func aLawEncode(_ sample: Int16) -> UInt8 {
        var s = Int(sample)
        let sign: Int = s >= 0 ? 0x80 : 0
        if s < 0 { s = -s - 1 }
        s = min(s, 32767)
        var result: Int
        if s < 256 {
            result = s >> 4
        } else {
            var exponent = 7
            var mask = 0x4000
            while exponent > 1 && s & mask == 0 {
                exponent -= 1
                mask >>= 1
            }
            result = (exponent << 4) | ((s >> (exponent + 3)) & 0x0F)
        }
        return UInt8((result | sign) ^ 0x55)
    }
}
