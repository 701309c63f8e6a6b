import Testing
import TestKit
@testable import Vocabulary

struct MetricNameTests {
    /// Names are the trace's stable text: snake_case, each once, and never a family's member
    /// (`exits_per_op` is a fixed name that only looks like one).
    @Test func namesAreSnakeCaseAndDistinct() {
        let names = MetricName.allCases.map(\.rawValue)
        expectEqual(Set(names).count, names.count)
        for n in names { #expect(n.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } && !n.hasPrefix("_") && !n.hasSuffix("_"), "\(n)") }
    }

    @Test func familiesJoinPrefixMemberAndSuffix() {
        expectEqual(MetricFamily.exits.name("page_fault"), "exits_page_fault")
        expectEqual(MetricFamily.exitCycles.name("page_fault"), "exit_cycles_page_fault")
        expectEqual(MetricFamily.roundPages.name("3"), "round_3_pages")
        expectEqual(MetricFamily.roundDirtied.pattern, "round_*_dirtied")
        expectEqual(MetricFamily.stop.unit, .flag)
        expectEqual(MetricFamily.exitCycles.unit, .cycles)
    }

    /// A name's unit is what its suffix promises, where it promises one.
    @Test func suffixesAgreeWithUnits() {
        for n in MetricName.allCases {
            let raw = n.rawValue
            if raw.hasSuffix("_ms") { expectEqual(n.unit, .milliseconds, "\(raw)") }
            if raw.hasSuffix("_ns") { expectEqual(n.unit, .nanoseconds, "\(raw)") }
            if raw.hasSuffix("_mbps") { expectEqual(n.unit, .megabitsPerSecond, "\(raw)") }
            if raw.hasSuffix("_bytes") || raw.hasSuffix("_bytes_peak") { expectEqual(n.unit, .bytes, "\(raw)") }
            if raw.hasSuffix("_cycles") { expectEqual(n.unit, .cycles, "\(raw)") }
        }
    }

    /// One rule for how a metric reads, used by run pages, the index, comparisons and sweeps.
    @Test func labelsDropOnlyTheSuffixTheValuePrints() {
        expectEqual(MetricName.throughputMbps.label, "throughput")
        expectEqual(MetricName.downtimeMs.label, "downtime")
        expectEqual(MetricName.latencyP99Ns.label, "latency p99")
        expectEqual(MetricName.totalCycles.label, "total cycles")
        expectEqual(MetricName.overheadVsNative.label, "overhead vs native")
        expectEqual(MetricName.transferredBytes.label, "transferred")
        expectEqual(MetricLabel.text("_ms", unit: "ms"), " ms", "a bare suffix is kept")
    }
}
