import Testing
@testable import Vocabulary

@Suite struct MetricNameTests {
    /// Names are the trace's stable text: snake_case, each once, and never a family's member
    /// (`exits_per_op` is a fixed name that only looks like one).
    @Test func namesAreSnakeCaseAndDistinct() {
        let names = MetricName.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for n in names { #expect(n.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } && !n.hasPrefix("_") && !n.hasSuffix("_"), "\(n)") }
    }

    @Test func familiesJoinPrefixMemberAndSuffix() {
        #expect(MetricFamily.exits.name("page_fault") == "exits_page_fault")
        #expect(MetricFamily.exitCycles.name("page_fault") == "exit_cycles_page_fault")
        #expect(MetricFamily.roundPages.name("3") == "round_3_pages")
        #expect(MetricFamily.roundDirtied.pattern == "round_*_dirtied")
        #expect(MetricFamily.stop.unit == .flag && MetricFamily.exitCycles.unit == .cycles)
    }

    /// A name's unit is what its suffix promises, where it promises one.
    @Test func suffixesAgreeWithUnits() {
        for n in MetricName.allCases {
            let raw = n.rawValue
            if raw.hasSuffix("_ms") { #expect(n.unit == .milliseconds, "\(raw)") }
            if raw.hasSuffix("_ns") { #expect(n.unit == .nanoseconds, "\(raw)") }
            if raw.hasSuffix("_mbps") { #expect(n.unit == .megabitsPerSecond, "\(raw)") }
            if raw.hasSuffix("_bytes") || raw.hasSuffix("_bytes_peak") { #expect(n.unit == .bytes, "\(raw)") }
            if raw.hasSuffix("_cycles") { #expect(n.unit == .cycles, "\(raw)") }
        }
    }

    /// One rule for how a metric reads, used by run pages, the index, comparisons and sweeps.
    @Test func labelsDropOnlyTheSuffixTheValuePrints() {
        #expect(MetricName.throughputMbps.label == "throughput")
        #expect(MetricName.downtimeMs.label == "downtime")
        #expect(MetricName.latencyP99Ns.label == "latency p99")
        #expect(MetricName.totalCycles.label == "total cycles")
        #expect(MetricName.overheadVsNative.label == "overhead vs native")
        #expect(MetricName.transferredBytes.label == "transferred")
        #expect(MetricLabel.text("_ms", unit: "ms") == " ms", "a bare suffix is kept")
    }
}
