#if canImport(Glibc)
import Glibc
#endif
import CrisisCueAudioIO
import CrisisCueCore
import Dispatch
import Foundation
import Histogram
import Synchronization
import UnixSignals

/// The operator's hold on a replay from the panel: pause, and end the call here.
public final class PlaybackControl: Sendable {
    private let paused = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    public init() {}
    public var isPaused: Bool { paused.load(ordering: .relaxed) }
    public func toggle() { _ = paused.logicalXor(true, ordering: .relaxed) }
    /// The call ends at the next block, as if the recording stopped there (the last
    /// words are decoded and the summary written).
    public func end() { ended.store(true, ordering: .relaxed) }
    public var endRequested: Bool { ended.load(ordering: .relaxed) }
}

/// The full-screen side panel for one call: the thin driver around `PanelState` and
/// `PanelRenderer`.
///
/// Threads: the pipeline calls `post` and `monitor` from its own thread; they take a lock
/// only long enough to update the state and wake the UI thread, so rendering never blocks
/// the audio path. A UI thread redraws (only the cells that changed) on every change, on
/// resize (SIGWINCH) and four times a second for the clock; a key thread polls stdin.
/// `close()` restores the terminal; a crash restores it too (see `Terminal`).
public final class PanelSession: Sendable {
    private struct Shared {
        var state: PanelState
        var keys: [Character] = []
        /// When the oldest event not yet on screen arrived (monotonic seconds).
        var oldestUnrendered: Double?
        /// Events posted so far (the sequence number of the latest).
        var posted = 0
        /// With `recordFrames`: each frame written, as (last event it shows, when written).
        var frames: [(sequence: Int, writtenAt: Double)] = []
    }

