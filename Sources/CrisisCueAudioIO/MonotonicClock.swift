#if canImport(Glibc)
import Glibc
#endif
import CrisisCueCore

/// The real clock: CLOCK_MONOTONIC and nanosleep.
public struct MonotonicClock: PipelineClock {
    public init() {}

    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public func sleep(until deadline: Double) {
        while true {
            let remaining = deadline - now()
            if remaining <= 0 { return }
            var ts = timespec(tv_sec: Int(remaining), tv_nsec: Int((remaining - Double(Int(remaining))) * 1e9))
            _ = nanosleep(&ts, nil)
        }
    }
}

/// CPU time of the calling thread, for real-time factors that sleeping does not inflate.
public enum ThreadCPUTime {
    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
