import Testing
import TestKit
@testable import Simulation

struct SplitMix64Tests {
    @Test func splitMixIsDeterministicAndMatchesReference() {
        var a = SplitMix64(seed: 0)
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        expectEqual(a.next(), 0xE220_A839_7B1D_CDAF)
        expectEqual(a.next(), 0x6E78_9E6A_A1B9_65F4)
        var b = SplitMix64(seed: 42), c = SplitMix64(seed: 42)
        for _ in 0..<100 { expectEqual(b.next(), c.next()) }
    }

    /// Every bound, including 1 and the largest, keeps draws in range; small bounds are covered
    /// evenly (each of 10 values within 10 % of its share of 100,000 draws).
    @Test func boundedDrawsStayInRangeAndCoverItEvenly() {
        var g = SplitMix64(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 {
            let v = g.below(10)
            expectLess(v, 10)
            counts[Int(v)] += 1
        }
        for c in counts { expectLess(abs(c - 10_000), 1_000, "\(counts)") }
        for bound: UInt64 in [1, 2, 3, 1 << 32, UInt64.max] {
            for _ in 0..<1_000 { expectLess(g.below(bound), bound) }
        }
    }

    @Test func unitDrawsAreInTheHalfOpenIntervalWithTheRightMean() {
        var g = SplitMix64(seed: 7)
        var sum: Double = 0
        for _ in 0..<100_000 {
            let u = g.unit()
            expectAtLeast(u, 0)
            expectLess(u, 1)
            sum += u
        }
        let mean: Double = sum / 100_000
        expectLess(abs(mean - 0.5), 0.005)
    }

    /// Sub-model streams differ from each other and from the parent seed's stream, and are
    /// themselves reproducible.
    @Test func derivedStreamsAreIndependentAndReproducible() {
        var parent = SplitMix64(seed: 99)
        var s1 = SplitMix64.derived(seed: 99, stream: 1), s2 = SplitMix64.derived(seed: 99, stream: 2)
        var again = SplitMix64.derived(seed: 99, stream: 1)
        let a = (0..<8).map { _ in s1.next() }, b = (0..<8).map { _ in s2.next() }, p = (0..<8).map { _ in parent.next() }
        #expect(a != b)
        #expect(a != p)
        #expect(b != p)
        expectEqual((0..<8).map { _ in again.next() }, a)
    }
}
