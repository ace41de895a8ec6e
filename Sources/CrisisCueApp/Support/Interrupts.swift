#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import UnixSignals

/// SIGINT and SIGTERM turned into a flag the pipeline checks between blocks, so that a
/// run stops within one block and flushes what it has. A second signal exits at once.
public final class Interrupts: Sendable {
    public let requested = Atomic<Bool>(false)
    private let count = Atomic<Int>(0)

    public init() {}

    /// Starts watching; `onInterrupt` runs (off the caller's thread) at the first signal,
    /// `beforeExit` at the second, just before the process exits without unwinding (for
    /// what must not outlive it, such as a temporary copy of a call's audio).
    /// (A trailing closure is `onInterrupt`.)
    public func install(onInterrupt: @escaping @Sendable () -> Void = {}, beforeExit: @escaping @Sendable () -> Void = {}) {
        Task.detached { [self] in
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                let n = count.add(1, ordering: .relaxed).newValue
                requested.store(true, ordering: .relaxed)
                if n == 1 { onInterrupt() } else { beforeExit(); _exit(130) }
            }
        }
    }

    /// Asks the pipeline to stop, as a signal would.
    public func request() { requested.store(true, ordering: .relaxed) }

    public var isRequested: Bool { requested.load(ordering: .relaxed) }
}
