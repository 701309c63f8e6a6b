#if canImport(Glibc)
import Glibc
#endif
import Charts

/// Deterministic text formatting for tables and JSON (no locale, no platform float quirks).
package enum Format {
    /// A number for people: integers plainly, others with up to 4 significant decimals.
    package static func number(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return v.description }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        let s = String(format4: v)
        return s
    }

    /// Text from a trace made safe for a terminal: control characters (ESC, BEL, NUL, …) and
    /// the bidirectional overrides that reorder what a terminal shows become visible escapes
    /// such as `\u{1B}`, so a shared trace cannot send escape sequences to a student's terminal.
    package static func terminalSafe(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                || v == 0x200E || v == 0x200F || v == 0x061C {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A JSON number: integers exactly, others in Swift's shortest round-trip form.
    package static func json(_ v: Double) -> String {
        if !v.isFinite { return "null" }
        if v == v.rounded(), abs(v) < 9e15 { return String(Int64(v)) }
        return v.description
    }

    /// A word for a POSIX shell: as it is when it is plain, else in single quotes.
    package static func shellWord(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "/._-=:".contains($0) } ? s : "'" + s.replacing("'", with: "'\\''") + "'"
    }

    /// A CSV cell, quoted when it holds a comma, quote or line break.
    package static func csv(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Nanoseconds with a readable unit: 950 ns, 12.3 µs, 4.56 ms, 1.23 s.
    package static func duration(_ ns: Double) -> String {
        switch ns {
        case ..<1_000: return Format.number(ns.rounded()) + " ns"
        case ..<1_000_000: return String(format4: ns / 1e3, digits: 1) + " µs"
        case ..<1_000_000_000: return String(format4: ns / 1e6, digits: 2) + " ms"
        default: return String(format4: ns / 1e9, digits: 3) + " s"
        }
    }

    /// A metric for a table people read: bytes in KiB/MiB/GiB, times and percentages to a
    /// sensible precision, ratios to three decimals, counts exactly. (Run pages keep the exact
    /// values in their results table.)
    package static func metric(_ v: Double, unit: String) -> String {
        guard v.isFinite else { return v.description }
        switch unit {
        case "bytes": return AxisUnit.bytes.label(v)
        case "ns": return duration(v)
        case "bool": return v != 0 ? "yes" : "no"
        case "ms": return grouped(String(format4: v, digits: abs(v) >= 100 ? 0 : 2))
        case "%": return grouped(String(format4: v, digits: 1))
        case "ratio": return grouped(String(format4: v, digits: 3))
        default:
            // Three or four significant digits: a table is read, not audited (the run page lists the exact values).
            let a = abs(v)
            if a >= 100 || a == 0 { return grouped(String(format4: v, digits: a >= 1_000 ? 0 : 1)) }
            if a >= 1 { return String(format4: v, digits: 2) }
            return String(format4: v, digits: Swift.min(5, 2 - Int((log10(a)).rounded(.down))))
        }
    }

    /// Thousands grouped with commas (1,234; 69,959; -12,345.6): the number as text, its whole part grouped.
    package static func grouped(_ text: String) -> String { groupedNumber(text) }

    /// A metric with its unit for prose and tables: "245.48 ms", "2.7 GiB", "218.4 %", "839.5
    /// Mbit/s", "5" for a count; yes/no for a flag.
    package static func metricWithUnit(_ v: Double, unit: String) -> String {
        switch unit {
        case "bool", "bytes", "ns", "count", "ratio", "refs", "": return metric(v, unit: unit)
        case "%": return metric(v, unit: unit) + " %"
        default: return metric(v, unit: unit) + " " + unit
        }
    }

    /// Microseconds with exactly three decimals from integer nanoseconds (Chrome trace `ts`).
    package static func micros(_ ns: UInt64) -> String {
        let frac = ns % 1_000
        let f = String(frac)
        return String(ns / 1_000) + "." + String(repeating: "0", count: 3 - f.count) + f
    }

    /// Pads `s` to `width` on the left (right-aligns).
    package static func right(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// Pads `s` to `width` on the right (left-aligns).
    package static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}

extension String {
    /// A fixed-decimal rendering without Foundation, trailing zeros trimmed.
    package init(format4 v: Double, digits: Int = 4) {
        // Beyond 2^63 the digits below would not fit an integer: print the exponent form.
        guard v.isFinite, abs(v) < 1e18 else {
            self = v.isNaN ? "NaN" : v.description
            return
        }
        let scale = [1.0, 10, 100, 1_000, 10_000, 100_000][Swift.min(digits, 5)]
        let scaled = (abs(v) * scale).rounded()
        let whole = UInt64(scaled / scale)
        var frac = String(UInt64(scaled) - whole * UInt64(scale))
        frac = String(repeating: "0", count: Swift.max(0, digits - frac.count)) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        self = (v < 0 && scaled > 0 ? "-" : "") + String(whole) + (frac.isEmpty ? "" : "." + frac)
    }
}
