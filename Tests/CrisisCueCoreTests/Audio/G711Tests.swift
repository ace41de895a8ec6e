import CrisisCueCore
import Testing

@Suite("G.711 companding")
struct G711Tests {
    @Test func knownMuLawValues() {
        #expect(G711.muLawTable[0xFF] == 0)
        #expect(G711.muLawTable[0x7F] == 0)
        #expect(G711.muLawTable[0x00] == -32124)
        #expect(G711.muLawTable[0x80] == 32124)
    }

    @Test func knownALawValues() {
        #expect(G711.aLawTable[0xD5] == 8)
        #expect(G711.aLawTable[0x55] == -8)
        #expect(G711.aLawTable[0xAA] == 32256)
        #expect(G711.aLawTable[0x2A] == -32256)
    }

    @Test("encode then decode stays within the segment's step", arguments: [true, false])
    func roundTrip(muLaw: Bool) {
        for v in stride(from: -32768, through: 32767, by: 7) {
            let s = Int16(v)
            let decoded = muLaw ? G711.muLawTable[Int(G711.muLawEncode(s))] : G711.aLawTable[Int(G711.aLawEncode(s))]
            let step = max(32, abs(v) / 16)  // logarithmic segments: step grows with the level
            #expect(abs(Int(decoded) - v) <= step, "\(v) -> \(decoded)")
        }
    }

    @Test("every code decodes back to itself", arguments: [true, false])
    func codesAreStable(muLaw: Bool) {
        for code in 0...255 {
            let value = muLaw ? G711.muLawTable[code] : G711.aLawTable[code]
            let again = muLaw ? G711.muLawEncode(value) : G711.aLawEncode(value)
            let back = muLaw ? G711.muLawTable[Int(again)] : G711.aLawTable[Int(again)]
            #expect(back == value)
        }
    }
}
