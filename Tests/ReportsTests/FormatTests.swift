import Foundation
import SafeOutput
import Testing
@testable import Reports
import Vocabulary

@Suite struct ProseNumberTests {
    /// One rule for how a metric reads, used by run pages, the index, comparisons and sweeps.
    @Test func metricLabelsReadTheSameEverywhere() {
        #expect(MetricLabel.text("throughput_mbps", unit: "Mbit/s") == "throughput")
        #expect(MetricLabel.text("downtime_ms", unit: "ms") == "downtime")
        #expect(MetricLabel.text("latency_p99_ns", unit: "ns") == "latency p99")
        #expect(MetricLabel.text("total_cycles", unit: "cycles") == "total cycles")
        #expect(MetricLabel.text("overhead_vs_native", unit: "%") == "overhead vs native")
        #expect(MetricLabel.text("transferred_bytes", unit: "bytes") == "transferred")
        #expect(Format.metricWithUnit(2_239.4, unit: "Mbit/s") == "2239 Mbit/s")
        #expect(Format.metricWithUnit(1, unit: "bool") == "yes" && Format.metricWithUnit(218.38, unit: "%") == "218.4 %")
    }

    @Test func tableValuesKeepThreeOrFourSignificantDigits() {
        #expect(Format.metric(839.5131, unit: "Mbit/s") == "839.5")
        #expect(Format.metric(0.1875, unit: "count") == "0.188")
        #expect(Format.metric(0.012345, unit: "") == "0.0123")
        #expect(Format.metric(12_701.4, unit: "") == "12701")
        #expect(Format.metric(8, unit: "count") == "8")
        #expect(Format.metric(0, unit: "") == "0")
    }
}
