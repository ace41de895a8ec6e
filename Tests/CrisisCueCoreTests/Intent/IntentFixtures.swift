import CrisisCueCore

/// A small intent model written in code, so the core's tests do not depend on the
/// shipped YAML file (the end-to-end tests cover that one).
enum IntentFixtures {
    static let definition = IntentModelDefinition(
        version: 1,
        classes: ["reflexive": ["myself", "himself", "herself"], "possessive": ["my", "his", "her"]],
        categories: [
            .init(id: "suicidal_ideation", kind: .crisis, label: nil, service: "mh", reliability: 0.9, implies: nil, phrases: [
                .init(text: "[(want|wants|thinking about)] [to] (kill {reflexive} | end {possessive} life)"),
            ]),
            .init(id: "welfare", kind: .crisis, label: nil, service: "welfare", reliability: 0.8, implies: nil, phrases: [
                .init(text: "worried about (him|her)", weight: 0.5),
                .init(text: "(haven't|hasn't) heard from (him|her)"),
            ]),
            .init(id: "weapon", kind: .safety, label: nil, service: nil, reliability: 0.9, implies: nil, phrases: [
                .init(text: "(gun|knife|rifle)"),
            ]),
            .init(id: "attempt", kind: .safety, label: nil, service: nil, reliability: 0.9, implies: "suicidal_ideation", phrases: [
                .init(text: "took (a bunch of|all) [his|her|my] pills"),
            ]),
        ],
        confusers: ["(glue|nail) gun"],
        negation: .init(
            before: ["no", "not", "never", "nobody", "sold"], beforeScope: 3,
            after: ["years ago"], afterScope: 3, afterAcross: ["(sold|got rid of) it"], afterAcrossScope: 6,
            clauseBreaks: ["but", "and", "he", "she"]),
        questions: .init(
            openers: ["(does|is|did) (he|she|anyone)"], leadIns: ["okay"], scopeBreaks: ["but", "and"], scope: 8,
            affirmatives: ["(yes|yeah)", "(he|she) does"]),
        policy: .init(transferThreshold: 1, safetyCrisisThreshold: 1, maxEdits: 1, stablePartials: 2, partialLookahead: 1),
        services: ["mh": "mental-health care", "welfare": "welfare check"],
        resources: .init(
            timeZone: "America/Chicago",
            onSite: .init(name: "on-site social worker", hours: [.init(days: ["mon", "tue", "wed", "thu", "fri"], from: "12:00", to: "20:30")]),
            outsideHours: "mobile crisis team", coResponse: "co-response"))

    static let model = try! IntentModel(definition)

    /// The model above with a hand-written call classifier and the stop-36 policy
    /// (`configure` changes it).
    static func classified(_ classifier: CallClassifier, _ configure: (inout ClassifierPolicy) -> Void = { _ in }) -> IntentModel {
        var d = definition
        var policy = ClassifierPolicy(file: "test.tsv", safetyAbove: 0.2, leaveNoneAt: 0.5, overrideExclusionAt: 0.75, transferNeedsIndicator: true)
        configure(&policy)
        d.classifier = policy
        var m = try! IntentModel(d)
        m.classifier = classifier
        return m
    }

    /// Words spoken at a steady 0.3 s a word from `start`.
    static func words(_ text: String, start: Double = 0) -> [RecognizedWord] {
        text.split(separator: " ").enumerated().map { i, w in
            RecognizedWord(text: String(w), start: start + Double(i) * 0.3, end: start + Double(i) * 0.3 + 0.25)
        }
    }

    static func hypothesis(_ text: String, final: Bool, start: Double = 0) -> Hypothesis {
        let w = words(text, start: start)
        return Hypothesis(words: w, isFinal: final, start: w.first?.start ?? start, end: w.last?.end ?? start)
    }
}
