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
        let temporary = path + ".partial"
        let fd = try create(temporary)
        var bytes = Array(text.utf8)
        let ok = bytes.withUnsafeMutableBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard ok, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure.cannotCreate(path, reason)
        }
    }
}
