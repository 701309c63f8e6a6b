/// A preset's line of description with its parameters filled in from the preset's own values:
/// `{key}` prints the value (integers and whole reals with thousands separators), and
/// `{key:format}` converts it — `mib` (MiB or GiB), `pages` (4 KiB pages as MiB or GiB), `bytes`
/// (bytes, KiB, MiB), `gbps` and `mbps` (Mbit/s or Gbit/s), `ms` (ms or s), `%` (a fraction as a
/// percentage). A key the preset's topic does not have is left as written, `{key}`, which the
/// presets' test refuses.
package enum SummaryTemplate {
    package static func render(_ template: String, value: (String) -> ScenarioValue?) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let token = rest[rest.index(after: open)..<close]
            let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
            if let key = parts.first, let v = value(key), let text = format(v, parts.count > 1 ? parts[1] : "") {
                out += text
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    static func format(_ v: ScenarioValue, _ how: String) -> String? {
        let x: Double
        switch v {
        case let .integer(i): x = Double(i)
        case let .real(r): x = r
        case let .text(t): return how.isEmpty ? t : nil
        }
        switch how {
        case "": return number(x)
        case "mib": return size(x * 1_048_576)
        case "pages": return size(x * 4_096)
        case "bytes": return size(x)
        case "gbps": return rate(x * 1_000)
        case "mbps": return rate(x)
        case "ms": return x >= 1_000 ? number(x / 1_000) + " s" : number(x) + " ms"
        case "%": return number(x * 100) + " %"
        default: return nil
        }
    }

    /// Bytes in the largest binary unit that divides them (1,500 bytes, 4 KiB, 64 MiB, 2 GiB).
    static func size(_ bytes: Double) -> String {
        for (unit, scale) in [("GiB", 1_073_741_824.0), ("MiB", 1_048_576), ("KiB", 1_024)] where bytes >= scale && (bytes / scale).rounded() == bytes / scale {
            return number(bytes / scale) + " " + unit
        }
        return number(bytes) + " bytes"
    }

    static func rate(_ mbps: Double) -> String {
        mbps >= 1_000 && (mbps / 1_000).rounded() == mbps / 1_000 ? number(mbps / 1_000) + " Gbit/s" : number(mbps) + " Mbit/s"
    }

    /// A whole number with thousands separators, else up to three decimals.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return String(x) }
        if x.rounded() == x, abs(x) < 1e15 {
            let digits = String(Int64(abs(x)))
            var grouped = ""
            for (i, c) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { grouped += "," }
                grouped.append(c)
            }
            return (x < 0 ? "-" : "") + grouped
        }
        var s = String((x * 1_000).rounded() / 1_000)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
