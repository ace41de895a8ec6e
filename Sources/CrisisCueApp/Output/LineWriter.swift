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
        lock.withLock { _ in
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += n
                }
            }
        }
    }

    public func write(_ line: String) { write([line]) }
}
