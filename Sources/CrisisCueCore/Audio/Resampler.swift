#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming rational-ratio resampler: a polyphase FIR whose prototype low-pass is a
/// Kaiser-windowed sinc, designed for the lower of the two rates so that nothing above
/// its Nyquist frequency aliases (downsampling) or images (upsampling) into the output.
///
/// The passband is flat to `passband` times the lower Nyquist frequency; the stopband
/// starts at that Nyquist frequency and is attenuated by `stopbandDB`. The output is
/// time-aligned with the input: the filter's group delay is removed, so output sample
/// `n` corresponds to input time `n / outputRate`, and `flush` emits the tail so that
/// the output has `round(inputCount * outputRate / inputRate)` samples.
///
/// Not thread-safe; one instance per stream.
public struct Resampler: Sendable {
    public let inputRate: Int
    public let outputRate: Int
    /// Upsampling factor L and downsampling factor M, with outputRate/inputRate = L/M.
    public let up: Int
    public let down: Int
    /// Taps per polyphase branch.
    public let tapsPerPhase: Int
    /// `phases[p * tapsPerPhase + (tapsPerPhase - 1 - j)]` is the prototype tap `p + j*L`:
    /// each branch is stored reversed so that the inner product runs forward over both.
    private let phases: [Float]
    /// Input history: the last `tapsPerPhase - 1` samples followed by new ones.
    private var history: [Float]
    /// Global index of `history[0]`.
    private var historyStart: Int
    /// Total input samples received.
    private var inputCount = 0
    /// Index of the next output sample to compute (before delay compensation).
    private var nextOutput = 0
    /// Output samples to drop at the start: the filter's group delay.
    private let delaySamples: Int
    private var emitted = 0

    /// - Parameters:
    ///   - passband: fraction of the lower Nyquist frequency kept flat (0.5 to 0.98).
    ///   - stopbandDB: attenuation from the lower Nyquist frequency upward.
    public init(inputRate: Int, outputRate: Int, passband: Double = 0.9, stopbandDB: Double = 90) {
        precondition(inputRate > 0 && outputRate > 0)
        self.inputRate = inputRate
        self.outputRate = outputRate
        let g = Self.gcd(inputRate, outputRate)
        up = outputRate / g
        down = inputRate / g
        if up == 1 && down == 1 {
            tapsPerPhase = 1
            phases = [1]
            delaySamples = 0
        } else {
            let prototypeRate = Double(inputRate) * Double(up)
            let nyquist = Double(min(inputRate, outputRate)) / 2
            let passEdge = nyquist * min(max(passband, 0.5), 0.98)
            let transition = nyquist - passEdge
            let cutoff = (passEdge + nyquist) / 2 / prototypeRate
            let attenuation = max(stopbandDB, 21)
            let beta: Double = attenuation > 50
                ? 0.1102 * (attenuation - 8.7)
                : 0.5842 * pow(attenuation - 21, 0.4) + 0.07886 * (attenuation - 21)
            let width = 2 * Double.pi * transition / prototypeRate
            var length = Int(((attenuation - 7.95) / (2.285 * width)).rounded(.up)) + 1
            let k = (length + up - 1) / up
            length = k * up
            tapsPerPhase = k
            // Prototype taps, centred at (length-1)/2, gain `up` so every phase sums to ~1.
            let centre = Double(length - 1) / 2
            let i0Beta = Self.besselI0(beta)
            var proto = [Double](repeating: 0, count: length)
            for n in 0..<length {
                let x = Double(n) - centre
                let sinc = x == 0 ? 2 * cutoff : sin(2 * Double.pi * cutoff * x) / (Double.pi * x)
                let r = x / centre
                let window = centre > 0 ? Self.besselI0(beta * (max(0, 1 - r * r)).squareRoot()) / i0Beta : 1
                proto[n] = sinc * window
            }
            let sum = proto.reduce(0, +)
            let gain = Double(up) / sum
            var table = [Float](repeating: 0, count: length)
            for p in 0..<up {
                for j in 0..<k {
                    table[p * k + (k - 1 - j)] = Float(proto[p + j * up] * gain)
                }
            }
            phases = table
            delaySamples = Int((centre / Double(down)).rounded())
        }
        history = [Float](repeating: 0, count: max(0, tapsPerPhase - 1))
        historyStart = -(tapsPerPhase - 1)
    }

    /// The filter's group delay in seconds (removed from the output).
    public var delaySeconds: Double { Double(delaySamples) / Double(outputRate) }

    /// Appends the output for `input` to `output`.
    public mutating func process(_ input: UnsafeBufferPointer<Float>, into output: inout [Float]) {
        history.append(contentsOf: input)
        inputCount += input.count
        produce(upTo: inputCount, into: &output)
    }

    public mutating func process(_ input: [Float], into output: inout [Float]) {
        input.withUnsafeBufferPointer { process($0, into: &output) }
    }

    /// Emits the remaining output (the filter's tail), as if the input were followed by
    /// silence, so that the total output length matches the input duration.
    public mutating func flush(into output: inout [Float]) {
        let expected = Int((Double(inputCount) * Double(up) / Double(down)).rounded())
        guard emitted < expected else { return }
        let lastNeeded = ((expected + delaySamples) * down) / up + 1
        let have = historyStart + history.count
        if lastNeeded > have { history.append(contentsOf: repeatElement(0, count: lastNeeded - have)) }
        produce(upTo: historyStart + history.count, into: &output, limit: expected)
    }

    private mutating func produce(upTo available: Int, into output: inout [Float], limit: Int = .max) {
        let k = tapsPerPhase
        let up = self.up, down = self.down
        history.withUnsafeBufferPointer { hist in
            phases.withUnsafeBufferPointer { table in
                while true {
                    let position = nextOutput * down
                    let base = position / up
                    guard base < available else { break }
                    let phase = position - base * up
                    // y = sum_j h[phase + j*up] * x[base - j]
                    let newest = base - historyStart
                    let coefficients = table.baseAddress! + phase * k
                    let samples = hist.baseAddress! + (newest - k + 1)
                    var acc: Float = 0
                    for i in 0..<k {
                        acc += coefficients[i] * samples[i]
                    }
                    nextOutput += 1
                    if nextOutput > delaySamples {
                        if emitted < limit {
                            output.append(acc)
                            emitted += 1
                        }
                    }
                }
            }
        }
        // Keep only what the next output needs: the last k-1 samples before its base.
        let nextBase = (nextOutput * down) / up
        let keepFrom = max(historyStart, nextBase - (k - 1))
        let drop = keepFrom - historyStart
        if drop > 0 && drop <= history.count {
            history.removeFirst(drop)
            historyStart = keepFrom
        }
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Modified Bessel function of the first kind, order 0 (power series).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0
        let half = x / 2
        for k in 1..<64 {
            term *= (half / Double(k)) * (half / Double(k))
            sum += term
            if term < sum * 1e-17 { break }
        }
        return sum
    }
}
