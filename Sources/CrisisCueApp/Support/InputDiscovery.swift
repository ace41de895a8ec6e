import Foundation

/// One recorded call to process: its path and the name events carry.
public struct CallInput: Equatable, Sendable {
    public var path: String
    /// The file name without extension (INTERFACE.md's `call`).
    public var call: String
    /// A name unique within the run, for per-call output files.
    public var outputName: String
    /// Set when the path could not be used at all (missing, empty folder).
    public var problem: String?
}

/// Expands the paths given on the command line: files as they are, folders searched
/// recursively for `*.wav` (any case), in a stable order.
public enum InputDiscovery {
    public static func expand(_ paths: [String]) -> [CallInput] {
        var found: [(path: String, problem: String?)] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                found.append((path, "no such file: \(path)"))
                continue
            }
            guard isDir.boolValue else {
                found.append((path, nil))
                continue
            }
            var files: [String] = []
            if let walker = fm.enumerator(atPath: path) {
                while let relative = walker.nextObject() as? String {
                    if relative.lowercased().hasSuffix(".wav") {
                        let full = (path as NSString).appendingPathComponent(relative)
                        var sub: ObjCBool = false
                        if fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue { files.append(full) }
                    }
                }
            }
            if files.isEmpty { found.append((path, "no .wav files found under \(path)")) }
            found.append(contentsOf: files.sorted().map { ($0, nil) })
        }
        let calls = found.map { callName($0.path) }
        var counts: [String: Int] = [:]
        for c in calls { counts[c, default: 0] += 1 }
        return zip(found, calls).map { item, call in
            let unique = counts[call, default: 0] > 1 ? pathName(item.path) : call
            return CallInput(path: item.path, call: call, outputName: unique, problem: item.problem)
        }
    }

    public static func callName(_ path: String) -> String {
        let base = (path as NSString).lastPathComponent
        let stem = (base as NSString).deletingPathExtension
        return stem.isEmpty ? base : stem
    }

    /// A file-name-safe rendering of the whole path, for disambiguating equal names.
    static func pathName(_ path: String) -> String {
        let stem = (path as NSString).deletingPathExtension
        return stem.split(separator: "/").filter { $0 != "." && $0 != ".." }.joined(separator: "__")
    }
}
