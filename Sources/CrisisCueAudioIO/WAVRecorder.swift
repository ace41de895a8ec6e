import CrisisCueCore
#if canImport(Glibc)
import Glibc
#endif

/// Saves live audio as a 16-bit PCM WAV file that is valid at every moment: the header
/// is rewritten with the current size after each block, so a process that is killed
/// leaves a file `replay` reads in full. The file is created readable only by its owner.
///
/// Threading: one thread (the decoder's). A write failure (disk full) stops the
/// recording and is kept in `failure`; the session itself goes on.
public final class WAVRecorder {
    public let path: String
    public let format: WAVFormat
    private var fd: Int32
    private var dataBytes: UInt64 = 0
    public private(set) var failure: String?
    private var bytes: [UInt8] = []
    /// The largest data size a WAV header can declare.
    private static let limit: UInt64 = UInt64(UInt32.max) - 64

    public init(path: String, sampleRate: Int, channels: Int) throws(AudioInputError) {
        self.path = path
        format = WAVFormat(encoding: .pcm(containerBits: 16), channels: channels, sampleRate: sampleRate)
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw AudioInputError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        _ = fchmod(fd, 0o600)
        let header = WAVEncoder.header(format: format, dataBytes: 0)
        if !writeAll(header, at: nil) {
            Glibc.close(fd)
            throw AudioInputError.unreadable(path: path, reason: failure ?? "write failed")
        }
    }

    deinit { close() }

    /// Seconds of audio written.
    public var seconds: Double { Double(dataBytes) / Double(format.blockAlign * format.sampleRate) }

    /// Appends interleaved samples and brings the header up to date.
    public func append(_ samples: UnsafeBufferPointer<Int16>) {
        guard fd >= 0, failure == nil, !samples.isEmpty else { return }
        guard dataBytes + UInt64(samples.count * 2) <= Self.limit else {
            failure = "\(path) reached the 4 GB limit of a WAV file; recording stopped"
            return
        }
        bytes.removeAll(keepingCapacity: true)
        for s in samples {
            let v = UInt16(bitPattern: s)
            bytes.append(UInt8(truncatingIfNeeded: v))
            bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        }
        guard writeAll(bytes, at: nil) else { return }
        dataBytes += UInt64(bytes.count)
        let header = WAVEncoder.header(format: format, dataBytes: UInt32(dataBytes))
        // RIFF size at byte 4 and data size in the header's last 4 bytes.
        _ = writeAll(Array(header[4..<8]), at: 4)
        _ = writeAll(Array(header[(header.count - 4)...]), at: off_t(header.count - 4))
    }

    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    private func writeAll(_ data: [UInt8], at offset: off_t?) -> Bool {
        data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = offset.map { pwrite(fd, raw.baseAddress! + done, raw.count - done, $0 + off_t(done)) }
                    ?? write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot write \(path): \(String(cString: strerror(errno))); recording stopped"
                    return false
                }
                done += n
            }
            return true
        }
    }
}