    private let shared: Mutex<Shared>
    private let wake = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let resized = Atomic<Bool>(false)
    private let threadsDone = DispatchSemaphore(value: 0)
    private let options: PanelRenderer.Options
    private let clock = MonotonicClock()
    private let onEffect: @Sendable (PanelState.Effect) -> Void
    /// Event arrival to the frame that shows it written to the terminal, microseconds.
    public let renderLatency = Mutex(Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three))
    /// CPU seconds of the UI and key threads, and the wall seconds they ran.
    public let cpu = Mutex<(cpu: Double, wall: Double)>((0, 0))

    /// Without a terminal (`bench` in CI): frames of `headlessSize` are rendered and
    /// written to /dev/null, so the render stage is real, and no keys are read.
    private let headless: Bool
    private let headlessSize = (columns: 120, rows: 40)
    private let output: Int32
    private let recordFrames: Bool

    public init(call: String, source: String, sampleRate: Int, options: PanelRenderer.Options,
                headless: Bool = false, recordFrames: Bool = false,
                onEffect: @escaping @Sendable (PanelState.Effect) -> Void) {
        self.headless = headless
        self.recordFrames = recordFrames
        output = headless ? open("/dev/null", O_WRONLY | O_CLOEXEC) : STDOUT_FILENO
        var state = PanelState(call: call)
        state.pipeline.source = source
        state.pipeline.sampleRate = sampleRate
        shared = Mutex(Shared(state: state))
        self.options = options
        self.onEffect = onEffect
    }

    /// Takes over the terminal and starts drawing.
    public func start() {
        if headless {
            let ui = Thread { [self] in
                drawLoop()
                threadsDone.signal()
                threadsDone.signal()
            }
            ui.name = "crisiscue-panel"
            ui.start()
            return
        }
        Terminal.enter()
        Task.detached { [self] in
            for await _ in await UnixSignalsSequence(trapping: .sigwinch) {
                resized.store(true, ordering: .relaxed)
                wake.signal()
            }
        }
        let ui = Thread { [self] in
            drawLoop()
            threadsDone.signal()
        }
        ui.name = "crisiscue-panel"
        ui.start()
        let keys = Thread { [self] in
            keyLoop()
            threadsDone.signal()
        }
        keys.name = "crisiscue-keys"
        keys.start()
    }

    /// An event from the pipeline (any thread); returns its sequence number.
    @discardableResult
    public func post(_ event: CallEvent) -> Int {
        let now = clock.now()
        let sequence = shared.withLock {
            $0.state.handle(event)
            if $0.oldestUnrendered == nil { $0.oldestUnrendered = now }
            $0.posted += 1
            return $0.posted
        }
        wake.signal()
        return sequence
    }

    /// With `recordFrames`: when the first frame showing event `sequence` was written.
    public func screenTime(of sequence: Int) -> Double? {
        shared.withLock { s in s.frames.first { $0.sequence >= sequence }?.writtenAt }
    }

    /// The input level of the latest audio (any thread).
    public func monitor(levelDB: Double, t: Double) {
        shared.withLock { $0.state.monitor(levelDB: levelDB, t: t) }
    }

    public func setPaused(_ paused: Bool) {
        shared.withLock { $0.state.pipeline.paused = paused }
        wake.signal()
    }

    /// Stops drawing and restores the terminal. Idempotent.
    public func close() {
        if !stopping.exchange(true, ordering: .relaxed) {
            wake.signal()
            _ = threadsDone.wait(timeout: .now() + 1)
            _ = threadsDone.wait(timeout: .now() + 1)
        }
        if headless {
            if output >= 0 { Glibc.close(output) }
        } else {
            Terminal.leave()
        }
    }

    /// The current state (for the summary after the panel closes).
    public var state: PanelState { shared.withLock { $0.state } }

    private func drawLoop() {
        var writer = ScreenWriter()
        let cpuStart = ThreadCPUTime.seconds()
        let wallStart = clock.now()
        defer {
            cpu.withLock { $0 = (ThreadCPUTime.seconds() - cpuStart + $0.cpu, clock.now() - wallStart) }
        }
        while !stopping.load(ordering: .relaxed) {
            _ = wake.wait(timeout: .now() + 0.25)
            if stopping.load(ordering: .relaxed) { break }
            if resized.exchange(false, ordering: .relaxed) { writer.invalidate() }
            var effects: [PanelState.Effect] = []
            let (state, arrived, sequence) = shared.withLock { s -> (PanelState, Double?, Int) in
                for key in s.keys {
                    if let e = s.state.handle(key: key) { effects.append(e) }
                }
                s.keys.removeAll()
                let arrived = s.oldestUnrendered
                s.oldestUnrendered = nil
                return (s.state, arrived, s.posted)
            }
            for e in effects { onEffect(e) }
            let size = headless ? headlessSize : Terminal.size()
            let screen = PanelRenderer.render(state, columns: size.columns, rows: size.rows, options: options)
            let text = writer.frame(screen)
            if !text.isEmpty { _ = LineWriter.writeAll(output, text) }
            let written = clock.now()
            if let arrived {
                let us = UInt64(max(0, written - arrived) * 1e6)
                renderLatency.withLock { _ = $0.record(us) }
            }
            if recordFrames, arrived != nil {
                shared.withLock { $0.frames.append((sequence, written)) }
            }
        }
    }

    private func keyLoop() {
        let cpuStart = ThreadCPUTime.seconds()
        defer { cpu.withLock { $0.cpu += ThreadCPUTime.seconds() - cpuStart } }
        var buffer = [UInt8](repeating: 0, count: 64)
        var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while !stopping.load(ordering: .relaxed) {
            fds.revents = 0
            guard poll(&fds, 1, 100) > 0 else { continue }
            let n = read(STDIN_FILENO, &buffer, buffer.count)
            if n <= 0 {
                if n == 0 { Thread.sleep(forTimeInterval: 0.1) }  // stdin closed: keep drawing
                continue
            }
            var keys: [Character] = []
            var i = 0
            while i < n {
                let b = buffer[i]
                if b == 0x1B {
                    // An escape sequence (arrow keys and the like): skip it whole.
                    i += 1
                    if i < n, buffer[i] == UInt8(ascii: "[") || buffer[i] == UInt8(ascii: "O") {
                        i += 1
                        while i < n, !(0x40...0x7E).contains(buffer[i]) { i += 1 }
                    }
                    i += 1
                    continue
                }
                if b < 0x80 { keys.append(Character(Unicode.Scalar(b))) }
                i += 1
            }
            guard !keys.isEmpty else { continue }
            shared.withLock { $0.keys += keys }
            wake.signal()
        }
    }
}
