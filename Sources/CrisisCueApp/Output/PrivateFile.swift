#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Files that hold call content (event logs, transcripts, saved audio): created readable
/// and writable by their owner only, folders likewise (0700).
public enum PrivateFile {
    public enum Failure: Error, CustomStringConvertible {
        case cannotCreate(String, String)

        public var description: String {
            switch self {
            case .cannotCreate(let path, let reason): return "cannot create \(path): \(reason)"
            }
        }
    }

    /// Creates `path` and its parents with mode 0700 if needed.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure.cannotCreate(path, error.localizedDescription)
        }
    }

    /// Opens `path` for writing (truncating) with mode 0600; returns the descriptor.
    public static func create(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw Failure.cannotCreate(path, String(cString: strerror(errno))) }
        fchmod(fd, 0o600)
        return fd
    }

    /// Writes `text` to `path` atomically (temporary file, then rename), mode 0600.
    public static func writeAtomically(_ text: String, to path: String) throws {
        let writer = try AtomicWriter(path: path)
        writer.write(text)
        try writer.commit()
    }

    /// A file written as it grows, in bounded memory, that appears under its name only
    /// when complete: lines go to `<path>.partial` (mode 0600), `commit` syncs and renames
    /// it, `discard` removes it. Not thread-safe: one writer per thread.
    public final class AtomicWriter {
        public let path: String
        private let temporary: String
        private var fd: Int32
        private var failed: Int32 = 0

        public init(path: String) throws {
            self.path = path
            temporary = path + ".partial"
            fd = try PrivateFile.create(temporary)
        }

        deinit { if fd >= 0 { discard() } }

        public func write(_ text: String) {
            guard fd >= 0, failed == 0 else { return }
            failed = LineWriter.writeAll(fd, text)
        }

        public func commit() throws {
            let synced = failed == 0 && fsync(fd) == 0
            let reason = failed != 0 ? failed : errno
            close(fd)
            fd = -1
            guard synced, rename(temporary, path) == 0 else {
                let message = String(cString: strerror(synced ? errno : reason))
                unlink(temporary)
                throw Failure.cannotCreate(path, message)
            }
        }

        public func discard() {
            if fd >= 0 { close(fd) }
            fd = -1
            unlink(temporary)
        }
    }
}
