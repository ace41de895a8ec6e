#if canImport(Glibc)
import Glibc
#endif
import CrisisCueCore

/// A regular file read with POSIX `read`, for streaming WAV input in bounded memory.
/// Owns its descriptor and closes it on deinit.
public final class FileByteSource: ByteSource {
    private let fd: Int32
    public let path: String
    public let totalBytes: Int?

    /// Opens `path` for reading; throws `AudioInputError` with a message a user can act on.
    public init(path: String) throws {
        var st = stat()
        if stat(path, &st) != 0 {
            let err = errno
            if err == ENOENT || err == ENOTDIR { throw AudioInputError.missingFile(path: path) }
            throw AudioInputError.unreadable(path: path, reason: String(cString: strerror(err)))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw AudioInputError.unreadable(path: path, reason: "it is a folder")
        }
        // A FIFO or device would block or never end: recorded calls are regular files.
        if (st.st_mode & S_IFMT) != S_IFREG {
            throw AudioInputError.unreadable(path: path, reason: "not a regular file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let err = errno
            throw AudioInputError.unreadable(path: path, reason: String(cString: strerror(err)))
        }
        self.fd = fd
        self.path = path
        totalBytes = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            let err = errno
            if err == EINTR { continue }
            throw AudioInputError.unreadable(path: path, reason: String(cString: strerror(err)))
        }
    }
}
