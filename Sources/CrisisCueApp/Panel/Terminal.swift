#if canImport(Glibc)
import Glibc
#endif
import CrisisCueCore

/// The controlling terminal for the full-screen panel: raw keys, the alternate screen,
/// and a restore that runs on every exit path.
///
/// `enter()` saves the terminal's settings in a process-wide slot that a crash handler
/// (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) can restore with async-signal-safe
/// calls before the process dies; `leave()` restores them on normal exits and after
/// SIGINT/SIGTERM, which the session turns into a clean stop.
public enum Terminal {
    /// Whether the panel can run: stdin and stdout are terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Columns and rows of the terminal (80x24 when it cannot tell).
    public static func size() -> (columns: Int, rows: Int) {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 {
            return (Int(w.ws_col), Int(w.ws_row))
        }
        return (80, 24)
    }

    static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J\u{1B}[H"
    static let leaveSequence = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"

    /// Raw input (no echo, no line buffering; Ctrl-C still signals), alternate screen,
    /// hidden cursor.
    public static func enter() {
        var t = termios()
        if tcgetattr(STDIN_FILENO, &t) == 0 {
            savedSettings = t
            hasSaved = 1
            var raw = t
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO | IEXTEN)
            raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 0
                cc[Int(VTIME)] = 0
            }
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        installCrashRestore()
        write(enterSequence)
    }

    /// Restores the terminal as it was before `enter()`. Idempotent.
    public static func leave() {
        guard hasSaved == 1 else { return }
        restoreNow()
    }

    static func write(_ text: String) {
        _ = LineWriter.writeAll(STDOUT_FILENO, text)
    }

    /// Async-signal-safe: write(2) and tcsetattr(3) only.
    static func restoreNow() {
        leaveBytes.withUnsafeBufferPointer { b in _ = Glibc.write(STDOUT_FILENO, b.baseAddress, b.count) }
        if hasSaved == 1 { tcsetattr(STDIN_FILENO, TCSANOW, &savedSettings) }
        hasSaved = 0
    }

    private static func installCrashRestore() {
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                Terminal.restoreNow()
                signal(sig, SIG_DFL)
                raise(sig)
            }
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(sig, &action, nil)
        }
    }

    // Process-wide state a signal handler may read: set before the handlers are installed.
    nonisolated(unsafe) private static var savedSettings = termios()
    nonisolated(unsafe) private static var hasSaved: Int32 = 0
    nonisolated(unsafe) private static var leaveBytes: [UInt8] = Array(leaveSequence.utf8)
}
