import CrisisCueCore

/// Draws latency distributions as an SVG: milliseconds against percentile on the usual
/// HdrHistogram axis (1/(1-p), so the tail gets room), one line per series.
enum LatencyPlot {
    static func svg(_ series: [(name: String, points: [(Double, Double)])], title: String) -> String {
        let width = 720.0, height = 420.0, left = 64.0, right = 180.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ p: Double) -> Double {
            let v = log10(1 / max(1e-6, 1 - min(p, 99.999) / 100))  // 0 at p0, 5 at p99.999
            return left + plotW * min(v, 5) / 5
        }
        let maxMs = max(1, series.flatMap { $0.points.map(\.1) }.max() ?? 1)
        func y(_ ms: Double) -> Double { top + plotH * (1 - ms / (maxMs * 1.05)) }
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="24" font-size="14" font-weight="bold">\(escape(title))</text>
            <line x1="\(left)" y1="\(top + plotH)" x2="\(left + plotW)" y2="\(top + plotH)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotH)" stroke="black"/>

            """
        for (label, p) in [("0%", 0.0), ("90%", 90.0), ("99%", 99.0), ("99.9%", 99.9), ("99.99%", 99.99)] {
            out += "<text x=\"\(x(p))\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(label)</text>\n"
            out += "<line x1=\"\(x(p))\" y1=\"\(top)\" x2=\"\(x(p))\" y2=\"\(top + plotH)\" stroke=\"#ddd\"/>\n"
        }
        for i in 0...4 {
            let ms = maxMs * Double(i) / 4
            out += "<text x=\"\(left - 6)\" y=\"\(y(ms) + 4)\" text-anchor=\"end\">\(Int(ms.rounded()))</text>\n"
        }
        out += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">percentile</text>\n"
        out += "<text x=\"16\" y=\"\(top + plotH / 2)\" transform=\"rotate(-90 16 \(top + plotH / 2))\" text-anchor=\"middle\">latency (ms)</text>\n"
        for (i, s) in series.enumerated() where !s.points.isEmpty {
            let color = colors[i % colors.count]
            let path = s.points.map { "\(x($0.0)),\(y($0.1))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            out += "<rect x=\"\(left + plotW + 16)\" y=\"\(top + Double(i) * 20)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>\n"
            out += "<text x=\"\(left + plotW + 34)\" y=\"\(top + Double(i) * 20 + 11)\">\(escape(s.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

#if canImport(Glibc)
import Glibc
#endif
