import Foundation

/// The recorder's metadata for an archive (`--metadata calls.csv`): which number each
/// call came from and when, to find repeat callers. Needs a header naming at least a call
/// id (`call`, `call_id`, `id`), the caller's number (`caller`, `caller_number`, `number`,
/// `ani`, `caller_id`) and the start time (`start`, `start_time`, `time`); the call id
/// is the recording's file name without extension.
struct CallMetadata {
    struct Entry: Equatable {
        var number: String
        var start: String
    }

    var byCall: [String: Entry]

    enum Problem: Error, CustomStringConvertible {
        case unreadable(String)
        case missingColumns(String, [String])
        var description: String {
            switch self {
            case .unreadable(let path): "--metadata: cannot read \(path)"
            case .missingColumns(let path, let missing):
                "--metadata: \(path) needs a header with columns for \(missing.joined(separator: ", ")) (e.g. call_id,caller_number,start_time)"
            }
        }
    }

    static func load(_ path: String) throws -> CallMetadata {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem.unreadable(path) }
        let records = parse(String(decoding: data, as: UTF8.self))
        guard let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw Problem.missingColumns(path, ["call id", "caller number", "start time"])
        }
        func column(_ names: [String]) -> Int? { header.firstIndex { names.contains($0) } }
        let id = column(["call", "call_id", "callid", "id"])
        let number = column(["caller", "caller_number", "number", "ani", "caller_id", "phone"])
        let start = column(["start", "start_time", "started", "time"])
        let missing = [(id, "call id"), (number, "caller number"), (start, "start time")].filter { $0.0 == nil }.map(\.1)
        guard missing.isEmpty, let id, let number, let start else { throw Problem.missingColumns(path, missing) }
        var byCall: [String: Entry] = [:]
        for r in records.dropFirst() where r.count > max(id, number, start) {
            let key = r[id].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            byCall[key] = Entry(number: r[number].trimmingCharacters(in: .whitespaces), start: r[start].trimmingCharacters(in: .whitespaces))
        }
        return CallMetadata(byCall: byCall)
    }

    /// RFC 4180 records (quoted fields with doubled quotes, CRLF or LF line ends).
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                record.append(field); field = ""
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// Numbers behind two or more crisis calls (a crisis indicator was heard, negations
    /// aside), most calls first: number, crisis calls, first and last start, call ids.
    func repeatCallers(_ records: [CallRecord]) -> [(number: String, calls: [(call: String, start: String)])] {
        var byNumber: [String: [(String, String)]] = [:]
        for r in records where r.marks.contains(where: { $0.kind == "crisis" && !$0.negated }) {
            guard let e = byCall[r.row.call], !e.number.isEmpty else { continue }
            byNumber[e.number, default: []].append((r.row.call, e.start))
        }
        return byNumber.filter { $0.value.count >= 2 }
            .map { (number: $0.key, calls: $0.value.sorted { $0.1 < $1.1 }.map { (call: $0.0, start: $0.1) }) }
            .sorted { $0.calls.count != $1.calls.count ? $0.calls.count > $1.calls.count : $0.number < $1.number }
    }

    func repeatCallersCSV(_ records: [CallRecord]) -> String {
        var lines = [["caller_number", "crisis_calls", "first_start", "last_start", "calls"]]
        for r in repeatCallers(records) {
            lines.append([r.number, "\(r.calls.count)", r.calls.first?.start ?? "", r.calls.last?.start ?? "",
                          r.calls.map(\.call).joined(separator: "; ")])
        }
        return lines.map { $0.map(ArchiveSummary.quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
