/// Where a call's audio comes from: a recorded file, a live device, or a script.
///
/// Implementation requirements: `read` delivers the next block of mono samples at
/// `sampleRate` (replacing `output`'s contents) and returns false at the end of the
/// audio. It may block (a live device). Used from one thread.
public protocol AudioSource: AnyObject {
    var sampleRate: Int { get }
    /// A short description for messages and the panel: file or device, and format.
    var label: String { get }
    func read(into output: inout [Float]) throws -> Bool
    /// A problem found only at the end (a truncated file), reported after the audio.
    var problemAfterEnd: AudioInputError? { get }
}

extension AudioSource {
    public var problemAfterEnd: AudioInputError? { nil }
}

/// Audio synthesised or held in memory: the scripted implementation for tests.
public final class MemoryAudioSource: AudioSource {
    public let sampleRate: Int
    public let label: String
    private let samples: [Float]
    private let blockSize: Int
    private var position = 0

    public init(samples: [Float], sampleRate: Int, blockSize: Int = 1600, label: String = "memory") {
        self.samples = samples
        self.sampleRate = sampleRate
        self.blockSize = max(1, blockSize)
        self.label = label
    }

    public func read(into output: inout [Float]) throws -> Bool {
        output.removeAll(keepingCapacity: true)
        guard position < samples.count else { return false }
        let end = min(samples.count, position + blockSize)
        output.append(contentsOf: samples[position..<end])
        position = end
        return true
    }
}
