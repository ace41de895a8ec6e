/// How samples are encoded in a WAV file's data chunk.
public enum SampleEncoding: Equatable, Sendable {
    /// Linear PCM; 8-bit is unsigned, wider is signed little-endian. `containerBits` is
    /// the storage size (8, 16, 24 or 32).
    case pcm(containerBits: Int)
    /// IEEE float, 32 or 64 bits.
    case float(bits: Int)
    /// G.711 mu-law (format tag 7), 8 bits.
    case muLaw
    /// G.711 A-law (format tag 6), 8 bits.
    case aLaw

    public var bytesPerSample: Int {
        switch self {
        case .pcm(let bits): return bits / 8
        case .float(let bits): return bits / 8
        case .muLaw, .aLaw: return 1
        }
    }

    public var name: String {
        switch self {
        case .pcm(let bits): return "\(bits)-bit PCM"
        case .float(let bits): return "\(bits)-bit float"
        case .muLaw: return "G.711 mu-law"
        case .aLaw: return "G.711 A-law"
        }
    }
}

/// The format of a WAV file's audio, as read from its header.
public struct WAVFormat: Equatable, Sendable {
    public var encoding: SampleEncoding
    public var channels: Int
    public var sampleRate: Int

    public init(encoding: SampleEncoding, channels: Int, sampleRate: Int) {
        self.encoding = encoding
        self.channels = channels
        self.sampleRate = sampleRate
    }

    /// Bytes per frame (one sample of every channel).
    public var blockAlign: Int { encoding.bytesPerSample * channels }

    public var summary: String {
        let ch = channels == 1 ? "mono" : channels == 2 ? "stereo" : "\(channels) channels"
        return "\(encoding.name), \(sampleRate) Hz, \(ch)"
    }
}

/// The result of reading a WAV header: the format, and where the audio is.
public struct WAVLayout: Equatable, Sendable {
    public var format: WAVFormat
    /// The byte count the header declares for the audio; `nil` when it is unknown
    /// (a streaming writer's 0xFFFFFFFF, or a never-finalised 0 with audio after it).
    public var declaredDataBytes: UInt64?

    public var declaredSeconds: Double? {
        declaredDataBytes.map { Double($0 / UInt64(format.blockAlign)) / Double(format.sampleRate) }
    }
}
