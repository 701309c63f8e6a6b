import Testing
@testable import Analysis

@Suite struct DurationHistogramTests {
    @Test func smallSetsGetExactPercentiles() {
        var h = DurationHistogram()
        for v in [600, 600, 600, 1_500] { h.record(UInt64(v)) }
        #expect(h.percentile(0.5) == 600)
        #expect(h.percentile(0.95) == 1_500)
    }

    @Test func exactStatisticsAndPercentilesWithinBucketPrecision() {
        var h = DurationHistogram()
        for v in 1...10_000 { h.record(UInt64(v)) }
        #expect(h.count == 10_000)
        #expect(h.min == 1)
        #expect(h.max == 10_000)
        #expect(h.mean == 5_000.5)
        for (q, truth) in [(0.5, 5_000.0), (0.95, 9_500.0), (0.99, 9_900.0)] {
            let p = Double(h.percentile(q))
            #expect(abs(p - truth) / truth < 1.0 / 64, "p\(q) = \(p), true \(truth)")
        }
    }

    @Test func smallValuesAreExact() {
        var h = DurationHistogram()
        for v in [3, 3, 3, 7, 100] { h.record(UInt64(v)) }
        #expect(h.percentile(0.5) == 3)
        #expect(h.percentile(1) == 100)
    }

    @Test(arguments: [UInt64(127), 128, 129, 1_000_003, UInt64.max / 3])
    func bucketsContainTheirValues(_ v: UInt64) {
        let b = DurationHistogram.bucket(v)
        let r = DurationHistogram.range(b)
        #expect(v >= r.low && v - r.low < r.width)
    }

    @Test func emptyHistogramIsZero() {
        let h = DurationHistogram()
        #expect(h.percentile(0.5) == 0)
        #expect(h.mean == 0)
    }
}
