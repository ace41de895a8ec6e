import CrisisCueCore
import Synchronization
import Testing

final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func raise() { flag.store(true, ordering: .relaxed) }
    var isRaised: Bool { flag.load(ordering: .relaxed) }
}

/// A clock that only moves when told to.
final class SteppedClock: PipelineClock, @unchecked Sendable {
    var time = 0.0
    func now() -> Double { time }
    func sleep(until deadline: Double) { time = max(time, deadline) }
}

@Suite("LiveAudioSource: the decoder side of live capture")
struct LiveAudioSourceTests {
    /// Commits `frames` interleaved stereo frames (left = index, right = -index).
    func commitStereo(_ ring: AudioRing, frames: Int, from start: Int, notice: CaptureNotice? = nil, at t: UInt64 = 0) {
        let slot = ring.tryReserve()!
        for i in 0..<frames {
            slot[2 * i] = Int16(start + i)
            slot[2 * i + 1] = Int16(-(start + i))
        }
        ring.commit(frames: frames, at: t, notice: notice)
    }

    func source(_ ring: AudioRing, channel: ChannelSelection, max: Double? = nil, clock: SteppedClock = SteppedClock(),
                stopped: StopFlag? = nil) -> LiveAudioSource {
        let flag = stopped
        return LiveAudioSource(
            ring: ring, format: CaptureFormat(sampleRate: 100, channels: 2, periodFrames: 4, bufferFrames: 16),
            device: "test", channel: channel, clock: clock, maxSeconds: max, pollSeconds: 0,
            stopCapture: { flag?.raise() })
    }

    @Test("a stereo device: the caller's side or the mix, as a WAV of the same frames would give")
    func channels() throws {
        for (channel, expected) in [(ChannelSelection.left, [1, 2, 3, 4]), (.right, [-1, -2, -3, -4]), (.mix, [0, 0, 0, 0])] {
            let ring = AudioRing(slotCount: 4, slotSamples: 8)
            commitStereo(ring, frames: 4, from: 1)
            let s = source(ring, channel: channel)
            var block: [Float] = []
            #expect(try s.read(into: &block))
            #expect(block.map { Int(($0 * 32768).rounded()) } == expected)
        }
    }

    @Test("no audio yet: an empty block and true, so the caller can check for a stop")
    func poll() throws {
        let s = source(AudioRing(slotCount: 2, slotSamples: 8), channel: .mix)
        var block: [Float] = [1]
        #expect(try s.read(into: &block))
        #expect(block.isEmpty)
    }

    @Test("--duration: stops at exactly that much audio and asks the capture thread to stop")
    func duration() throws {
        let ring = AudioRing(slotCount: 4, slotSamples: 8)
        let stopped = StopFlag()
        let s = source(ring, channel: .left, max: 0.06, stopped: stopped)
        commitStereo(ring, frames: 4, from: 0)
        commitStereo(ring, frames: 4, from: 4)
        var block: [Float] = []
        var total = 0
        while try s.read(into: &block) { total += block.count }
        #expect(total == 6)
        #expect(stopped.isRaised)
    }

    @Test("notices become SourceNotices with running totals; `ended` ends the audio")
    func notices() throws {
        let ring = AudioRing(slotCount: 8, slotSamples: 8)
        let s = source(ring, channel: .left)
        commitStereo(ring, frames: 4, from: 0, notice: .overrun)
        commitStereo(ring, frames: 4, from: 4, notice: .dropped(frames: 50))
        _ = ring.tryReserve()
        ring.commit(frames: 0, at: 0, notice: .lost(message: "No such device"))
        commitStereo(ring, frames: 4, from: 8, notice: .restored(gapSeconds: 1.5, format: s.format))
        _ = ring.tryReserve()
        ring.commit(frames: 0, at: 0, notice: .ended)
        var block: [Float] = []
        var states: [SourceNotice] = []
        while try s.read(into: &block) { states += s.takeNotices() }
        #expect(states.map(\.state) == [.overrun, .dropped, .lost, .restored])
        #expect(states[1].droppedSeconds == 0.5 && states[1].overruns == 1)
        #expect(states[2].closesUtterance && !states[3].closesUtterance)
        #expect(s.framesRead == 12)
        #expect(s.overruns == 1 && s.losses == 1)
    }

    @Test("hand-off latency counts from the commit or from when the decoder asked, whichever is later")
    func handoff() throws {
        let ring = AudioRing(slotCount: 4, slotSamples: 8)
        let clock = SteppedClock()
        clock.time = 2.0
        let s = source(ring, channel: .left, clock: clock)
        commitStereo(ring, frames: 4, from: 0, at: 1_000_000_000)  // committed at 1 s, taken at 2 s
        var block: [Float] = []
        _ = try s.read(into: &block)
        #expect(s.handoff.max < 10)  // the decoder asked at 2 s: no hand-off delay
        #expect(s.queueing.max >= 999_000 && s.queueing.max <= 1_001_000)  // but it sat queued for 1 s
    }
}
