import CrisisCueCore
import Testing

@Suite("Word error rate")
struct WordErrorRateTests {
    @Test func alignment() {
        let r = WordErrorCount.align(reference: ["go", "forward", "ten", "meters"], hypothesis: ["go", "four", "ten", "meters", "now"])
        #expect(r.substitutions == 1 && r.insertions == 1 && r.deletions == 0 && r.referenceWords == 4)
        #expect(r.rate == 0.5)
        let d = WordErrorCount.align(reference: ["a", "b", "c"], hypothesis: ["a"])
        #expect(d.deletions == 2 && d.errors == 2)
        #expect(WordErrorCount.align(reference: [], hypothesis: []).rate == 0)
    }

    @Test func normalisation() {
        #expect(TranscriptNormalizer.words("Nine one one, what's the address?") == ["nine", "one", "one", "what's", "the", "address"])
        #expect(TranscriptNormalizer.words("<s> hello(2) [noise] world </s>") == ["hello", "world"])
        #expect(TranscriptNormalizer.words("twenty-one 'quoted'") == ["twenty", "one", "quoted"])
    }
}
