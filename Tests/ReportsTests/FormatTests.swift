import Foundation
import SafeOutput
import Testing
@testable import Reports
import Vocabulary

@Suite struct ProseNumberTests {
    /// A value with its unit, as run pages, the index and comparisons print it.
    @Test func valuesPrintWithTheirUnit() {
        #expect(Format.metricWithUnit(2_239.4, unit: "Mbit/s") == "2,239 Mbit/s")
        #expect(Format.metricWithUnit(337_399, unit: "count") == "337,399")
        #expect(Format.metricWithUnit(-12_345.6, unit: "ms") == "-12,346 ms")
        #expect(Format.metricWithUnit(1, unit: "bool") == "yes" && Format.metricWithUnit(218.38, unit: "%") == "218.4 %")
    }

    @Test func tableValuesKeepThreeOrFourSignificantDigits() {
        #expect(Format.metric(839.5131, unit: "Mbit/s") == "839.5")
        #expect(Format.metric(0.1875, unit: "count") == "0.188")
        #expect(Format.metric(0.012345, unit: "") == "0.0123")
        #expect(Format.metric(12_701.4, unit: "") == "12,701")
        #expect(Format.metric(999.4, unit: "") == "999.4")
        #expect(Format.metric(8, unit: "count") == "8")
        #expect(Format.metric(0, unit: "") == "0")
    }
}

@Suite struct FormatTests {
    @Test func formatHelpersAreDeterministic() {
        #expect(Format.micros(4_000) == "4.000")
        #expect(Format.micros(1_234_567) == "1234.567")
        #expect(Format.duration(950) == "950 ns")
        #expect(Format.duration(12_340) == "12.3 µs")
        #expect(Format.json(3) == "3" && Format.json(0.1) == "0.1" && Format.json(.nan) == "null" && Format.json(-.infinity) == "null")
        #expect(Format.csv("a,b") == "\"a,b\"")
        #expect(String(format4: 0.00391, digits: 4) == "0.0039")
    }
}
