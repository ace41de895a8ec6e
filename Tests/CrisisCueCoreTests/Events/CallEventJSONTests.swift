import CrisisCueCore
import Foundation
import Testing

@Suite("JSON Lines events")
struct CallEventJSONTests {
    @Test func transcriptKeyOrderAndRounding() {
        let e = CallEvent(call: "c1", t: 1.23456, payload: .transcript(text: "say \"hi\"\n", final: false, start: 0.1, end: 1.2, speaker: .caller))
        #expect(e.jsonLine == #"{"call":"c1","type":"transcript","t":1.235,"text":"say \"hi\"\n","final":false,"start":0.1,"end":1.2,"speaker":"caller"}"#)
    }

    @Test func confidencesOnlyWhereKnown() {
        let final = CallEvent(call: "c", t: 2, payload: .transcript(text: "a knife", final: true, start: 1, end: 2, speaker: .unknown, confidences: [0.9, 0.21234]))
        #expect(final.jsonLine.hasSuffix(#""speaker":"unknown","word_confidence":[0.9,0.212]}"#))
        let faint = CallEvent(call: "c", t: 2, payload: .indicator(
            kind: "safety", category: "weapon", phrase: "knife", start: 1.5, end: 2, negated: false, speaker: .unknown, confidence: 0.21))
        #expect(faint.jsonLine.hasSuffix(#""negated":false,"speaker":"unknown","confidence":0.21}"#))
        let typed = CallEvent(call: "c", t: 2, payload: .indicator(
            kind: "safety", category: "weapon", phrase: "knife", start: 1.5, end: 2, negated: false, speaker: .caller))
        #expect(typed.jsonLine.hasSuffix(#""negated":false,"speaker":"caller"}"#))
    }

    @Test func summaryWithNulls() throws {
        let e = CallEvent(call: "c", t: 10, payload: .summary(CallSummary(action: .none, firstTransferT: nil, firstSafetyT: 3.5, audioSeconds: 10, processingSeconds: 1)))
        let object = try JSONSerialization.jsonObject(with: Data(e.jsonLine.utf8)) as! [String: Any]
        #expect(object["type"] as? String == "summary")
        #expect(object["first_transfer_t"] is NSNull)
        #expect(object["first_safety_t"] as? Double == 3.5)
        #expect(object["rtf"] as? Double == 0.1)
    }

    @Test func numbers() {
        #expect(JSONObjectWriter.number(0.1 + 0.2, decimals: 3) == "0.3")
        #expect(JSONObjectWriter.number(-1.0005, decimals: 3) == "-1.001" || JSONObjectWriter.number(-1.0005, decimals: 3) == "-1")
        #expect(JSONObjectWriter.number(12, decimals: 3) == "12")
        #expect(JSONObjectWriter.number(.nan, decimals: 3) == "null")
        #expect(JSONObjectWriter.quote("\u{1}") == "\"\\u0001\"")
    }
}
