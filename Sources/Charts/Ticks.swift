#if canImport(Glibc)
import Glibc
#endif

/// "Nice" axis ticks: at most `maxTicks` multiples of a step chosen from 1, 2, 2.5, 5, 10 times
/// a power of ten (matplotlib's MaxNLocator), covering the data range.
package enum NiceTicks {
    static let steps: [Double] = [1, 2, 2.5, 5, 10]

    /// Tick values spanning `low…high`, the first at or below `low`, the last at or above `high`;
    /// with `whole`, only whole numbers (an axis of rounds or pages has no 1.5).
    package static func linear(_ low: Double, _ high: Double, maxTicks: Int = 6, whole: Bool = false) -> [Double] {
        guard low.isFinite, high.isFinite, maxTicks >= 2 else { return [0, 1] }
        var lo = min(low, high), hi = max(low, high)
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let raw = (hi - lo) / Double(maxTicks - 1)
        // A span beyond Double's range (values near ±1.8e308 from a damaged trace): the two ends.
        guard raw.isFinite, raw > 0 else { return [lo, hi] }
        let magnitude = whole ? max(1, pow(10, floor(log10(raw)))) : pow(10, floor(log10(raw)))
        // The steps of this decade, then of the next (a range whose ends fall badly between
        // multiples of 10 can need 20).
        for m in [magnitude, magnitude * 10] {
            for s in steps {
                let step = s * m
                if whole && step != step.rounded() { continue }
                let first = floor(lo / step + 1e-9) * step
                let last = ceil(hi / step - 1e-9) * step
                let span = ((last - first) / step).rounded()
                guard span.isFinite, span >= 0 else { return [lo, hi] }
                let count = Int(span) + 1
                if count <= maxTicks {
                    return (0..<count).map { clean(first + Double($0) * step, step) }
                }
            }
        }
        let step = 100 * magnitude
        let first = floor(lo / step) * step
        let span = ((ceil(hi / step) * step - first) / step).rounded()
        // Values that overflow the arithmetic (a damaged trace's 1e308) get the two ends only.
        guard span.isFinite, span >= 0, span < 1_000 else { return lo.isFinite && hi.isFinite ? [lo, hi] : [0, 1] }
        let count = Int(span) + 1
        return (0..<count).map { clean(first + Double($0) * step, step) }
    }

    /// Powers of ten spanning `low…high` (both above zero).
    /// - Parameter fine: 2× and 5× ticks whatever the decades covered (an axis spanning its
    ///   values, which may cover less than the whole decades around them).
    package static func logarithmic(_ low: Double, _ high: Double, fine: Bool = false) -> [Double] {
        let lo = max(low, 1e-300), hi = max(high, lo)
        let a = Int(floor(log10(lo))), b = max(Int(ceil(log10(hi))), Int(floor(log10(lo))) + 1)
        var ticks: [Double] = []
        // Over two decades or fewer, 2× and 5× ticks keep the axis readable.
        let multiples: [Double] = b - a <= 2 || fine ? [1, 2, 5] : [1]
        for e in a..<b { for m in multiples { ticks.append(m * pow(10, Double(e))) } }
        ticks.append(pow(10, Double(b)))
        return ticks
    }

    /// Removes floating-point dust (0.30000000000000004 → 0.3) relative to the step.
    static func clean(_ v: Double, _ step: Double) -> Double {
        let digits = max(0, -Int(floor(log10(step))) + 2)
        let scale = pow(10, Double(digits))
        let r = (v * scale).rounded() / scale
        return r == 0 ? 0 : r
    }
}

