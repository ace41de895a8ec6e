import CrisisCueCore
import CrisisCueSpeech
import Foundation

/// Paths and helpers shared by the end-to-end tests.
enum Fixtures {
    /// The repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let samples = root + "/audio-fixtures/samples"

    /// Debian's pocketsphinx-testdata: human recordings.
    static let testData = "/usr/share/pocketsphinx/test/data"

    /// "go forward ten meters", 16 kHz 16-bit little-endian raw, a human speaker.
    static func goForward() throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: testData + "/goforward.raw"))
        return data.withUnsafeBytes { raw in
            raw.bindMemory(to: Int16.self).map { Float(Int16(littleEndian: $0)) / 32768 }
        }
    }

    static func recognizerConfiguration() throws -> PocketSphinxRecognizer.Configuration {
        PocketSphinxRecognizer.Configuration(model: try AcousticModelLocation.resolve(root: AcousticModelLocation.systemModelRoot()))
    }

    /// The scripted lines of a committed sample call, from its manifest.
    static func sampleManifest() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: samples + "/manifest.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// Resamples `samples` and encodes them as a WAV of the given format.
    static func wav(_ samples: [Float], from rate: Int, format: WAVFormat) -> [UInt8] {
        var r = Resampler(inputRate: rate, outputRate: format.sampleRate)
        var out: [Float] = []
        r.process(samples, into: &out)
        r.flush(into: &out)
        var interleaved = out
        if format.channels == 2 {
            interleaved = out.flatMap { [$0, 0.05 * $0] }
        }
        return WAVEncoder.file(interleaved, format: format)
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "crisiscue-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
