#if canImport(Glibc)
import Glibc
#endif
import CrisisCueCore
import Dispatch
import Synchronization

/// One call shown in the side panel: the panel, the session's event log (`--log`), and
/// the operator's keys wired to the pipeline (pause, quit) and to the log (accept,
/// dismiss).
final class PanelRun: Sendable {
    let panel: PanelSession
    private let log: LineWriter?
    private let logFD: Int32
    private let quitSignal = DispatchSemaphore(value: 0)
    private let quitting = Atomic<Bool>(false)
    private let call: String

    /// `stop` ends the pipeline (the operator pressed q, or a signal came).
    init(call: String, source: String, sampleRate: Int, logPath: String?, color: Bool, pause: PlaybackControl?,
         stop: @escaping @Sendable () -> Void) throws {
        self.call = call
        if let logPath {
            logFD = try PrivateFile.create(logPath)
            log = LineWriter(fd: logFD)
        } else {
            logFD = -1
            log = nil
        }
        let holder = Mutex<PanelRun?>(nil)
        panel = PanelSession(
            call: call, source: source, sampleRate: sampleRate, options: .init(ascii: !Self.unicodeTerminal, color: color)
        ) { effect in
            guard let run = holder.withLock({ $0 }) else { return }
            switch effect {
            case .chose(let choice, let action, let reasons, let t):
                run.log?.write(CallEvent(call: call, t: t, payload: .operatorChoice(choice: choice, action: action, reasons: reasons)).jsonLine)
            case .togglePause:
                pause?.toggle()
                run.panel.setPaused(pause?.isPaused ?? false)
            case .quit:
                run.requestQuit()
                stop()
            }
        }
        holder.withLock { $0 = self }
    }

    /// Box drawing with Unicode unless the locale says otherwise.
    static var unicodeTerminal: Bool {
        let env = ProcessEnvironment.self
        let locale = env.value("LC_ALL") ?? env.value("LC_CTYPE") ?? env.value("LANG") ?? ""
        return locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
    }

    func start() { panel.start() }

    /// An event of the call: to the panel, and to the log.
    func emit(_ event: CallEvent) {
        panel.post(event)
        log?.write(event.jsonLine)
    }

    func requestQuit() {
        if !quitting.exchange(true, ordering: .relaxed) { quitSignal.signal() }
    }

    var quitRequested: Bool { quitting.load(ordering: .relaxed) }

    /// After the call ended: keep the panel up until the operator presses q (or a signal).
    func waitForQuit() {
        guard !quitRequested else { return }
        quitSignal.wait()
    }

    /// Restores the terminal, closes the log, and leaves the call's outcome on stdout and
    /// the panel's own figures on stderr.
    func close(summary: CallEvent?, stoppedAt: Double? = nil) {
        panel.close()
        if logFD >= 0 { Glibc.close(logFD) }
        if let summary, let line = EventFormatter.line(summary, format: .text) {
            LineWriter.standardOutput.write(line)
        } else {
            let state = panel.state
            let action = state.card?.action ?? .none
            LineWriter.standardOutput.write("\(call) stopped at \(PanelRenderer.clock(stoppedAt ?? state.t)) before the end; suggestion then: \(action.rawValue)")
        }
        let h = panel.renderLatency.withLock { $0 }
        let (cpu, wall) = panel.cpu.withLock { $0 }
        if h.totalCount > 0 {
            let ms = { (p: Double) in JSONObjectWriter.number(Double(h.valueAtPercentile(p)) / 1000, decimals: 2) }
            LineWriter.standardError.write(
                "crisiscue: panel: event to screen p50 \(ms(50)) ms, p99 \(ms(99)) ms, max \(JSONObjectWriter.number(Double(h.max) / 1000, decimals: 2)) ms over \(h.totalCount) frames; UI threads \(JSONObjectWriter.number(wall > 0 ? cpu / wall * 100 : 0, decimals: 2))% of a core")
        }
    }
}

/// Reads the environment without Foundation's ProcessInfo (usable anywhere).
enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
    static var noColor: Bool { value("NO_COLOR") != nil }
}
