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
    /// What happened to the input since the last call (a live device's overruns, unplug
    /// and replug), in order; reported between the blocks where it happened.
    func takeNotices() -> [SourceNotice]
    /// Whether `read` waits for audio as it happens (a device), rather than for I/O.
    var isLive: Bool { get }
}

extension AudioSource {
    public var problemAfterEnd: AudioInputError? { nil }
    public func takeNotices() -> [SourceNotice] { [] }
    public var isLive: Bool { false }
}

/// Something that happened to a live input, for the `device` event and the panel.
public struct SourceNotice: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// The device overflowed: audio was lost.
        case overrun
        /// The decoder fell behind: captured audio was dropped.
        case dropped
        /// The device was suspended and resumed.
        case suspended
        /// The device went away (unplugged); the utterance in progress is closed.
        case lost
        /// The device is back.
        case restored
    }

    public var state: State
    public var message: String
    /// Totals for the session so far.
    public var overruns: Int
    public var droppedSeconds: Double

    public init(state: State, message: String, overruns: Int, droppedSeconds: Double) {
        self.state = state
        self.message = message
        self.overruns = overruns
        self.droppedSeconds = droppedSeconds
    }

    /// Whether the recognizer's utterance must be closed here (the audio stops).
    public var closesUtterance: Bool { state == .lost }
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
