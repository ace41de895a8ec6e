import CrisisCueCore
import Foundation
import Synchronization

/// How the capture thread is clocked.
public enum CapturePacing: String, CaseIterable, Sendable {
    /// A real device: its clock paces the reads; when the decoder falls behind and the
    /// ring is full, the newest period is dropped and counted.
    case device
    /// A device without a clock (the ALSA `file` PCM): reads are paced to 1x here, with
    /// the same overflow policy as a real device.
    case realtime
    /// A device without a clock read as fast as the decoder takes the audio: the capture
    /// thread waits for room in the ring instead of dropping (tests, benchmarks of the
    /// decoder).
    case fast
}

/// Counters the capture thread keeps and any thread reads.
public final class CaptureStatistics: Sendable {
    public let periods = Atomic<Int>(0)
    public let frames = Atomic<Int>(0)
    public let overruns = Atomic<Int>(0)
    public let droppedFrames = Atomic<Int>(0)
    public let suspends = Atomic<Int>(0)
    public let losses = Atomic<Int>(0)
    public let reopenings = Atomic<Int>(0)
    /// CPU time of the capture thread, nanoseconds, updated about once a second and at the end.
    public let cpuNanoseconds = Atomic<Int>(0)
    /// Wall time the capture thread has run, nanoseconds (same cadence).
    public let wallNanoseconds = Atomic<Int>(0)

    public init() {}

    /// The capture thread's CPU as a share of one core.
    public var cpuShare: Double {
        let wall = wallNanoseconds.load(ordering: .relaxed)
        return wall > 0 ? Double(cpuNanoseconds.load(ordering: .relaxed)) / Double(wall) : 0
    }
}

/// The capture thread: opens the device, reads one period at a time straight into the
/// ring, and deals with faults as a console must.
///
/// - `-EPIPE` overruns are recovered by the device and counted here, with a notice in
///   the stream so the decoder knows audio is missing.
/// - A lost device (unplugged) is closed, reported in the stream, and reopened with
///   back-off (0.25 s doubling to 2 s) asking for exactly the format it granted before,
///   until it comes back or the loop is stopped.
/// - Reads wait at most `readTimeout`, so `stop()` ends the thread within about that.
///
/// Threading: `start` runs on the caller's thread and blocks until the first open has
/// succeeded or failed; everything else happens on the capture thread, which creates the
/// device itself (`makeDevice`) so its C handle never crosses threads. In the steady
/// state the thread does no logging, no allocation and takes no lock.
public final class CaptureLoop: Sendable {
    public struct Options: Sendable {
        public var request = CaptureRequest()
        public var pacing: CapturePacing = .device
        /// Ring length in seconds of audio.
        public var ringSeconds: Double = 2
        public var readTimeout: Double = 0.1
        public var backoff: [Double] = [0.25, 0.5, 1, 2]

        public init() {}
    }

    public let options: Options
    public let statistics = CaptureStatistics()
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let makeDevice: @Sendable () -> CaptureDevice
    private let clock: any PipelineClock
    private let state = Mutex<(ring: AudioRing?, format: CaptureFormat?)>((nil, nil))
    private let done = DispatchSemaphore(value: 0)

    public init(options: Options, clock: any PipelineClock = MonotonicClock(), makeDevice: @escaping @Sendable () -> CaptureDevice) {
        self.options = options
        self.clock = clock
        self.makeDevice = makeDevice
    }

    /// Starts the capture thread and opens the device on it. Returns the ring to read and
    /// the format granted; throws the open error (and leaves no thread behind) otherwise.
    public func start() throws(CaptureOpenError) -> (ring: AudioRing, format: CaptureFormat) {
        let opened = DispatchSemaphore(value: 0)
        let failure = Mutex<CaptureOpenError?>(nil)
        let thread = Thread { [self] in
            let device = makeDevice()
            let format: CaptureFormat
            do throws(CaptureOpenError) {
                format = try device.open(options.request)
            } catch {
                failure.withLock { $0 = error }
                finished.store(true, ordering: .relaxed)
                opened.signal()
                done.signal()
                return
            }
            let slots = max(4, Int((options.ringSeconds / format.periodSeconds).rounded(.up)))
            let ring = AudioRing(slotCount: slots, slotSamples: format.periodFrames * format.channels)
            state.withLock { $0 = (ring, format) }
            opened.signal()
            run(device: device, ring: ring, format: format)
            finished.store(true, ordering: .relaxed)
            done.signal()
        }
        thread.name = "crisiscue-capture"
        thread.stackSize = 1 << 20
        thread.start()
        opened.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        let (ring, format) = state.withLock { $0 }
        return (ring!, format!)
    }

