#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Writes whole lines to a file descriptor, one `write(2)` per batch, safe to share
/// between threads (lines of one batch are never interleaved with another's).
public final class LineWriter: Sendable {
    private let fd: Int32
    private let lock = Mutex(())

    public init(fd: Int32) { self.fd = fd }

    public static let standardOutput = LineWriter(fd: STDOUT_FILENO)
    public static let standardError = LineWriter(fd: STDERR_FILENO)

    public func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        let text = lines.joined(separator: "\n") + "\n"
        lock.withLock { _ in _ = Self.writeAll(fd, text) }
    }

    /// Writes all of `text` to `fd`, retrying on EINTR; returns 0 or the errno that stopped it.
    static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
    }

    public func write(_ line: String) { write([line]) }
}
