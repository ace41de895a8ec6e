import ArgumentParser
import CrisisCueCore
import Foundation

/// Options of the intent stage, shared by the commands that suggest.
public struct IntentOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(
        "Intent model to use instead of the shipped models/intents.yaml.", valueName: "FILE"))
    public var intents: String?

    @Option(help: ArgumentHelp(
        "When the call happened, for shift-dependent resources: ISO 8601 ('2026-03-02T14:30', local to the model's time zone, or with an offset). Default: now.",
        valueName: "TIME"))
    public var at: String?

    public init() {}

    public func validate() throws {
        if let at, Self.parseTime(at, zone: TimeZone.current) == nil {
            throw ValidationError("--at '\(at)' is not a time like 2026-03-02T14:30 or 2026-03-02T14:30:00-06:00")
        }
    }

    /// The compiled model; problems are reported by file and line.
    public func model() throws -> IntentModel { try IntentModelFile.load(intents) }

    /// When the call started: `--at` read in the model's time zone (unless it has an
    /// offset), or now.
    public func callStart(for model: IntentModel) -> Date {
        guard let at else { return Date() }
        let zone = model.definition.resources.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone.current
        return Self.parseTime(at, zone: zone) ?? Date()
    }

    static func parseTime(_ text: String, zone: TimeZone) -> Date? {
        let withZone = ISO8601DateFormatter()
        withZone.formatOptions = [.withInternetDateTime]
        if let d = withZone.date(from: text) { return d }
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = zone
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}
