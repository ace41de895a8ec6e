import CrisisCueCore
import Foundation
import PropertyBased
import Testing

@Suite("AudioRing: the capture-to-decoder hand-off")
struct AudioRingTests {
    @Test("a full ring refuses tryReserve (the live policy drops) and frees a slot on release")
    func fullRing() {
        let ring = AudioRing(slotCount: 3, slotSamples: 4)
        for i in 0..<3 {
            let slot = ring.tryReserve()!
            slot[0] = Int16(i)
            ring.commit(frames: 1, at: 0)
        }
        #expect(ring.tryReserve() == nil)
        #expect(ring.fill.now == 3 && ring.fill.deepest == 3)
        let first = ring.take(timeout: 0)!
        #expect(first.samples[0] == 0)
        ring.release()
        #expect(ring.tryReserve() != nil)
    }

    @Test("an unused reservation is kept: the next reserve returns the same slot")
    func reservationKept() {
        let ring = AudioRing(slotCount: 2, slotSamples: 2)
        let a = ring.tryReserve()!
        let b = ring.tryReserve()!
        #expect(a.baseAddress == b.baseAddress)
        #expect(ring.take(timeout: 0) == nil)
    }

    @Test("notices travel with their slot and are cleared on release")
    func notices() {
        let ring = AudioRing(slotCount: 2, slotSamples: 2)
        _ = ring.tryReserve()
        ring.commit(frames: 0, at: 5, notice: .lost(message: "gone"))
        _ = ring.tryReserve()
        ring.commit(frames: 2, at: 6)
        let a = ring.take(timeout: 0)!
        #expect(a.slot.notice == .lost(message: "gone") && a.slot.frames == 0 && a.slot.committedAt == 5)
        ring.release()
        let b = ring.take(timeout: 0)!
        #expect(b.slot.notice == nil && b.slot.frames == 2)
        ring.release()
    }

    @Test("across two threads every period arrives once, in order, whatever the sizes", .timeLimit(.minutes(1)))
    func producerConsumer() async {
        await propertyCheck(count: 20, input: Gen.int(in: 2...8), Gen.int(in: 1...400)) { slots, periods in
            let ring = AudioRing(slotCount: slots, slotSamples: 3)
            let producer = Thread {
                for i in 0..<periods {
                    let slot = ring.reserve(timeout: 10)!
                    slot[0] = Int16(truncatingIfNeeded: i)
                    slot[2] = Int16(truncatingIfNeeded: i * 7)
                    ring.commit(frames: 1, at: UInt64(i))
                }
            }
            producer.start()
            var seen: [Int] = []
            while seen.count < periods {
                guard let (slot, samples) = ring.take(timeout: 10) else { break }
                #expect(Int(slot.committedAt) == seen.count)
                #expect(samples[2] == Int16(truncatingIfNeeded: seen.count * 7))
                seen.append(Int(samples[0]))
                ring.release()
            }
            #expect(seen == (0..<periods).map { Int(Int16(truncatingIfNeeded: $0)) })
        }
    }
}
