import CrisisCueCore
import Testing

@Suite("Evaluation: the figures QA teams check a configuration with")
struct EvaluationTests {
    func outcome(_ id: String, _ label: SuggestedAction, _ predicted: SuggestedAction, shown: SuggestedAction?, transferAt: Double? = nil) -> Evaluation.Outcome {
        var o = Evaluation.Outcome(
            id: id, label: label, keyEnd: 10, predicted: predicted, firstTransferT: transferAt ?? (predicted == .transfer ? 11 : nil),
            firstSafetyT: predicted == .safety ? 12 : nil, confidence: 0.9, reasons: [], audioSeconds: 30, processingSeconds: 3)
        o.shown = shown
        return o
    }

    @Test("accuracy, unsafe and transient transfers, and the last card checked against the call's suggestion")
    func figures() {
        let e = Evaluation(outcomes: [
            outcome("a", .transfer, .transfer, shown: .transfer),
            outcome("b", .safety, .transfer, shown: .transfer),
            outcome("c", .safety, .safety, shown: .safety, transferAt: 5),
            // Scored `safety`, but the telecommunicator's card still said `transfer`.
            outcome("d", .safety, .safety, shown: .transfer, transferAt: 5),
            // A tool that reports no events (the keyword peer): not checked.
            outcome("e", .none, .none, shown: nil),
        ])
        #expect(e.accuracy == 0.8)
        #expect(e.unsafeTransfers.map(\.id) == ["b"])
        #expect(e.transientTransfers.map(\.id) == ["c", "d"])
        #expect(e.cardMismatches.map(\.id) == ["d"])
        #expect(e.latencies.count == 3)
    }
}