/// What a number on an axis measures, for its label.
package enum AxisUnit: String, Sendable, CaseIterable {
    case plain, nanoseconds, bytes, count, percent, pages
    /// Bits per second (a lesson's metric in Mbit/s arrives in bit/s, as every rate does).
    case bitrate
    /// Whole numbers written out below ten thousand (1,000 MiB is "1,000", not "1K", which reads
    /// as a kibibyte), counted above — on an axis that reaches ten thousand, every tick (`labels`): a
    /// sweep's integer key.
    case whole

    /// Whether the unit counts whole things: an axis of whole values in it has whole ticks only.
    package var isWhole: Bool {
        switch self {
        case .count, .pages, .bytes, .whole: true
        case .plain, .nanoseconds, .percent, .bitrate: false
        }
    }

    /// A short label for `value`: 950 ns, 1.5 µs, 12 ms, 2 s; 4 KiB, 1.5 GiB; 12K, 3.4M; 25 %.
    package func label(_ value: Double) -> String {
        switch self {
        case .nanoseconds:
            // Zero in seconds, so a time axis starts "0 s, 10 s, 20 s", not "0 ns, 10 s".
            return value == 0 ? "0 s" : scaled(value, [(1e9, " s"), (1e6, " ms"), (1e3, " µs"), (1, " ns")])
        case .bytes:
            return scaled(value, [(1_099_511_627_776, " TiB"), (1_073_741_824, " GiB"), (1_048_576, " MiB"), (1_024, " KiB"), (1, " B")])
        case .count, .pages:
            return scaled(value, [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K"), (1, "")])
        case .bitrate:
            return scaled(value, [(1e12, " Tbit/s"), (1e9, " Gbit/s"), (1e6, " Mbit/s"), (1e3, " kbit/s"), (1, " bit/s")])
        case .percent:
            // Grouped as the prose and tables group it: "2,000 %" beside a sentence's "1,653.9 %".
            return groupedNumber(compact(value)) + " %"
        case .plain:
            return compact(value)
        case .whole:
            return abs(value) < 10_000 ? Self.grouped(Int64(value.rounded())) : AxisUnit.count.label(value)
        }
    }

    /// Labels for an axis's ticks, all in one style: a sweep key's axis that reaches ten
    /// thousand is counted throughout ("5K, 10K, 15K"), never "5,000" beside "10K".
    package func labels(_ ticks: [Double]) -> [String] {
        switch self {
        case .whole where ticks.contains { abs($0) >= 10_000 }: ticks.map { AxisUnit.count.label($0) }
        case .plain, .nanoseconds, .bytes, .count, .percent, .pages, .bitrate, .whole: ticks.map { label($0) }
        }
    }

    /// The value exactly, in words a hover shows: "80.25 %", "1.5 ms (1500000 ns)", "4 KiB (4096 B)", "12345".
    package func exact(_ value: Double) -> String {
        if value == 0, self == .nanoseconds { return label(0) }
        // Whole numbers with thousands separators (31,553), others as a data table shows them.
        var e = exactText(value)
        if value == value.rounded(), abs(value) >= 10_000, abs(value) < 1e15 { e = Self.grouped(Int64(value)) }
        switch self {
        case .percent: return e + " %"
        case .plain, .count: return e
        case .whole: return value == value.rounded() && abs(value) < 1e15 ? Self.grouped(Int64(value)) : e
        case .pages: return e + " pages"
        case .nanoseconds, .bytes, .bitrate:
            let short = label(value), base = e + (self == .bytes ? " B" : self == .bitrate ? " bit/s" : " ns")
            return short == base ? base : "\(short) (\(base))"
        }
    }

    /// An integer with commas between thousands: 1,000; −2,500.
    static func grouped(_ v: Int64) -> String { (v < 0 ? "−" : "") + groupedDigits(String(v.magnitude)) }

    private func scaled(_ v: Double, _ units: [(Double, String)]) -> String {
        let a = abs(v)
        if a == 0 { return "0" + (units.last?.1 ?? "") }
        for (size, suffix) in units where a >= size { return compact(v / size) + suffix }
        return compact(v) + (units.last?.1 ?? "")
    }

    /// Up to three significant decimals, no trailing zeros, no exponent.
    private func compact(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        let digits = abs(v) >= 100 ? 0 : abs(v) >= 10 ? 1 : abs(v) >= 1 ? 2 : 3
        let scale = pow(10, Double(digits))
        let r = (v * scale).rounded() / scale
        var s = String(r)
        if s.contains("e"), abs(r) < 9e18 { s = String(Int64(r)) }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}

/// A number as text with the thousands of its whole part grouped (1,234; 69,959; -12,345.6);
/// text that is not a plain number comes back as it is. Axes' percent labels and the reports'
/// `Format.grouped` both write numbers through it.
package func groupedNumber(_ text: String) -> String {
    let negative = text.hasPrefix("-")
    let body = negative ? String(text.dropFirst()) : text
    let parts = body.split(separator: ".", maxSplits: 1)
    guard let whole = parts.first, whole.allSatisfy(\.isNumber) else { return text }
    return (negative ? "-" : "") + groupedDigits(String(whole)) + (parts.count > 1 ? "." + parts[1] : "")
}

/// A run of digits with commas between thousands ("1234567" → "1,234,567"): the one grouping
/// rule of axes, hover words, tables and prose.
package func groupedDigits(_ digits: String) -> String {
    var rest = Array(digits), out: [Character] = []
    while rest.count > 3 {
        out.insert(contentsOf: [","] + rest.suffix(3), at: 0)
        rest.removeLast(3)
    }
    return String(rest + out)
}

/// `text` as a sentence starts: its first letter in capitals ("pages against round" → "Pages against round").
package func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

/// Names as a sentence lists them: "a", "a and b", "a, b and c".
package func listed(_ names: [String]) -> String {
    names.count <= 2 ? names.joined(separator: " and ") : names.dropLast().joined(separator: ", ") + " and " + names.last!
}

/// A count with its noun, singular for one, grouped as prose groups numbers: "1 lane", "3 lanes",
/// "245,518 events".
package func counted<N: BinaryInteger>(_ n: N, _ noun: String) -> String {
    "\(AxisUnit.grouped(Int64(n))) \(noun)\(n == 1 ? "" : "s")"
}

/// A value with what it measures, without saying the unit twice: ("pages", "31,553 pages") →
/// "31,553 pages"; ("overhead vs native", "80 %") → "overhead vs native 80 %" (or with a colon).
func valueWords(_ label: String, _ value: String, colon: Bool = false) -> String {
    let l = label
    if l.isEmpty || value.lowercased().hasSuffix(" " + l.lowercased()) { return value }
    return l + (colon ? ": " : " ") + value
}
