#if canImport(Glibc)
import Glibc
#endif
import CrisisCueAudioIO
import CrisisCueCore
import Synchronization

/// Progress of an archive run on stderr: calls done/total, audio hours, speed (audio time
/// per wall time) and the time left. One line rewritten in place on a terminal; a plain
/// line every 10 calls (and at the end) otherwise, for logs. Nothing from the calls.
final class ArchiveProgress: Sendable {
    private let total: Int
    private let started = MonotonicClock().now()
    private let state = Mutex<(done: Int, audio: Double)>((0, 0))
    private let terminal = isatty(STDERR_FILENO) == 1

    init(total: Int) { self.total = total }

    func callDone(audioSeconds: Double) {
        let (done, audio) = state.withLock { s -> (Int, Double) in
            s.done += 1
            s.audio += audioSeconds
            return (s.done, s.audio)
        }
        guard terminal || done % 10 == 0 || done == total else { return }
        let line = Self.line(done: done, total: total, audio: audio, wall: MonotonicClock().now() - started)
        if terminal {
            _ = LineWriter.writeAll(STDERR_FILENO, "\r\u{1B}[K" + line)
        } else {
            LineWriter.standardError.write(line)
        }
    }

    func finish() {
        if terminal { _ = LineWriter.writeAll(STDERR_FILENO, "\n") }
    }

    static func line(done: Int, total: Int, audio: Double, wall: Double) -> String {
        let speed = wall > 0 ? audio / wall : 0
        let perCall = done > 0 ? wall / Double(done) : 0
        let left = Double(total - done) * perCall
        let eta = left < 60 ? "\(Int(left.rounded())) s" : "\(Int(left / 60)) min \(Int(left.truncatingRemainder(dividingBy: 60))) s"
        return "crisiscue: \(done)/\(total) calls, \(JSONObjectWriter.number(audio / 3600, decimals: 2)) h of audio, "
            + "\(JSONObjectWriter.number(speed, decimals: 1))x real time, about \(eta) left"
    }
}
