/// Time for the pipeline: monotonic seconds and sleeping, injected so the same code runs
/// live, paced at 1x, as fast as possible, or stepped by hand in tests.
public protocol PipelineClock: Sendable {
    /// Monotonic seconds from an arbitrary origin.
    func now() -> Double
    /// Blocks until `now() >= deadline` (returns at once if it already is).
    func sleep(until deadline: Double)
}

/// How fast a recorded call is fed through the pipeline.
public enum Pace: String, CaseIterable, Sendable {
    /// As fast as the CPU allows.
    case fast
    /// 1x: each block is fed when it would have arrived live.
    case realtime
}
