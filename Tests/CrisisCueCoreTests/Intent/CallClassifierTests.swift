import CrisisCueCore
import Foundation
import Testing

@Suite("Call classifier: the trainer's file, tokens, n-grams, a call as it grows")
struct CallClassifierTests {
    /// A hand-written model: "gun" pushes to safety, "voices" and "hearing voices" to
    /// transfer, "the" to nothing.
    static let tsv = """
        # a test model
        @classes\ttransfer\tsafety\tnone
        @intercept\t0\t0.5\t1
        @check\the has a gun\t0.1\t0.8\t0.1
        gun\t3\t-1\t3\t0
        check\t1\t0\t0\t1
        voices\t1\t2\t0\t-1
        hearing voices\t1.5\t1\t0\t0
        the\t1\t0\t0\t0
        he's got\t1\t0\t1\t0
        """
    static let model = try! CallClassifier(tsv: tsv)

    /// The trainer's formula, written out: (1 + ln tf) * idf, L2-normalised, softmax.
    func expected(_ tf: [(idf: Double, tf: Int, w: [Double])], intercept: [Double] = [0, 0.5, 1]) -> [Double] {
        let v = tf.map { (1 + log(Double($0.tf))) * $0.idf }
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        var z = intercept
        for (i, f) in tf.enumerated() { for k in 0..<3 { z[k] += v[i] / norm * f.w[k] } }
        let e = z.map { exp($0) }
        return e.map { $0 / e.reduce(0, +) }
    }

    /// Equal but for the order of summation (a dictionary's).
    func close(_ a: CallClassifier.Probabilities, _ b: CallClassifier.Probabilities) -> Bool {
        abs(a.transfer - b.transfer) < 1e-12 && abs(a.safety - b.safety) < 1e-12 && abs(a.none - b.none) < 1e-12
    }

    @Test("tokens: lower-cased runs of letters and apostrophes, curly apostrophes straightened")
    func tokens() {
        #expect(CallClassifier.tokens("He’s GOT a gun!! 911, he's-there") == ["he's", "got", "a", "gun", "he's", "there"])
        #expect(CallClassifier.tokens("  ") == [])
    }

    @Test("probabilities follow the trainer's formula; unknown words are not features")
    func formula() {
        let p = Self.model.probabilities(text: "he is hearing voices, voices and a gun, zebra, check")
        let want = expected([(3, 1, [-1, 3, 0]), (1, 2, [2, 0, -1]), (1.5, 1, [1, 0, 0]), (1, 1, [0, 0, 1])])
        #expect(abs(p.transfer - want[0]) < 1e-12 && abs(p.safety - want[1]) < 1e-12 && abs(p.none - want[2]) < 1e-12)
        let empty = Self.model.probabilities(text: "zebra")
        let prior = expected([])
        #expect(abs(empty.none - prior[2]) < 1e-12, "no known n-gram: the intercepts alone")
        #expect(Self.model.checks.count == 1 && Self.model.checks[0].text == "he has a gun")
    }

    @Test("a call read final by final, with a partial on top, equals the whole text at once")
    func incremental() {
        var call = CallClassifier.Call(Self.model)
        call.commit("my brother keeps hearing")
        let (partial, _) = call.assess(partial: "voices he's got the")
        let whole = Self.model.probabilities(text: "my brother keeps hearing voices he's got the")
        #expect(close(partial, whole), "n-grams across the boundary count")
        call.commit("voices he's got the")
        #expect(close(call.assess().0, whole))
        let (withGun, words) = call.assess(partial: "gun")
        #expect(close(withGun, Self.model.probabilities(text: "my brother keeps hearing voices he's got the gun")))
        #expect(withGun.best == .safety && words.first == "gun", "the n-gram that pushed most is named")
        #expect(close(call.assess().0, whole), "a partial is not kept")
    }

