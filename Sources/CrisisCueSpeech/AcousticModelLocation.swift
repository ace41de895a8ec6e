import Foundation

/// Where the recognizer's model files are: acoustic model folder, pronunciation
/// dictionary and language model.
public struct AcousticModelLocation: Equatable, Sendable {
    public var acousticModel: String
    public var dictionary: String
    public var languageModel: String

    public init(acousticModel: String, dictionary: String, languageModel: String) {
        self.acousticModel = acousticModel
        self.dictionary = dictionary
        self.languageModel = languageModel
    }

    /// Problems that make the model unusable, in words a user can act on.
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case notFound(String)
        case incomplete(folder: String, missing: [String])
        case unreadable(String)

        public var description: String {
            switch self {
            case .notFound(let detail):
                return "speech model not found: \(detail). Install it with `apt-get install pocketsphinx-en-us`, or point --model-dir at a folder holding en-us/, en-us.lm.bin and cmudict-en-us.dict"
            case .incomplete(let folder, let missing):
                return "the acoustic model in \(folder) is incomplete: missing \(missing.joined(separator: ", "))"
            case .unreadable(let path):
                return "cannot read the speech model file \(path)"
            }
        }
    }

    /// The folder PocketSphinx's model package installs to, asked of pkg-config, with
    /// Debian's path as the fallback when pkg-config is not installed.
    public static func systemModelRoot() -> String {
        if let dir = Self.pkgConfigVariable("modeldir", package: "pocketsphinx"), !dir.isEmpty {
            return dir
        }
        return "/usr/share/pocketsphinx/model"
    }

    /// Finds the en-us model under `root` (either the pkg-config `modeldir` or its
    /// `en-us` folder) and checks that every file the decoder will open is there.
    public static func resolve(root: String) throws -> AcousticModelLocation {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw Problem.notFound("no folder at \(root)")
        }
        let candidates = [root + "/en-us", root]
        guard let base = candidates.first(where: { fm.fileExists(atPath: $0 + "/en-us/mdef") }) else {
            throw Problem.notFound("\(root) has no en-us acoustic model (en-us/mdef)")
        }
        let location = AcousticModelLocation(
            acousticModel: base + "/en-us",
            dictionary: base + "/cmudict-en-us.dict",
            languageModel: base + "/en-us.lm.bin")
        try location.validate()
        return location
    }

    /// Checks every file exists and is readable, since the library exits the process on
    /// a missing model file instead of returning an error.
    public func validate() throws {
        let fm = FileManager.default
        let required = ["mdef", "means", "variances", "transition_matrices"]
        var missing = required.filter { !fm.isReadableFile(atPath: acousticModel + "/" + $0) }
        if !fm.isReadableFile(atPath: acousticModel + "/sendump")
            && !fm.isReadableFile(atPath: acousticModel + "/mixture_weights")
        {
            missing.append("sendump or mixture_weights")
        }
        if !missing.isEmpty { throw Problem.incomplete(folder: acousticModel, missing: missing) }
        for file in [dictionary, languageModel] {
            guard fm.fileExists(atPath: file) else { throw Problem.notFound("no file \(file)") }
            guard fm.isReadableFile(atPath: file) else { throw Problem.unreadable(file) }
        }
    }

    static func pkgConfigVariable(_ name: String, package: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pkg-config", "--variable=\(name)", package]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
