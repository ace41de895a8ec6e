import CrisisCueCore

/// A WAV recording as an `AudioSource`: mono at the file's own rate, streamed.
public final class WAVFileSource: AudioSource {
    private var reader: WAVStreamReader<FileByteSource>
    public let path: String

    public init(path: String, channel: ChannelSelection) throws {
        self.path = path
        reader = try WAVStreamReader(source: FileByteSource(path: path), channel: channel)
    }

    public var sampleRate: Int { reader.format.sampleRate }
    public var format: WAVFormat { reader.format }
    public var declaredSeconds: Double? { reader.layout.declaredSeconds }
    public var label: String { "\(path) (\(reader.format.summary))" }

    public func read(into output: inout [Float]) throws -> Bool { try reader.read(into: &output) }

    /// Set after the last read when the file ended early.
    public var problemAfterEnd: AudioInputError? { reader.truncation }
}
