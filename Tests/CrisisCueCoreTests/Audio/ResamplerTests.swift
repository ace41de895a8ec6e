#if canImport(Glibc)
import Glibc
#endif
import CrisisCueCore
import PropertyBased
import Testing

/// Amplitude of frequency `f` in `x` (Goertzel, on the steady middle of the signal).
func toneAmplitude(_ x: [Float], frequency f: Double, rate: Int) -> Double {
    let start = x.count / 4, end = x.count * 3 / 4
    let w = 2 * Double.pi * f / Double(rate)
    var re = 0.0, im = 0.0
    for n in start..<end {
        re += Double(x[n]) * cos(w * Double(n))
        im -= Double(x[n]) * sin(w * Double(n))
    }
    return 2 * (re * re + im * im).squareRoot() / Double(end - start)
}

/// A tone with 20 ms raised-cosine fades, so that its onset adds no broadband click.
func tone(_ f: Double, rate: Int, seconds: Double = 1, amplitude: Float = 0.5) -> [Float] {
    let n = Int(Double(rate) * seconds)
    let fade = rate / 50
    return (0..<n).map { i in
        let edge = min(i, n - 1 - i)
        let gain = edge >= fade ? 1 : 0.5 - 0.5 * cos(Double.pi * Double(edge) / Double(fade))
        return amplitude * Float(gain * sin(2 * Double.pi * f * Double(i) / Double(rate)))
    }
}

func resample(_ x: [Float], from: Int, to: Int, block: Int = 1000) -> [Float] {
    var r = Resampler(inputRate: from, outputRate: to)
    var out: [Float] = []
    var i = 0
    while i < x.count {
        r.process(Array(x[i..<min(x.count, i + block)]), into: &out)
        i += block
    }
    r.flush(into: &out)
    return out
}

func dB(_ ratio: Double) -> Double { 20 * log10(max(ratio, 1e-12)) }

@Suite("Resampler frequency response")
struct ResamplerTests {
    static let rates = [8000, 11025, 22050, 44100, 48000]

    @Test("passband tones keep their level (within 0.1 dB)", arguments: rates)
    func passband(rate: Int) {
        let nyquist = Double(min(rate, 16000)) / 2
        for f in [300.0, 1000.0, 3000.0, nyquist * 0.85] {
            let out = resample(tone(f, rate: rate), from: rate, to: 16000)
            let level = dB(toneAmplitude(out, frequency: f, rate: 16000) / 0.5)
            #expect(abs(level) < 0.1, "\(rate) Hz input, \(f) Hz tone: \(level) dB")
        }
    }

    @Test("tones above 8 kHz do not alias into the 16 kHz output (at least 80 dB down)", arguments: [22050, 44100, 48000])
    func antiAliasing(rate: Int) {
        for f in [8200.0, 9000.0, 12000.0, 15000.0, Double(rate) / 2 * 0.95] where f < Double(rate) / 2 {
            let out = resample(tone(f, rate: rate), from: rate, to: 16000)
            let alias = abs(f - 16000 * (f / 16000).rounded())  // where the tone would fold to
            let level = dB(toneAmplitude(out, frequency: alias, rate: 16000) / 0.5)
            let total = dB(Double(out.map { abs($0) }.max() ?? 0) / 0.5)
            #expect(level < -80, "\(rate) Hz input, \(f) Hz tone folds to \(alias) Hz at \(level) dB")
            #expect(total < -70, "\(rate) Hz input, \(f) Hz tone leaves a peak of \(total) dB")
        }
    }

    @Test("a sweep through the stopband leaves nothing in the output", arguments: [44100, 48000])
    func sweep(rate: Int) {
        // A linear chirp from 8.5 kHz to 0.95 of the input's Nyquist frequency.
        let n = rate * 2
        let f0 = 8500.0, f1 = Double(rate) / 2 * 0.95
        var phase = 0.0
        var chirp = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let f = f0 + (f1 - f0) * Double(i) / Double(n)
            phase += 2 * Double.pi * f / Double(rate)
            chirp[i] = 0.5 * Float(sin(phase))
        }
        let out = resample(chirp, from: rate, to: 16000)
        let rms = (out.dropFirst(800).dropLast(800).map { Double($0 * $0) }.reduce(0, +) / Double(out.count - 1600)).squareRoot()
        #expect(dB(rms / (0.5 / 2.0.squareRoot())) < -70)
    }

    @Test("upsampling 8 kHz telephone audio creates no images above 4 kHz (at least 80 dB down)")
    func imaging() {
        for f in [1000.0, 3000.0, 3400.0] {
            let out = resample(tone(f, rate: 8000), from: 8000, to: 16000)
            let image = 8000 - f
            #expect(dB(toneAmplitude(out, frequency: image, rate: 16000) / 0.5) < -80)
        }
    }

    @Test("output is time-aligned: an impulse stays at the same time", arguments: rates)
    func alignment(rate: Int) {
        var x = [Float](repeating: 0, count: rate)
        x[rate / 2] = 1
        let out = resample(x, from: rate, to: 16000)
        let peak = out.indices.max { abs(out[$0]) < abs(out[$1]) }!
        #expect(abs(Double(peak) / 16000 - 0.5) <= 1.0 / 16000 + 1.0 / Double(rate))
    }

    @Test("output length matches the input's duration, for any length and block size")
    func lengthsAndChunking() async {
        await propertyCheck(input: Gen.int(in: 1...20000), Gen.int(in: 1...3000), Gen.int(in: 0...4)) { n, block, r in
            let rate = Self.rates[r]
            let x = (0..<n).map { Float(sin(Double($0) * 0.01)) * 0.3 }
            let chunked = resample(x, from: rate, to: 16000, block: block)
            let whole = resample(x, from: rate, to: 16000, block: n)
            #expect(chunked.count == Int((Double(n) * 16000 / Double(rate)).rounded()))
            #expect(chunked == whole)
        }
    }

    @Test func sameRateIsIdentity() {
        let x = ramp(5000)
        #expect(resample(x, from: 16000, to: 16000) == x)
    }
}
