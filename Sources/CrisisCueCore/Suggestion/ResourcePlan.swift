import Foundation

/// Which of the center's resources takes a transfer at a given moment: the on-site social
/// worker during its hours, the alternative outside them, the co-response for `safety`.
public struct ResourcePlan: Sendable {
    public let resources: IntentModelDefinition.Resources
    let timeZone: TimeZone
    /// Shifts as (weekday 1=Sunday...7=Saturday, start minute, end minute).
    let shifts: [(day: Int, from: Int, to: Int)]

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "resources: \(message)" }
    }

    static let days = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    public init(_ resources: IntentModelDefinition.Resources) throws {
        self.resources = resources
        guard let zone = TimeZone(identifier: resources.timeZone) else {
            throw Problem(message: "unknown time_zone '\(resources.timeZone)' (use an IANA name such as America/Chicago)")
        }
        timeZone = zone
        var shifts: [(Int, Int, Int)] = []
        for shift in resources.onSite?.hours ?? [] {
            guard let from = Self.minutes(shift.from), let to = Self.minutes(shift.to), from < to else {
                throw Problem(message: "on_site hours '\(shift.from)-\(shift.to)' must be HH:MM-HH:MM within one day")
            }
            for d in shift.days {
                guard let day = Self.days[String(d.lowercased().prefix(3))] else {
                    throw Problem(message: "unknown day '\(d)' (use mon, tue, wed, thu, fri, sat, sun)")
                }
                shifts.append((day, from, to))
            }
        }
        self.shifts = shifts
    }

    static func minutes(_ hhmm: String) -> Int? {
        let parts = hhmm.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    /// Whether the on-site social worker is on shift at `date`.
    public func onSiteAvailable(at date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        guard let day = c.weekday, let h = c.hour, let m = c.minute else { return false }
        let minute = h * 60 + m
        return shifts.contains { $0.day == day && $0.from <= minute && minute < $0.to }
    }

    /// Who takes a `transfer` at `date`.
    public func transferResource(at date: Date) -> String? {
        if let onSite = resources.onSite, onSiteAvailable(at: date) { return onSite.name }
        return resources.outsideHours ?? resources.onSite?.name
    }
}
