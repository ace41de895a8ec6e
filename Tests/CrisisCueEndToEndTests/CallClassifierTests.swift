import CrisisCueApp
import CrisisCueCore
import Foundation
import Testing

@Suite("The shipped call classifier")
struct ShippedClassifierTests {
    @Test("models/classifier.tsv and the live one blended with it load with the intent model and reproduce the trainer's probabilities")
    func checks() throws {
        let model = try IntentModelFile.load(Fixtures.root + "/models/intents.yaml")
        let whole = try #require(model.classifier)
        #expect(model.definition.classifier?.file == "classifier.tsv")
        #expect(model.definition.classifier?.blend == ["classifier-live.tsv"])
        #expect(whole.blend.count == 1)
        for classifier in [whole] + whole.blend {
            #expect(classifier.ngrams > 10000)
            #expect(classifier.checks.count >= 4)
            for check in classifier.checks {
                let p = classifier.probabilities(text: check.text)
                #expect(abs(p.transfer - check.probabilities.transfer) < 1e-6, "\(check.text)")
                #expect(abs(p.safety - check.probabilities.safety) < 1e-6, "\(check.text)")
                #expect(abs(p.none - check.probabilities.none) < 1e-6, "\(check.text)")
            }
        }
        // What the blend is for: a plain crisis, before anyone has asked about weapons,
        // reads as danger to the whole-call model and as a transfer to the live one.
        let plain = try #require(whole.checks.first { $0.text.contains("hearing voices") })
        let live = try #require(whole.blend.first?.checks.first { $0.text == plain.text })
        #expect(plain.probabilities.safety > 0.5 && live.probabilities.transfer > 0.9)
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
