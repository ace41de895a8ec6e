import Dispatch
import Synchronization

/// Something the capture thread reports in the stream, at the point in the audio where it
/// happened: the consumer sees it between the blocks before and after.
public enum CaptureNotice: Sendable, Equatable {
    /// The device overflowed; audio before the next block was lost (`frames`: as much as
    /// is known, 0 when the device cannot tell).
    case overrun
    /// The consumer fell behind and the ring was full: `frames` captured frames were dropped.
    case dropped(frames: Int)
    /// The device was suspended and resumed.
    case suspended
    /// The device went away (unplugged); no audio until `restored`.
    case lost(message: String)
    /// The device is back after `gapSeconds` without audio.
    case restored(gapSeconds: Double, format: CaptureFormat)
    /// The capture thread has stopped: nothing follows.
    case ended
}

/// The bounded hand-off from the capture thread to the decoder thread: a ring of
/// period-sized slots with one producer and one consumer.
///
/// The producer reserves a slot, reads the device straight into it and commits it; the
/// consumer takes slots in order and releases them. Two counting semaphores (free slots,
/// filled slots) order the two sides; each index is touched by one thread only, so no
/// lock is ever held. Overflow policy, chosen by the producer per call: `tryReserve`
/// never waits (live capture: when the consumer is behind, the newest period is dropped
/// and counted, because the periods already queued are older speech the decoder has not
/// heard yet); `reserve(timeout:)` waits for room (an unclocked test device read as fast
/// as the decoder goes).
///
/// Sendable by contract: exactly one producer thread and one consumer thread.
public final class AudioRing: @unchecked Sendable {
    public struct Slot {
        public var frames: Int
        /// Monotonic nanoseconds when the producer committed it.
        public var committedAt: UInt64
        public var notice: CaptureNotice?
    }

    public let slotCount: Int
    /// Interleaved samples a slot holds (a period's frames times channels).
    public let slotSamples: Int
    private let samples: UnsafeMutablePointer<Int16>
    private let slots: UnsafeMutablePointer<Slot>
    private let free: DispatchSemaphore
    private let filled: DispatchSemaphore
    private var writeIndex = 0  // producer only
    private var readIndex = 0  // consumer only
    private var reserved = false  // producer only
    private let depth = Atomic<Int>(0)
    private let deepest = Atomic<Int>(0)

    public init(slotCount: Int, slotSamples: Int) {
        precondition(slotCount > 1 && slotSamples > 0)
        self.slotCount = slotCount
        self.slotSamples = slotSamples
        samples = .allocate(capacity: slotCount * slotSamples)
        samples.initialize(repeating: 0, count: slotCount * slotSamples)
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(frames: 0, committedAt: 0, notice: nil), count: slotCount)
        // Counted up from 0: libdispatch traps when a semaphore is freed below its
        // initial value, which a ring freed with slots in flight would be.
        free = DispatchSemaphore(value: 0)
        filled = DispatchSemaphore(value: 0)
        for _ in 0..<slotCount { free.signal() }
    }

    deinit {
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        samples.deallocate()
    }

    // MARK: producer

    /// The next slot's sample buffer if one is free now, else nil (the ring is full).
    public func tryReserve() -> UnsafeMutableBufferPointer<Int16>? {
        reserve(timeout: 0)
    }

    /// The next slot's sample buffer, waiting at most `timeout` seconds for one to free up.
    public func reserve(timeout: Double) -> UnsafeMutableBufferPointer<Int16>? {
        if !reserved {
            let deadline: DispatchTime = timeout <= 0 ? .now() : .now() + timeout
            guard free.wait(timeout: deadline) == .success else { return nil }
            reserved = true
        }
        return UnsafeMutableBufferPointer(start: samples + writeIndex * slotSamples, count: slotSamples)
    }

    /// Publishes the reserved slot with `frames` frames of audio (0 for a notice alone).
    public func commit(frames: Int, at now: UInt64, notice: CaptureNotice? = nil) {
        precondition(reserved, "commit without a reserved slot")
        slots[writeIndex] = Slot(frames: frames, committedAt: now, notice: notice)
        writeIndex = (writeIndex + 1) % slotCount
        reserved = false
        let d = depth.add(1, ordering: .relaxed).newValue
        if d > deepest.load(ordering: .relaxed) { deepest.store(d, ordering: .relaxed) }
        filled.signal()
    }

    // MARK: consumer

    /// The oldest filled slot, waiting at most `timeout` seconds; nil if none arrived.
    /// The samples stay valid until `release()`.
    public func take(timeout: Double) -> (slot: Slot, samples: UnsafeBufferPointer<Int16>)? {
        guard filled.wait(timeout: .now() + max(0, timeout)) == .success else { return nil }
        let slot = slots[readIndex]
        return (slot, UnsafeBufferPointer(start: samples + readIndex * slotSamples, count: slotSamples))
    }

    /// Gives the slot from the last `take` back to the producer.
    public func release() {
        slots[readIndex].notice = nil
        readIndex = (readIndex + 1) % slotCount
        depth.subtract(1, ordering: .relaxed)
        free.signal()
    }

    /// Slots filled and not yet released, now and at the most.
    public var fill: (now: Int, deepest: Int) { (depth.load(ordering: .relaxed), deepest.load(ordering: .relaxed)) }
}
