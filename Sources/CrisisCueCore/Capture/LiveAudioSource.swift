import Histogram

/// The decoder side of live capture: takes periods from the ring, converts them to mono
/// `Float` exactly as a WAV file of the same audio would be (so `replay` of a saved
/// session decides the same), and turns the capture thread's notices into
/// `SourceNotice`s.
///
/// Threading: used on the decoder thread only. `read` waits at most `pollSeconds` for
/// audio and returns an empty block when none came, so the caller can check for a stop.
public final class LiveAudioSource: AudioSource {
    public let format: CaptureFormat
    public let device: String
    public var sampleRate: Int { format.sampleRate }
    public var label: String { "\(device) (\(format))" }
    public var isLive: Bool { true }

    private let ring: AudioRing
    private let decoder: SampleDecoder
    private let otherDecoder: SampleDecoder?
    /// The other side of a stereo capture (the call-taker's), when asked for: each `read`
    /// of this source leaves the same frames' other channel there.
    public let otherSide: OtherChannel?
    private let clock: any PipelineClock
    private let stopCapture: @Sendable () -> Void
    private let maxFrames: Int?
    private let pollSeconds: Double
    /// Receives the audio as captured (interleaved 16-bit at the device's rate), e.g. to
    /// save it; called on the decoder thread.
    public var recorder: ((UnsafeBufferPointer<Int16>) -> Void)?

    /// Ring to decoder hand-off latency, microseconds: from the later of the capture
    /// thread's commit and this thread asking for audio, to this thread holding it (the
    /// cost of the hand-off itself).
    public private(set) var handoff = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// Microseconds from the commit to the take, including time queued while the decoder
    /// was busy with earlier audio.
    public private(set) var queueing = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// Period boundary to ring, microseconds: how long after its last frame was due (from
    /// the stream's origin and the audio read) each period was committed.
    public private(set) var capture = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// Monotonic seconds at which audio time 0 was captured, estimated from the first
    /// period (its commit minus its length); later periods measure their lag against it.
    public private(set) var origin: Double?
    public private(set) var framesRead = 0
    public private(set) var overruns = 0
    public private(set) var droppedFrames = 0
    public private(set) var losses = 0
    private var notices: [SourceNotice] = []
    private var ended = false
    private var bytes: [UInt8] = []

    /// `maxSeconds` stops after that much audio (`--duration`); `stopCapture` asks the
    /// capture thread to end.
    public init(
        ring: AudioRing, format: CaptureFormat, device: String, channel: ChannelSelection, clock: any PipelineClock,
        maxSeconds: Double? = nil, pollSeconds: Double = 0.1, otherChannel: ChannelSelection? = nil,
        stopCapture: @escaping @Sendable () -> Void
    ) {
        self.ring = ring
        self.format = format
        self.device = device
        self.clock = clock
        self.stopCapture = stopCapture
        self.pollSeconds = pollSeconds
        maxFrames = maxSeconds.map { max(0, Int(($0 * Double(format.sampleRate)).rounded())) }
        let wav = WAVFormat(encoding: .pcm(containerBits: 16), channels: format.channels, sampleRate: format.sampleRate)
        decoder = SampleDecoder(format: wav, selection: channel)
        otherDecoder = otherChannel.map { SampleDecoder(format: wav, selection: $0) }
        otherSide = otherChannel.map { _ in OtherChannel(sampleRate: format.sampleRate, label: "\(device) (\(format)), other side") }
    }

    /// The other channel of the frames the main source last read. Read it right after
    /// each read of the main source, on the same thread.
    public final class OtherChannel: AudioSource {
        public let sampleRate: Int
        public let label: String
        public var isLive: Bool { true }
        fileprivate var pending: [Float] = []
        fileprivate var ended = false

        init(sampleRate: Int, label: String) {
            self.sampleRate = sampleRate
            self.label = label
        }

        public func read(into output: inout [Float]) throws -> Bool {
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: pending)
            pending.removeAll(keepingCapacity: true)
            return !ended
        }
    }

    public var seconds: Double { Double(framesRead) / Double(format.sampleRate) }

    public func takeNotices() -> [SourceNotice] {
        defer { notices.removeAll() }
        return notices
    }

    public func read(into output: inout [Float]) throws -> Bool {
        output.removeAll(keepingCapacity: true)
        otherSide?.pending.removeAll(keepingCapacity: true)
        if ended { otherSide?.ended = true; return false }
        let asked = UInt64(max(0, clock.now()) * 1e9)
        guard let (slot, samples) = ring.take(timeout: pollSeconds) else { return true }
        defer { ring.release() }
        if let notice = slot.notice {
            if notice == .ended {
                ended = true
                otherSide?.ended = true
                return false
            }
            note(notice)
        }
        var n = slot.frames
        if let maxFrames { n = min(n, maxFrames - framesRead) }
        if slot.frames > 0 {
            let committed = Double(slot.committedAt) / 1e9
            let rate = Double(format.sampleRate)
            let due = Double(framesRead + slot.frames) / rate
            if origin == nil { origin = committed - due }
            let lag = committed - (origin! + due)
            _ = capture.recordCorrectedValue(UInt64(max(0, lag) * 1e6), expectedInterval: UInt64(format.periodSeconds * 1e6))
            let now = UInt64(max(0, clock.now()) * 1e9)
            let from = max(asked, slot.committedAt)
            _ = handoff.record(now > from ? (now - from) / 1000 : 0)
            _ = queueing.record(now > slot.committedAt ? (now - slot.committedAt) / 1000 : 0)
        }
        if n > 0 {
            let pcm = UnsafeBufferPointer(rebasing: samples[0..<(n * format.channels)])
            recorder?(pcm)
            bytes.removeAll(keepingCapacity: true)
            bytes.reserveCapacity(pcm.count * 2)
            for s in pcm {
                let v = UInt16(bitPattern: s.littleEndian)
                bytes.append(UInt8(truncatingIfNeeded: v))
                bytes.append(UInt8(truncatingIfNeeded: v >> 8))
            }
            bytes.withUnsafeBytes { decoder.decode($0, into: &output) }
            if let otherDecoder, let otherSide { bytes.withUnsafeBytes { otherDecoder.decode($0, into: &otherSide.pending) } }
            framesRead += n
        }
        if let maxFrames, framesRead >= maxFrames {
            ended = true
            stopCapture()
        }
        return true
    }

    private func note(_ notice: CaptureNotice) {
        let rate = Double(format.sampleRate)
        var state: SourceNotice.State
        var message: String
        switch notice {
        case .overrun:
            overruns += 1
            state = .overrun
            message = "capture overrun on \(device): audio was lost"
        case .dropped(let frames):
            droppedFrames += frames
            state = .dropped
            message = "decoder behind: \(JSONObjectWriter.number(Double(frames) / rate, decimals: 3)) s of audio dropped"
        case .suspended:
            state = .suspended
            message = "\(device) was suspended and resumed"
        case .lost(let why):
            losses += 1
            state = .lost
            message = "\(device) lost: \(why); reopening"
        case .restored(let gap, let f):
            state = .restored
            message = "\(device) is back after \(JSONObjectWriter.number(gap, decimals: 1)) s (\(f))"
        case .ended:
            return
        }
        notices.append(SourceNotice(
            state: state, message: message, overruns: overruns, droppedSeconds: Double(droppedFrames) / rate))
    }
}
