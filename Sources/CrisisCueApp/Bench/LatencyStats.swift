import CrisisCueCore
import Histogram

/// A latency distribution in microseconds, reported in milliseconds.
struct LatencyStats {
    var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

    init() {}

    init(_ h: Histogram<UInt64>) { histogram = h }

    mutating func record(seconds: Double) { _ = histogram.record(UInt64(max(0, seconds) * 1e6)) }

    var count: UInt64 { histogram.totalCount }

    func ms(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }

    var maxMs: Double { Double(histogram.max) / 1000 }

    /// `{p50, p90, p99, max}` in milliseconds (nulls when nothing was recorded).
    var json: JSONObjectWriter.Value {
        var o = JSONObjectWriter()
        for (key, value) in [("p50", ms(50)), ("p90", ms(90)), ("p99", ms(99)), ("max", maxMs)] {
            o.add(key, count == 0 ? .null : .seconds(value))
        }
        if count > 0 { o.add("count", .int(Int(count))) }
        return .raw(o.text)
    }

    /// The standard HdrHistogram percentile distribution (`.hgrm`), values in milliseconds.
    var hgrm: String {
        var text = ""
        histogram.outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1000)
        return text
    }

    /// (percentile, milliseconds) points for plotting.
    var points: [(Double, Double)] {
        histogram.percentiles(ticksPerHalfDistance: 5).map { ($0.percentile, Double($0.value) / 1000) }
    }
}
