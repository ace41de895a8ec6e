/// Turns a source's mono `Float` blocks at any rate into the recognizer's 16-bit blocks
/// at its rate, in pieces no longer than `maxBlockSeconds`.
///
/// Pure and single-threaded; holds one resampler's history and nothing else.
public struct AudioConditioner: Sendable {
    public let inputRate: Int
    public let outputRate: Int
    public let maxBlockSamples: Int
    private var resampler: Resampler
    private var resampled: [Float] = []
    private var pcm: [Int16] = []
    /// Output samples delivered so far.
    public private(set) var samplesOut = 0

    public init(inputRate: Int, outputRate: Int, maxBlockSeconds: Double = 0.1) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        maxBlockSamples = max(1, Int(Double(outputRate) * maxBlockSeconds))
        resampler = Resampler(inputRate: inputRate, outputRate: outputRate)
    }

    /// Audio seconds delivered so far at the output rate.
    public var secondsOut: Double { Double(samplesOut) / Double(outputRate) }

    /// Converts `input` and calls `body` with each piece of at most `maxBlockSamples`.
    public mutating func process(_ input: [Float], _ body: (UnsafeBufferPointer<Int16>) throws -> Void) rethrows {
        resampled.removeAll(keepingCapacity: true)
        resampler.process(input, into: &resampled)
        try deliver(body)
    }

    /// Emits the resampler's tail at the end of the audio.
    public mutating func flush(_ body: (UnsafeBufferPointer<Int16>) throws -> Void) rethrows {
        resampled.removeAll(keepingCapacity: true)
        resampler.flush(into: &resampled)
        try deliver(body)
    }

    private mutating func deliver(_ body: (UnsafeBufferPointer<Int16>) throws -> Void) rethrows {
        pcm.removeAll(keepingCapacity: true)
        PCM16.convert(resampled, into: &pcm)
        var offset = 0
        while offset < pcm.count {
            let n = min(maxBlockSamples, pcm.count - offset)
            try pcm.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[offset..<(offset + n)])) }
            samplesOut += n
            offset += n
        }
    }
}
