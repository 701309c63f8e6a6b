import Testing
import TestKit
@testable import Analysis

struct DurationHistogramTests {
    @Test func smallSetsGetExactPercentiles() {
        var h = DurationHistogram()
        for v in [600, 600, 600, 1_500] { h.record(UInt64(v)) }
        expectEqual(h.percentile(0.5), 600)
        expectEqual(h.percentile(0.95), 1_500)
    }

    @Test func exactStatisticsAndPercentilesWithinBucketPrecision() {
        var h = DurationHistogram()
        for v in 1...10_000 { h.record(UInt64(v)) }
        expectEqual(h.count, 10_000)
        expectEqual(h.min, 1)
        expectEqual(h.max, 10_000)
        expectEqual(h.mean, 5_000.5)
        for (q, truth) in [(0.5, 5_000.0), (0.95, 9_500.0), (0.99, 9_900.0)] {
            let p = Double(h.percentile(q))
            expectLess(abs(p - truth) / truth, 1.0 / 64, "p\(q) = \(p), true \(truth)")
        }
    }

    @Test func smallValuesAreExact() {
        var h = DurationHistogram()
        for v in [3, 3, 3, 7, 100] { h.record(UInt64(v)) }
        expectEqual(h.percentile(0.5), 3)
        expectEqual(h.percentile(1), 100)
    }

    @Test(arguments: [UInt64(127), 128, 129, 1_000_003, UInt64.max / 3])
    func bucketsContainTheirValues(_ v: UInt64) {
        let b = DurationHistogram.bucket(v)
        let r = DurationHistogram.range(b)
        expectAtLeast(v, r.low)
        expectLess(v - r.low, r.width)
    }

    @Test func emptyHistogramIsZero() {
        let h = DurationHistogram()
        expectEqual(h.percentile(0.5), 0)
        expectEqual(h.mean, 0)
    }

    /// Beyond the exact limit the figures come from the buckets: memory stays bounded and the
    /// CDF and equal-width histogram stay within bucket precision of the truth.
    @Test func figuresFromMoreSamplesThanAreKept() {
        var h = DurationHistogram(exactLimit: 1_000)
        for v in 0..<200_000 { h.record(UInt64(1_000 + v / 2)) } // uniform on 1,000…100,999
        expectEqual(h.exactSorted, nil)
        let cdf = FigureData.durationCDF(h)
        expectAtMost(cdf.count, 260)
        expectGreater(cdf.count, 20)
        expectEqual(cdf.last?.1, 1)
        for i in cdf.indices.dropFirst() { #expect(cdf[i - 1].0 <= cdf[i].0 && cdf[i - 1].1 <= cdf[i].1) }
        for (x, share) in cdf where share > 0.05 && share < 0.95 {
            let truth: Double = (x - 1_000) / 100_000
            let off: Double = abs(share - truth)
            expectLess(off, 0.02, "CDF at \(x): \(share), truth \(truth)")
        }
        let bins = FigureData.durationHistogram(h, bins: 20)
        expectEqual(bins.count, 20)
        var total: Double = 0
        for b in bins { total += b.2 }
        expectEqual(total, 200_000)
        for b in bins {
            let off: Double = abs(b.2 - 10_000)
            expectLess(off, 1_200, "bin \(b.0): \(b.2)")
        }
        // With every sample kept, the same figures as from the sorted values.
        var exact = DurationHistogram(exactLimit: 10_000)
        for v in [5, 1, 9, 3, 3] { exact.record(UInt64(v)) }
        expectEqual(FigureData.durationCDF(exact).map(\.0), FigureData.durationCDF(sorted: [1, 3, 3, 5, 9]).map(\.0))
    }
}
