import ArgumentParser
import CrisisCueCore

/// How events are written.
public enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// One JSON object per line on stdout (shared/INTERFACE.md).
    case jsonl
    /// Readable lines: final transcripts, suggestions, summaries and errors.
    case text
    /// The full-screen side panel.
    case ui
}

/// Renders events as lines in the chosen format.
public enum EventFormatter {
    /// The line for `event`, or nil when the format does not show it (text mode leaves
    /// out partial hypotheses).
    public static func line(_ event: CallEvent, format: OutputFormat) -> String? {
        switch format {
        case .jsonl, .ui: return event.jsonLine
        case .text: return text(event)
        }
    }

    static func text(_ event: CallEvent) -> String? {
        let prefix = "\(event.call) \(clock(event.t))"
        switch event.payload {
        case .transcript(let text, let final, let start, let end, let speaker, _):
            guard final else { return nil }
            return "\(prefix)  \(speaker.rawValue.padding(7))\(clock(start))-\(clock(end))  \(text)"
        case .indicator(let kind, let category, let phrase, _, _, let negated, let speaker, _):
            let what = negated ? "negated \(kind)" : kind
            return "\(prefix)  \(what) indicator: \(category) \"\(phrase)\" (\(speaker.rawValue))"
        case .suggestion(let action, let reasons, let confidence, let details):
            let why = reasons.map { "\($0.category) \"\($0.phrase)\" at \(clock($0.t))" }.joined(separator: "; ")
            let pct = Int((confidence * 100).rounded())
            var line: String
            switch action {
            case .transfer: line = "SUGGEST: live transfer to social worker (\(pct)%)"
            case .safety:
                let blocking = (details?.blocking ?? []).map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
                line = "SAFETY: crisis indicators, but not for social worker alone: \(blocking.isEmpty ? "exclusion" : blocking) (\(pct)%)"
            case .none: line = "suggestion cleared: no crisis indicators"
            }
            if let service = details?.service { line += " service: \(service)" }
            if let resource = details?.resource { line += "; resource: \(resource)" }
            return "\(prefix)  \(line)" + (why.isEmpty ? "" : " because \(why)")
        case .summary(let s):
            let first = s.firstTransferT.map { ", first transfer at \(clock($0))" } ?? ""
            let safety = s.firstSafetyT.map { ", first safety at \(clock($0))" } ?? ""
            var line = "\(event.call) summary: \(s.action.rawValue)\(first)\(safety); \(fixed(s.audioSeconds, 1)) s audio in \(fixed(s.processingSeconds, 2)) s (RTF \(fixed(s.rtf, 3)))"
            if let c = s.capture {
                line += "; capture \(c.device) \(c.sampleRate) Hz x \(c.channels): \(c.overruns) overruns, "
                    + "\(fixed(c.droppedSeconds, 3)) s dropped, \(c.losses) device losses, hand-off p99 "
                    + "\(fixed(c.handoffP99Ms, 2)) ms (queued p99 \(fixed(c.queueP99Ms, 1)) ms), capture thread \(fixed(c.captureCPUPercent, 2))% CPU"
            }
            return line
        case .error(let message):
            return "\(event.call) error: \(message)"
        case .operatorChoice(let choice, let action, _):
            return "\(prefix)  operator: \(choice == .accept ? "accepted" : "dismissed") the \(action.rawValue) suggestion"
        case .device(let n):
            return "\(prefix)  device \(n.state.rawValue): \(n.message)"
        }
    }

    /// `m:ss.s` call time.
    static func clock(_ t: Double) -> String {
        let tenths = Int((max(0, t) * 10).rounded())
        let minutes = tenths / 600
        let seconds = (tenths % 600) / 10
        return "\(minutes):\(seconds < 10 ? "0" : "")\(seconds).\(tenths % 10)"
    }

    static func fixed(_ x: Double, _ decimals: Int) -> String {
        JSONObjectWriter.number(x, decimals: decimals)
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
