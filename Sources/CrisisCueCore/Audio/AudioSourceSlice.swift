/// One call's stretch of a longer stream: delivers exactly `samples` samples of `source`
/// and ends; what a block of the source holds past that point waits in `carry` for the
/// next slice. `bench` plays several calls through one capture stream this way, each
/// call decided by its own session.
public final class AudioSourceSlice: AudioSource {
    /// Samples read from the source but not yet delivered, shared by consecutive slices.
    public final class Carry {
        var samples: [Float] = []
        var sourceEnded = false
        public init() {}
    }

    let source: AudioSource
    let carry: Carry
    private var remaining: Int

    public init(_ source: AudioSource, samples: Int, carry: Carry) {
        self.source = source
        self.carry = carry
        self.remaining = max(0, samples)
    }

    public var sampleRate: Int { source.sampleRate }
    public var label: String { source.label }
    public var isLive: Bool { source.isLive }
    public var problemAfterEnd: AudioInputError? { remaining == 0 ? nil : source.problemAfterEnd }
    public func takeNotices() -> [SourceNotice] { source.takeNotices() }

    public func read(into output: inout [Float]) throws -> Bool {
        output.removeAll(keepingCapacity: true)
        guard remaining > 0 else { return false }
        if carry.samples.isEmpty {
            if carry.sourceEnded { return false }
            var block: [Float] = []
            if !(try source.read(into: &block)) {
                carry.sourceEnded = true
                return false
            }
            carry.samples = block
        }
        let n = min(remaining, carry.samples.count)
        output.append(contentsOf: carry.samples[0..<n])
        carry.samples.removeFirst(n)
        remaining -= n
        return true
    }
}
