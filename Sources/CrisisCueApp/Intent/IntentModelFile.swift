import CrisisCueCore
import Foundation
import Yams

/// Reads an intent model from a YAML file (`models/intents.yaml` by default).
///
/// Every problem is reported with the file, the line and what is wrong: YAML syntax,
/// a missing or mistyped field, or content the compiler rejects (an unbalanced phrase,
/// an unknown word class, a bad time).
public enum IntentModelFile {
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var line: Int?
        public var message: String

        public var description: String {
            "intent model \(file)\(line.map { ", line \($0)" } ?? ""): \(message)"
        }
    }

    /// The shipped model, `intents.yaml` in the models folder (see `ModelFolder`).
    public static func defaultPath() -> String? {
        ModelFolder.locate().map { $0 + "/intents.yaml" }
    }

    /// Loads and compiles the model at `path` (or the default one).
    public static func load(_ path: String?) throws -> IntentModel {
        guard let path = path ?? defaultPath() else {
            throw Problem(file: "models/intents.yaml", line: nil, message: "not found next to the executable or in the current folder; pass --intents FILE or set CRISISCUE_MODELS")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw Problem(file: path, line: nil, message: exists ? "cannot be read (permissions?)" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(file: path, line: nil, message: "is not UTF-8 text")
        }
        var model = try parse(text, file: path)
        if let policy = model.definition.classifier {
            func classifier(_ name: String, key: String) throws -> CallClassifier {
                let file = name.hasPrefix("/") ? name : (path as NSString).deletingLastPathComponent + "/" + name
                guard let data = FileManager.default.contents(atPath: file), let tsv = String(data: data, encoding: .utf8) else {
                    throw Problem(file: path, line: nil, message: "classifier.\(key) \(file): cannot be read (run scripts/train-call-classifier?)")
                }
                do {
                    return try CallClassifier(tsv: tsv)
                } catch let e as CallClassifier.Problem {
                    throw Problem(file: file, line: e.line, message: e.message)
                }
            }
            var c = try classifier(policy.file, key: "file")
            c.blend = try (policy.blend ?? []).map { try classifier($0, key: "blend") }
            model.classifier = c
        }
        return model
    }

    /// Parses and compiles model text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws -> IntentModel {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw Problem(file: file, line: nil, message: "the file is empty")
            }
            root = node
        } catch let e as YamlError {
            throw Problem(file: file, line: yamlLine(e), message: "YAML syntax: \(yamlProblem(e))")
        }
        let definition: IntentModelDefinition
        do {
            definition = try YAMLDecoder().decode(IntentModelDefinition.self, from: root)
        } catch let e as DecodingError {
            let (path, message) = describe(e)
            throw Problem(file: file, line: line(of: path, in: root), message: message)
        }
        do {
            return try IntentModel(definition)
        } catch let e as IntentModel.Problem {
            let path = e.path.map { location -> CodingKey in
                switch location {
                case .key(let k): return AnyKey(k)
                case .index(let i): return AnyKey(i)
                }
            }
            throw Problem(file: file, line: line(of: path, in: root), message: e.description)
        }
    }

    static func yamlLine(_ e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func yamlProblem(_ e: YamlError) -> String {
        switch e {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default:
            return "\(e)"
        }
    }

    static func describe(_ e: DecodingError) -> ([CodingKey], String) {
        func name(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop { $0 == "." }.description
        }
        switch e {
        case .keyNotFound(let key, let c):
            let at = name(c.codingPath)
            return (c.codingPath, "missing field '\(key.stringValue)'\(at.isEmpty ? "" : " in \(at)")")
        case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
            return (c.codingPath, "\(name(c.codingPath)): expected \(typeName(type))")
        case .dataCorrupted(let c):
            return (c.codingPath, "\(name(c.codingPath)): \(c.debugDescription)")
        @unknown default:
            return ([], "\(e)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        let t = "\(type)"
        if t.hasPrefix("Array") { return "a list" }
        if t.hasPrefix("Dictionary") || t.contains("Definition") { return "a mapping" }
        if t == "Double" || t == "Int" { return "a number" }
        if t == "String" { return "text" }
        if t.hasSuffix("Kind") { return "crisis or safety" }
        return t
    }

    /// The line of the node at `path`, or of the deepest node of it that exists.
    static func line(of path: [CodingKey], in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for key in path {
            var next: Node?
            if let i = key.intValue, let seq = node.sequence, i < seq.count {
                next = seq[i]
            } else if let map = node.mapping {
                next = map[key.stringValue]
            }
            guard let found = next else { break }
            node = found
            line = found.mark?.line ?? line
        }
        return line
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(_ s: String) { stringValue = s; intValue = nil }
        init(_ i: Int) { stringValue = "\(i)"; intValue = i }
        init?(stringValue: String) { self.init(stringValue) }
        init?(intValue: Int) { self.init(intValue) }
    }
}
