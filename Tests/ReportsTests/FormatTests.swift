import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Reports
import Vocabulary

struct ProseNumberTests {
    /// A value with its unit, as run pages, the index and comparisons print it.
    @Test func valuesPrintWithTheirUnit() {
        expectEqual(Format.metricWithUnit(2_239.4, unit: "Mbit/s"), "2,239 Mbit/s")
        expectEqual(Format.metricWithUnit(337_399, unit: "count"), "337,399")
        expectEqual(Format.metricWithUnit(-12_345.6, unit: "ms"), "-12,346 ms")
        expectEqual(Format.metricWithUnit(1, unit: "bool"), "yes")
        expectEqual(Format.metricWithUnit(218.38, unit: "%"), "218.4 %")
    }

    @Test func tableValuesKeepThreeOrFourSignificantDigits() {
        expectEqual(Format.metric(839.5131, unit: "Mbit/s"), "839.5")
        expectEqual(Format.metric(0.1875, unit: "count"), "0.188")
        expectEqual(Format.metric(0.012345, unit: ""), "0.0123")
        expectEqual(Format.metric(12_701.4, unit: ""), "12,701")
        expectEqual(Format.metric(999.4, unit: ""), "999.4")
        expectEqual(Format.metric(8, unit: "count"), "8")
        expectEqual(Format.metric(0, unit: ""), "0")
    }
}

struct FormatTests {
    @Test func formatHelpersAreDeterministic() {
        expectEqual(Format.micros(4_000), "4.000")
        expectEqual(Format.micros(1_234_567), "1234.567")
        expectEqual(Format.duration(950), "950 ns")
        expectEqual(Format.duration(12_340), "12.3 µs")
        expectEqual(Format.json(3), "3")
        expectEqual(Format.json(0.1), "0.1")
        expectEqual(Format.json(.nan), "null")
        expectEqual(Format.json(-.infinity), "null")
        expectEqual(Format.csv("a,b"), "\"a,b\"")
        expectEqual(String(format4: 0.00391, digits: 4), "0.0039")
    }
}
