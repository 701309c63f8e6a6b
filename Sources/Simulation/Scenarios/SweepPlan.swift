#if canImport(Glibc)
import Vocabulary
import Glibc
#endif

/// A parameter sweep: the cartesian product of varied scenario keys, K repetitions per point,
/// each run with a seed derived from the base seed and the point — so results never depend on
/// how many threads run them or in which order.
package struct SweepPlan: Sendable {
    /// One varied key and its values, in the order given.
    package struct Axis: Sendable, Equatable {
        package var key: String
        package var values: [ScenarioValue]
        /// Whether the values came from a `:log` range (figures then use a logarithmic x axis).
        package var logarithmic: Bool = false
    }

    /// One run of the sweep.
    package struct Run: Sendable {
        package var index: Int
        package var point: Int
        package var repetition: Int
        package var parameters: [(key: String, value: ScenarioValue)]
        package var seed: UInt64
        package var scenario: Scenario
        /// Trace file name inside the sweep folder.
        package var traceName: String { "p\(pad(point))-r\(repetition).vlt" }
    }

    package var base: Scenario
    package var axes: [Axis]
    package var repeats: Int
    package var runs: [Run]

    /// Most runs a sweep may have unless raised.
    package static let defaultMaxRuns = 10_000
    /// The largest magnitude of a range's ends: every integer up to it is exact in a Double.
    static let maxRangeEnd: Double = 9_007_199_254_740_992

    /// Parses `KEY=V1,V2,…` or `KEY=START:STOP:STEPS[:log]` against the scenario's keys.
    /// - Throws: `ScenarioError` naming the key and what is allowed.
    package static func axis(_ text: String, topic: Topic) throws -> Axis {
        let source = "--vary \(text)"
        guard let eq = text.firstIndex(of: "=") else {
            throw ScenarioError(source: source, "must be KEY=V1,V2,… or KEY=START:STOP:STEPS[:log]")
        }
        let key = String(text[..<eq]), spec = String(text[text.index(after: eq)...])
        guard let k = topic.keys.first(where: { $0.path == key }) else {
            throw ScenarioError(source: source, keyPath: key, "is not a key of the \(topic.rawValue) topic; `virtlab scenarios show` lists them")
        }
        if case .text = k.kind {
            throw ScenarioError(source: source, keyPath: key, "is a text key; a sweep varies numeric or choice keys")
        }
        var raw: [String]
        var logarithmic = false
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 3, !spec.contains(",") {
            guard let a = Double(parts[0]), let b = Double(parts[1]), let n = Int(parts[2]), n >= 1, n <= 100_000 else {
                throw ScenarioError(source: source, keyPath: key, "a range is START:STOP:STEPS with numbers and 1–100000 steps")
            }
            // NaN, infinities and numbers beyond exact integers would trap in the conversions below.
            guard a.isFinite, b.isFinite, abs(a) <= maxRangeEnd, abs(b) <= maxRangeEnd else {
                throw ScenarioError(source: source, keyPath: key, "START and STOP must be finite numbers between −\(Int64(maxRangeEnd)) and \(Int64(maxRangeEnd)); \(k.allowed)")
            }
            let isLog = parts.count == 4 && parts[3] == "log"
            guard parts.count == 3 || isLog else { throw ScenarioError(source: source, keyPath: key, "the fourth part of a range can only be `log`") }
            if isLog && (a <= 0 || b <= 0) { throw ScenarioError(source: source, keyPath: key, "a log range needs START and STOP above 0") }
            logarithmic = isLog
            raw = (0..<n).map { i -> String in
                let f = n == 1 ? 0 : Double(i) / Double(n - 1)
                let v = isLog ? exp(log(a) + (log(b) - log(a)) * f) : a + (b - a) * f
                let nice = i == 0 ? a : i == n - 1 ? b : roundSignificant(v, digits: isLog ? 3 : 12)
                if case .integer = k.kind { return String(Int64(nice.rounded())) }
                return plainNumber(nice)
            }
        } else {
            raw = spec.split(separator: ",").map(trimmed)
        }
        var values: [ScenarioValue] = []
        var seen = Set<String>()
        for r in raw where !r.isEmpty {
            switch k.parse(r) {
            case let .success(v): if seen.insert(v.description).inserted { values.append(v) }
            case let .failure(p): throw ScenarioError(source: source, keyPath: key, p.message)
            }
        }
        guard !values.isEmpty else { throw ScenarioError(source: source, keyPath: key, "gives no values") }
        return Axis(key: key, values: values, logarithmic: logarithmic)
    }

    /// Expands axes × repetitions into runs, validating every point like a scenario file.
    /// - Parameter sources: where each axis was given ("FILE:LINE:COLUMN", "--vary …"), for messages.
    package init(base: Scenario, axes: [Axis], repeats: Int, maxRuns: Int = defaultMaxRuns, sources: [String]? = nil) throws {
        guard repeats >= 1 else { throw ScenarioError(source: "--repeat", "must be at least 1") }
        for (i, a) in axes.enumerated() {
            if let j = axes[..<i].firstIndex(where: { $0.key == a.key }) {
                let places = sources.map { "by \($0[j]) and by \($0[i])" } ?? "axes \(j + 1) and \(i + 1)"
                throw ScenarioError(source: "sweep", keyPath: a.key, "is varied twice (\(places)); give the key once, with all its values")
            }
        }
        // Counted without overflow: any product beyond the limit is refused as it is found.
        var points = 1
        for a in axes {
            let (p, overflow) = points.multipliedReportingOverflow(by: a.values.count)
            guard !overflow, p <= maxRuns else {
                throw ScenarioError(source: "sweep", "would make more than \(maxRuns) runs (the axes give \(axes.map { String($0.values.count) }.joined(separator: " × ")) points); vary fewer values or raise --max-runs")
            }
            points = p
        }
        let (total, overflow) = points.multipliedReportingOverflow(by: repeats)
        guard !overflow, total <= maxRuns else {
            throw ScenarioError(source: "sweep", "would make \(overflow ? "more than \(Int.max)" : String(total)) runs (\(points) points × \(repeats) repetitions); the limit is \(maxRuns) — vary fewer values, repeat less, or raise --max-runs")
        }
        self.base = base
        self.axes = axes
        self.repeats = repeats
        var runs: [Run] = []
        for p in 0..<points {
            var rest = p
            var params: [(key: String, value: ScenarioValue)] = []
            for axis in axes.reversed() {
                params.insert((axis.key, axis.values[rest % axis.values.count]), at: 0)
                rest /= axis.values.count
            }
            var values = base.values
            for (k, v) in params { values[k] = v }
            let label = params.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let text = ScenarioYAML.render(name: "\(base.name) \(label)", description: base.description, topic: base.topic,
                                           seed: base.seed, values: values)
            let scenario = try ScenarioDecoder.decode(text: text, source: "sweep point \(label)")
            for r in 1...repeats {
                var s = scenario
                s.seed = Self.seed(base: base.seed, parameters: label, repetition: r)
                runs.append(Run(index: runs.count, point: p, repetition: r, parameters: params, seed: s.seed, scenario: s))
            }
        }
        self.runs = runs
    }

    /// FNV-1a of the point's parameters, mixed with the base seed and the repetition.
    package static func seed(base: UInt64, parameters: String, repetition: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in parameters.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var g = SplitMix64(seed: base ^ h ^ (UInt64(repetition) &* 0x9E37_79B9_7F4A_7C15))
        return g.next() >> 1
    }
}

/// `v` rounded to `digits` significant digits (log ranges read 1690, not 1693.8139800964525).
func roundSignificant(_ v: Double, digits: Int) -> Double {
    guard v != 0, v.isFinite else { return v }
    let scale = pow(10, Double(digits) - ceil(log10(abs(v))))
    return (v * scale).rounded() / scale
}

/// A number as a scenario value: whole numbers without `.0`.
func plainNumber(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return String(v)
}

private func pad(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}

/// The text without leading and trailing whitespace (Foundation-free).
private func trimmed(_ text: Substring) -> String {
    String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
}
