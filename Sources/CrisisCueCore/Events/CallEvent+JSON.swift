/// JSON Lines encoding of events, with a fixed key order (`call`, `type`, `t`, then the
/// type's fields) and times rounded to milliseconds. Hand-written because the order and
/// the number format are part of the contract scripts rely on.
extension CallEvent {
    public var jsonLine: String {
        var o = JSONObjectWriter()
        o.add("call", .string(call))
        o.add("type", .string(type))
        o.add("t", .seconds(t))
        switch payload {
        case .transcript(let text, let final, let start, let end, let speaker, let confidences):
            o.add("text", .string(text))
            o.add("final", .bool(final))
            o.add("start", .seconds(start))
            o.add("end", .seconds(end))
            o.add("speaker", .string(speaker.rawValue))
            if let confidences { o.add("word_confidence", .array(confidences.map { .seconds($0) })) }
        case .indicator(let kind, let category, let phrase, let start, let end, let negated, let speaker, let confidence):
            o.add("kind", .string(kind))
            o.add("category", .string(category))
            o.add("phrase", .string(phrase))
            o.add("start", .seconds(start))
            o.add("end", .seconds(end))
            o.add("negated", .bool(negated))
            o.add("speaker", .string(speaker.rawValue))
            if let confidence { o.add("confidence", .seconds(confidence)) }
        case .suggestion(let action, let reasons, let confidence, let details):
            o.add("action", .string(action.rawValue))
            o.add("reasons", Self.reasons(reasons))
            o.add("confidence", .seconds(confidence))
            if let details {
                if let s = details.service { o.add("service", .string(s)) }
                if let r = details.resource { o.add("resource", .string(r)) }
                if let b = details.blocking { o.add("blocking", .array(b.map { .string($0) })) }
            }
        case .summary(let s):
            o.add("action", .string(s.action.rawValue))
            o.add("first_transfer_t", s.firstTransferT.map { .seconds($0) } ?? .null)
            o.add("first_safety_t", s.firstSafetyT.map { .seconds($0) } ?? .null)
            o.add("audio_seconds", .seconds(s.audioSeconds))
            o.add("processing_seconds", .seconds(s.processingSeconds))
            o.add("rtf", .ratio(s.rtf))
            if let h = s.inputHash { o.add("input_hash", .string(h)) }
            if let c = s.capture {
                var co = JSONObjectWriter()
                co.add("device", .string(c.device))
                co.add("sample_rate", .int(c.sampleRate))
                co.add("channels", .int(c.channels))
                co.add("period_frames", .int(c.periodFrames))
                co.add("overruns", .int(c.overruns))
                co.add("dropped_seconds", .seconds(c.droppedSeconds))
                co.add("losses", .int(c.losses))
                co.add("handoff_p50_ms", .seconds(c.handoffP50Ms))
                co.add("handoff_p99_ms", .seconds(c.handoffP99Ms))
                co.add("handoff_max_ms", .seconds(c.handoffMaxMs))
                co.add("queue_p99_ms", .seconds(c.queueP99Ms))
                co.add("capture_cpu_percent", .seconds(c.captureCPUPercent))
                o.add("capture", .raw(co.text))
            }
        case .error(let message):
            o.add("message", .string(message))
        case .operatorChoice(let choice, let action, let reasons):
            o.add("choice", .string(choice.rawValue))
            o.add("action", .string(action.rawValue))
            o.add("reasons", Self.reasons(reasons))
        case .device(let n):
            o.add("state", .string(n.state.rawValue))
            o.add("message", .string(n.message))
            o.add("overruns", .int(n.overruns))
            o.add("dropped_seconds", .seconds(n.droppedSeconds))
        }
        return o.text
    }

    public static func reasons(_ reasons: [SuggestionReason]) -> JSONObjectWriter.Value {
        .array(reasons.map { r in
            var ro = JSONObjectWriter()
            ro.add("category", .string(r.category))
            ro.add("phrase", .string(r.phrase))
            ro.add("t", .seconds(r.t))
            return .raw(ro.text)
        })
    }
}

/// A minimal JSON object writer with insertion-ordered keys.
public struct JSONObjectWriter: Sendable {
    public enum Value: Sendable {
        case string(String)
        case bool(Bool)
        case int(Int)
        /// A time or probability, rounded to 3 decimals.
        case seconds(Double)
        /// A ratio, rounded to 4 decimals.
        case ratio(Double)
        case null
        case array([Value])
        /// Already-encoded JSON.
        case raw(String)
    }

    private var parts: [String] = []

    public init() {}

    public mutating func add(_ key: String, _ value: Value) {
        parts.append(Self.quote(key) + ":" + Self.encode(value))
    }

    public var text: String { "{" + parts.joined(separator: ",") + "}" }

    public static func encode(_ value: Value) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .seconds(let d): return number(d, decimals: 3)
        case .ratio(let d): return number(d, decimals: 4)
        case .null: return "null"
        case .array(let items): return "[" + items.map(encode).joined(separator: ",") + "]"
        case .raw(let s): return s
        }
    }

    /// A finite number with at most `decimals` decimals and no trailing zeros.
    public static func number(_ d: Double, decimals: Int) -> String {
        guard d.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (d * scale).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / Int64(scale)
        var fraction = String(magnitude % Int64(scale))
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (negative ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
