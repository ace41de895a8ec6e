/// A forward-only source of bytes: a file, a pipe, or memory in tests.
///
/// Implementation requirements: `read(into:)` fills at most `buffer.count` bytes and
/// returns how many it wrote; it returns 0 only at the end of the data. It may block.
public protocol ByteSource {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// The total number of bytes, when known (a regular file); `nil` for a stream.
    var totalBytes: Int? { get }
}

extension ByteSource {
    /// Reads until `buffer` is full or the source ends; returns the bytes read.
    public mutating func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Reads exactly `count` bytes or fewer at the end of the source.
    public mutating func readBytes(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = try bytes.withUnsafeMutableBytes { try readFully(into: $0) }
        if n < count { bytes.removeLast(count - n) }
        return bytes
    }

    /// Discards `count` bytes; returns how many were actually there.
    public mutating func skip(_ count: Int) throws -> Int {
        var remaining = count
        var scratch = [UInt8](repeating: 0, count: min(count, 64 * 1024))
        while remaining > 0 {
            let want = min(remaining, scratch.count)
            let n = try scratch.withUnsafeMutableBytes {
                try readFully(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]))
            }
            remaining -= n
            if n < want { break }
        }
        return count - remaining
    }
}

/// Bytes held in memory: for tests and for audio synthesised in process.
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    /// The largest read it serves at once, to exercise callers' handling of short reads.
    private let maxRead: Int

    public init(_ bytes: [UInt8], maxRead: Int = .max) {
        self.bytes = bytes
        self.maxRead = max(1, maxRead)
    }

    public var totalBytes: Int? { bytes.count }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position, maxRead)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
