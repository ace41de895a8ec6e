/// What is wrong with an audio input, in words a user can act on.
///
/// `description` is the whole message shown in `error` events; it never contains audio
/// content, only facts about the container.
public enum AudioInputError: Error, Equatable, CustomStringConvertible, Sendable {
    case emptyFile
    case tooShort(bytes: Int)
    case notWAV(detected: String?)
    case bigEndianRIFX
    case missingFormatChunk
    case missingDataChunk
    case corruptChunk(id: String, claimed: UInt64, available: Int)
    case absurdFormatChunk(size: UInt64)
    case unsupportedCodec(tag: UInt16, name: String)
    case unsupportedBitDepth(codec: String, bits: Int)
    case invalidChannelCount(Int)
    case invalidSampleRate(Int)
    case inconsistentBlockAlign(blockAlign: Int, expected: Int)
    case noAudio
    case truncated(declaredSeconds: Double, availableSeconds: Double)
    case unreadable(path: String, reason: String)
    case missingFile(path: String)
    case isDirectoryWithoutWAV(path: String)
    case deviceFailure(String)

    public var description: String {
        switch self {
        case .emptyFile:
            return "the file is empty (0 bytes)"
        case .tooShort(let bytes):
            return "the file is too short to be a WAV file (\(bytes) bytes; a WAV header alone is 44)"
        case .notWAV(let detected):
            if let detected {
                return "not a WAV file: it looks like \(detected); convert it first, e.g. `sox INPUT -e signed-integer -b 16 OUTPUT.wav`"
            }
            return "not a WAV file (no RIFF/WAVE header); CrisisCue reads WAV recordings (PCM, float, G.711 mu-law or A-law)"
        case .bigEndianRIFX:
            return "big-endian RIFX WAV files are not supported; convert with `sox INPUT -e signed-integer -b 16 OUTPUT.wav`"
        case .missingFormatChunk:
            return "corrupt WAV file: no 'fmt ' chunk before the audio data"
        case .missingDataChunk:
            return "corrupt or incomplete WAV file: no 'data' chunk (no audio was found)"
        case .corruptChunk(let id, let claimed, let available):
            return "corrupt WAV header: chunk '\(id)' claims \(claimed) bytes but only \(available) remain in the file"
        case .absurdFormatChunk(let size):
            return "corrupt WAV header: the 'fmt ' chunk claims \(size) bytes (expected 16 to 40)"
        case .unsupportedCodec(let tag, let name):
            let hex = String(tag, radix: 16, uppercase: true)
            return "unsupported audio codec \(name) (WAV format tag 0x\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)); CrisisCue reads PCM, float, G.711 mu-law and A-law; convert with `sox INPUT -e signed-integer -b 16 OUTPUT.wav`"
        case .unsupportedBitDepth(let codec, let bits):
            return "unsupported sample size: \(bits)-bit \(codec)"
        case .invalidChannelCount(let n):
            return "corrupt WAV header: \(n) channels (expected 1 to 16)"
        case .invalidSampleRate(let r):
            return "corrupt or unsupported WAV header: sample rate \(r) Hz (expected 4000 to 384000)"
        case .inconsistentBlockAlign(let blockAlign, let expected):
            return "corrupt WAV header: block align \(blockAlign) bytes, but the format needs \(expected)"
        case .noAudio:
            return "the recording holds no audio (its data chunk is empty)"
        case .truncated(let declared, let available):
            return "the file is truncated: its header declares \(Self.seconds(declared)) of audio but the file ends after \(Self.seconds(available)); the audio that is there was processed"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .missingFile(let path):
            return "no such file: \(path)"
        case .isDirectoryWithoutWAV(let path):
            return "no .wav files found under \(path)"
        case .deviceFailure(let message):
            return message
        }
    }

    /// Whether audio was still produced despite the problem (a partial result).
    public var isPartial: Bool {
        if case .truncated = self { return true }
        return false
    }

    private static func seconds(_ s: Double) -> String {
        let tenths = (s * 10).rounded() / 10
        return "\(tenths) s"
    }
}
