/// Reads a WAV recording as a stream of mono `Float` blocks at the file's own rate, in
/// bounded memory (one block of encoded bytes at a time), however long the file is.
///
/// After the last block, `truncation` tells whether the file ended before the length its
/// header declares; the audio up to that point has still been delivered.
public struct WAVStreamReader<Source: ByteSource> {
    public let layout: WAVLayout
    public var format: WAVFormat { layout.format }
    private var source: Source
    private let decoder: SampleDecoder
    private var buffer: [UInt8]
    private var carry = 0
    private var bytesRead: UInt64 = 0
    private var finished = false
    /// Frames delivered so far.
    public private(set) var framesRead = 0

    /// Reads the header. Throws `AudioInputError` for anything that is not a readable WAV.
    public init(source: Source, channel: ChannelSelection, framesPerBlock: Int = 4096) throws {
        self.source = source
        layout = try WAVHeaderParser.parse(&self.source)
        decoder = SampleDecoder(format: layout.format, selection: channel)
        buffer = [UInt8](repeating: 0, count: max(1, framesPerBlock) * layout.format.blockAlign)
    }

    /// Appends the next block of mono samples to `output` (clearing it first); returns
    /// false at the end of the audio.
    public mutating func read(into output: inout [Float]) throws -> Bool {
        output.removeAll(keepingCapacity: true)
        guard !finished else { return false }
        var want = buffer.count - carry
        if let declared = layout.declaredDataBytes {
            let left = declared > bytesRead ? declared - bytesRead : 0
            want = Int(min(UInt64(want), left))
        }
        let n = want > 0
            ? try buffer.withUnsafeMutableBytes { try source.readFully(into: UnsafeMutableRawBufferPointer(rebasing: $0[carry..<(carry + want)])) }
            : 0
        bytesRead += UInt64(n)
        let available = carry + n
        let whole = available / format.blockAlign * format.blockAlign
        if whole > 0 {
            buffer.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<whole]), into: &output) }
        }
        framesRead += whole / format.blockAlign
        carry = available - whole
        if carry > 0 {
            buffer.withUnsafeMutableBytes { p in
                p.baseAddress!.copyMemory(from: p.baseAddress! + whole, byteCount: carry)
            }
        }
        if n < want || want == 0 { finished = true }
        if output.isEmpty && finished { return false }
        return true
    }

    /// Non-nil when the file ended before its declared length (valid after the last read).
    public var truncation: AudioInputError? {
        guard finished, let declared = layout.declaredDataBytes, bytesRead < declared else { return nil }
        let rate = Double(format.sampleRate)
        return .truncated(
            declaredSeconds: Double(declared / UInt64(format.blockAlign)) / rate,
            availableSeconds: Double(framesRead) / rate)
    }

    /// Seconds of audio delivered so far.
    public var secondsRead: Double { Double(framesRead) / Double(format.sampleRate) }
}
