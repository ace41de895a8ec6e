import Foundation

/// Where CrisisCue's `models/` folder is (the intent model, the domain language model,
/// the telephone transform): `$CRISISCUE_MODELS`, then `models/` in a folder above the
/// executable (a build inside the repository), then the current folder, then the shared
/// data folders of an installation.
public enum ModelFolder {
    public static func locate(executable: String = CommandLine.arguments.first ?? "") -> String? {
        candidates(executable: executable).first {
            FileManager.default.isReadableFile(atPath: $0 + "/intents.yaml")
        }
    }

    static func candidates(executable: String) -> [String] {
        var result: [String] = []
        if let env = ProcessInfo.processInfo.environment["CRISISCUE_MODELS"], !env.isEmpty { result.append(env) }
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            result.append(dir.appendingPathComponent("models").path)
            dir.deleteLastPathComponent()
        }
        result.append(FileManager.default.currentDirectoryPath + "/models")
        result += ["/usr/local/share/crisiscue/models", "/usr/share/crisiscue/models"]
        return result
    }
}
