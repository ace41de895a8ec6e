/// Scores suggestions against labelled calls: what QA teams check a configuration with
/// before going live. Pure: takes the outcomes, computes the figures.
public struct Evaluation: Sendable {
    /// One labelled call and what CrisisCue made of it.
    public struct Outcome: Equatable, Sendable {
        public var id: String
        public var label: SuggestedAction
        /// Audio seconds at the end of the line that makes the label decidable.
        public var keyEnd: Double?
        public var predicted: SuggestedAction
        public var firstTransferT: Double?
        public var firstSafetyT: Double?
        public var confidence: Double
        public var reasons: [SuggestionReason]
        public var audioSeconds: Double
        public var processingSeconds: Double
        public var error: String?
        /// Categories (crisis and exclusion) truly present, where the manifest says.
        public var truth: Set<String>?
        /// Categories whose indicators counted as evidence on this call.
        public var fired: Set<String> = []
        /// The suggestion the last card showed (the last `suggestion` event; `none` if
        /// there was none), where the tool reports its events; nil otherwise.
        public var shown: SuggestedAction?

        public init(
            id: String, label: SuggestedAction, keyEnd: Double?, predicted: SuggestedAction,
            firstTransferT: Double?, firstSafetyT: Double?, confidence: Double, reasons: [SuggestionReason],
            audioSeconds: Double, processingSeconds: Double, error: String? = nil
        ) {
            self.id = id
            self.label = label
            self.keyEnd = keyEnd
            self.predicted = predicted
            self.firstTransferT = firstTransferT
            self.firstSafetyT = firstSafetyT
            self.confidence = confidence
            self.reasons = reasons
            self.audioSeconds = audioSeconds
            self.processingSeconds = processingSeconds
            self.error = error
        }

        /// Seconds from the end of the decisive line to the first suggestion of the
        /// right action (negative: it came before the line ended).
        public var latency: Double? {
            guard predicted == label, let keyEnd else { return nil }
            switch label {
            case .transfer: return firstTransferT.map { $0 - keyEnd }
            case .safety: return firstSafetyT.map { $0 - keyEnd }
            case .none: return nil
            }
        }
    }

    public struct ClassScore: Equatable, Sendable {
        public var precision: Double
        public var recall: Double
        public var support: Int
        public var predicted: Int
    }

    public let outcomes: [Outcome]

    public init(outcomes: [Outcome]) { self.outcomes = outcomes }

    /// How often each category's indicators counted on a call where it is truly present
    /// (precision: what a category's `reliability` in the intent model should be) and
    /// how many of the calls with it they caught (recall). Only calls whose manifest
    /// lists their categories are scored.
    public var categoryScores: [(category: String, precision: Double, recall: Double, fired: Int, present: Int)] {
        let s = scored.filter { $0.truth != nil }
        let all = Set(s.flatMap { $0.fired.union($0.truth!) }).sorted()
        return all.map { c in
            let fired = s.filter { $0.fired.contains(c) }
            let present = s.filter { $0.truth!.contains(c) }
            let right = fired.filter { $0.truth!.contains(c) }.count
            return (c, fired.isEmpty ? 0 : Double(right) / Double(fired.count),
                    present.isEmpty ? 0 : Double(right) / Double(present.count), fired.count, present.count)
        }
    }

    public var scored: [Outcome] { outcomes.filter { $0.error == nil } }

    public var accuracy: Double {
        let s = scored
        return s.isEmpty ? 0 : Double(s.filter { $0.predicted == $0.label }.count) / Double(s.count)
    }

    /// `safety` calls whose final suggestion was `transfer`: the worst error.
    public var unsafeTransfers: [Outcome] { scored.filter { $0.label == .safety && $0.predicted == .transfer } }

    /// Calls whose last card showed another suggestion than the call's own (an integrity
    /// check: what the telecommunicator saw must be what is scored).
    public var cardMismatches: [Outcome] { scored.filter { $0.shown != nil && $0.shown != $0.predicted } }

    /// `safety` calls on which `transfer` was shown at some point before the veto.
    public var transientTransfers: [Outcome] {
        scored.filter { $0.label == .safety && $0.predicted == .safety && $0.firstTransferT != nil }
    }

    public func score(_ action: SuggestedAction) -> ClassScore {
        let s = scored
        let tp = s.filter { $0.label == action && $0.predicted == action }.count
        let support = s.filter { $0.label == action }.count
        let predicted = s.filter { $0.predicted == action }.count
        return ClassScore(
            precision: predicted == 0 ? 0 : Double(tp) / Double(predicted),
            recall: support == 0 ? 0 : Double(tp) / Double(support), support: support, predicted: predicted)
    }

    /// Counts of (label, predicted).
    public var confusion: [SuggestedAction: [SuggestedAction: Int]] {
        var m: [SuggestedAction: [SuggestedAction: Int]] = [:]
        for o in scored { m[o.label, default: [:]][o.predicted, default: 0] += 1 }
        return m
    }

    public var latencies: [Double] { scored.compactMap(\.latency).sorted() }

    /// Nearest-rank percentile of sorted values.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    public var audioSeconds: Double { scored.reduce(0) { $0 + $1.audioSeconds } }
    public var rtf: Double {
        let audio = audioSeconds
        return audio > 0 ? scored.reduce(0) { $0 + $1.processingSeconds } / audio : 0
    }

    /// Brier score of the final suggestion's confidence as the probability that it is right.
    public var brier: Double? {
        let s = scored.filter { $0.predicted != .none }
        guard !s.isEmpty else { return nil }
        return s.reduce(0) { acc, o in
            let y: Double = o.predicted == o.label ? 1 : 0
            return acc + (o.confidence - y) * (o.confidence - y)
        } / Double(s.count)
    }
}
