import CrisisCueApp
import CrisisCueCore
import Foundation
import Testing

@Suite("The shipped call classifier")
struct ShippedClassifierTests {
    @Test("models/classifier.tsv loads with the intent model and reproduces the trainer's probabilities")
    func checks() throws {
        let model = try IntentModelFile.load(Fixtures.root + "/models/intents.yaml")
        let classifier = try #require(model.classifier)
        #expect(model.definition.classifier?.file == "classifier.tsv")
        #expect(classifier.ngrams > 10000)
        #expect(classifier.checks.count >= 4)
        for check in classifier.checks {
            let p = classifier.probabilities(text: check.text)
            #expect(abs(p.transfer - check.probabilities.transfer) < 1e-6, "\(check.text)")
            #expect(abs(p.safety - check.probabilities.safety) < 1e-6, "\(check.text)")
            #expect(abs(p.none - check.probabilities.none) < 1e-6, "\(check.text)")
        }
    }

    @Test("a missing classifier file is named, with the intent model it belongs to")
    func missing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cc-cls-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Fixtures.root + "/models/intents.yaml", toPath: dir + "/intents.yaml")
        #expect {
            try IntentModelFile.load(dir + "/intents.yaml")
        } throws: { e in
            "\(e)".contains("intents.yaml") && "\(e)".contains("classifier.tsv")
        }
    }
}