    @Test("a blend averages its classifiers' probabilities, final by final and with a partial")
    func blend() throws {
        let other = try CallClassifier(tsv: """
            @classes\ttransfer\tsafety\tnone
            @intercept\t1\t0\t0
            gun\t1\t0\t2\t0
            voices\t2\t1\t0\t0
            """)
        var blended = Self.model
        blended.blend = [other]
        var call = CallClassifier.Call(blended)
        call.commit("my brother keeps hearing")
        let (p, words) = call.assess(partial: "voices and a gun")
        let text = "my brother keeps hearing voices and a gun"
        let a = Self.model.probabilities(text: text), b = other.probabilities(text: text)
        let mean = CallClassifier.Probabilities(
            transfer: (a.transfer + b.transfer) / 2, safety: (a.safety + b.safety) / 2, none: (a.none + b.none) / 2)
        #expect(close(p, mean))
        #expect(!close(p, a) && !close(p, b))
        #expect(words.first == "gun", "the evidence words come from the first classifier")
    }

    @Test("faint words: a listed word of a final heard under the confidence reads as word'faint, never as evidence")
    func faint() throws {
        let m = try CallClassifier(tsv: """
            @classes\ttransfer\tsafety\tnone
            @faint\t0.3\tgun,knife
            @intercept\t0\t0\t0
            gun\t3\t-1\t3\t0
            gun'faint\t3\t2\t0\t0
            voices\t3\t2\t0\t-1
            """)
        #expect(m.faintWords == ["gun", "knife"] && m.faintBelow == 0.3)
        func words(_ w: [(String, Double?)]) -> [RecognizedWord] { w.map { RecognizedWord(text: $0.0, start: 0, end: 0, confidence: $0.1) } }
        #expect(m.text(words([("a", 0.01), ("Gun", 0.1), ("knife", 0.3), ("gun", nil)])) == "a gun'faint knife gun",
                "only listed words, only under the bar, only with a confidence")
        var faint = CallClassifier.Call(m), sure = CallClassifier.Call(m)
        faint.commit(words([("voices", 0.9), ("gun", 0.05)]))
        sure.commit(words([("voices", 0.9), ("gun", 0.95)]))
        #expect(close(faint.assess().0, m.probabilities(text: "voices gun'faint")))
        #expect(close(sure.assess().0, m.probabilities(text: "voices gun")))
        #expect(faint.assess().0.best == .transfer && sure.assess().0.best == .safety)
        #expect(faint.assess().1 == ["voices"], "a faint n-gram is not shown on the card")
        var typed = CallClassifier.Call(m)
        typed.commit("voices gun")
        #expect(close(typed.assess().0, sure.assess().0), "typed text has no confidences: nothing is faint")
        #expect(Self.model.text(words([("gun", 0.01)])) == "gun", "a model without @faint marks nothing")
    }

    @Test("a malformed file names the line", arguments: [
        ("@classes\ttransfer\tsafety\tnone\n@intercept\t0\t0\t0\n@chek\tx\t1\t1\t1", 3),
        ("@classes\ttransfer\tnone\tsafety\n@intercept\t0\t0\t0\nx\t1\t1\t1\t1", 1),
        ("@classes\ttransfer\tsafety\tnone\n@intercept\t0\t0\t0\nx\t1\tone\t1\t1", 3),
        ("@classes\ttransfer\tsafety\tnone\n@intercept\t0\t0\t0\nx\t1\t1\t1", 3),
        ("@classes\ttransfer\tsafety\tnone\n@intercept\t0\t0\t0\nx\t1\t1\t1\t1\nx\t1\t1\t1\t1", 4),
        ("@classes\ttransfer\tsafety\tnone\nx\t1\t1\t1\t1", 2),
        ("@classes\ttransfer\tsafety\tnone\n@faint\t1.5\tgun\n@intercept\t0\t0\t0\nx\t1\t1\t1\t1", 2),
        ("@classes\ttransfer\tsafety\tnone\n@faint\t0.3\tGun,two words\n@intercept\t0\t0\t0\nx\t1\t1\t1\t1", 2),
        ("@classes\ttransfer\tsafety\tnone\n@faint\t0.3\n@intercept\t0\t0\t0\nx\t1\t1\t1\t1", 2),
    ])
    func malformed(_ text: String, line: Int) {
        #expect(throws: CallClassifier.Problem.self) { try CallClassifier(tsv: text) }
        do { _ = try CallClassifier(tsv: text) } catch let e as CallClassifier.Problem { #expect(e.line == line, "\(e)") } catch {}
    }
}