    /// Asks the capture thread to stop; it commits an `ended` notice and exits within
    /// about one read timeout.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    public var isStopping: Bool { stopping.load(ordering: .relaxed) }
    public var isFinished: Bool { finished.load(ordering: .relaxed) }

    /// Waits for the capture thread to end, at most `timeout` seconds; true if it did.
    public func join(timeout: Double) -> Bool {
        if isFinished { return true }
        if done.wait(timeout: .now() + timeout) == .success {
            done.signal()
            return true
        }
        return false
    }

    private func nanos() -> UInt64 { UInt64(max(0, clock.now()) * 1e9) }

    private func run(device: CaptureDevice, ring: AudioRing, format granted: CaptureFormat) {
        let stats = statistics
        let wallStart = clock.now()
        let cpuStart = ThreadCPUTime.seconds()
        var lastAccounting = wallStart
        var format = granted
        var open = true
        var pending: CaptureNotice?
        var paceOrigin = wallStart
        var pacedFrames = 0
        var lostAt = 0.0
        var attempt = 0
        var nextAttempt = 0.0
        let scratch = UnsafeMutableBufferPointer<Int16>.allocate(capacity: ring.slotSamples)
        defer { scratch.deallocate() }
        var reopen = options.request
        reopen.forced = (granted.sampleRate, granted.channels)

        func account() {
            let now = clock.now()
            stats.cpuNanoseconds.store(Int((ThreadCPUTime.seconds() - cpuStart) * 1e9), ordering: .relaxed)
            stats.wallNanoseconds.store(Int((now - wallStart) * 1e9), ordering: .relaxed)
            lastAccounting = now
        }

        /// Commits a notice in a slot of its own, waiting for room: a notice is never dropped.
        /// While stopping, only `ended` is still posted, and for at most a second (the
        /// consumer may have gone).
        func post(_ notice: CaptureNotice) {
            let giveUp = clock.now() + 1
            while ring.reserve(timeout: options.readTimeout) == nil {
                if isStopping && (notice != .ended || clock.now() > giveUp) { return }
            }
            ring.commit(frames: 0, at: nanos(), notice: notice)
        }

        while !isStopping {
            if clock.now() - lastAccounting >= 1 { account() }
            if !open {
                let now = clock.now()
                if now < nextAttempt {
                    clock.sleep(until: min(nextAttempt, now + options.readTimeout))
                    continue
                }
                do {
                    let again = try device.open(reopen)
                    format = again
                    open = true
                    attempt = 0
                    stats.reopenings.add(1, ordering: .relaxed)
                    post(.restored(gapSeconds: clock.now() - lostAt, format: again))
                    paceOrigin = clock.now()
                    pacedFrames = 0
                } catch {
                    nextAttempt = clock.now() + options.backoff[min(attempt, options.backoff.count - 1)]
                    attempt += 1
                }
                continue
            }
            // Where this period goes: a free slot, or (full ring, live policy) the scratch
            // buffer, read only to keep the device from overflowing and then counted as dropped.
            var target: UnsafeMutableBufferPointer<Int16>
            var dropping = false
            switch options.pacing {
            case .fast:
                guard let slot = ring.reserve(timeout: options.readTimeout) else { continue }
                target = slot
            case .device, .realtime:
                if let slot = ring.tryReserve() {
                    target = slot
                } else {
                    target = scratch
                    dropping = true
                }
            }
            let result = device.read(into: target, frames: format.periodFrames, timeout: options.readTimeout)
            switch result {
            case .frames(let n):
                if options.pacing == .realtime {
                    pacedFrames += n
                    clock.sleep(until: paceOrigin + Double(pacedFrames) / Double(format.sampleRate))
                }
                stats.periods.add(1, ordering: .relaxed)
                stats.frames.add(n, ordering: .relaxed)
                if dropping {
                    stats.droppedFrames.add(n, ordering: .relaxed)
                    if case .dropped(let before) = pending {
                        pending = .dropped(frames: before + n)
                    } else if pending == nil {
                        pending = .dropped(frames: n)
                    }
                } else {
                    ring.commit(frames: n, at: nanos(), notice: pending)
                    pending = nil
                }
            case .timeout:
                continue
            case .overrun:
                stats.overruns.add(1, ordering: .relaxed)
                pending = .overrun
            case .suspended:
                stats.suspends.add(1, ordering: .relaxed)
                pending = .suspended
            case .lost(let message):
                device.close()
                open = false
                stats.losses.add(1, ordering: .relaxed)
                lostAt = clock.now()
                nextAttempt = lostAt + options.backoff[0]
                attempt = 1
                if let p = pending { post(p) }
                pending = nil
                post(.lost(message: message))
            }
        }
        if open { device.close() }
        account()
        if let p = pending { post(p) }
        post(.ended)
    }
}
