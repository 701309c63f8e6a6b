import Foundation
import Testing
import TestKit
@testable import Charts

struct TicksTests {
    @Test(arguments: [
        (0.0, 10.0, [0.0, 2, 4, 6, 8, 10]),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0.0, 24.0, [0.0, 5, 10, 15, 20, 25]),
        (3.0, 97.0, [0.0, 20, 40, 60, 80, 100]),
        (0.0, 0.3, [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]),
        (-1.0, 1.0, [-1.0, -0.5, 0, 0.5, 1]),
    ])
    func niceTicksUseOneTwoTwoAndAHalfFiveTen(_ lo: Double, _ hi: Double, _ expected: [Double]) {
        let ticks = NiceTicks.linear(lo, hi, maxTicks: 7)
        expectEqual(ticks, expected, "\(lo)…\(hi): \(ticks)")
    }

    @Test func ticksCoverTheRangeWithAllowedSteps() {
        for (lo, hi) in [(0.0, 7.3), (12.0, 1_234.0), (0.001, 0.0047), (5.0, 5.0), (-40.0, 3.0)] {
            let t = NiceTicks.linear(lo, hi, maxTicks: 6)
            expectAtMost(t.count, 6)
            expectAtLeast(t.count, 2)
            #expect(t.first! <= min(lo, hi) && t.last! >= max(lo, hi))
            let step = t[1] - t[0]
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1, 2, 2.5, 5, 10].contains { abs($0 - mantissa) < 1e-6 }, "\(step)")
        }
    }

    /// An axis of whole things (rounds, pages, counts) has no 1.2nd round: over a grid of ranges the
    /// whole ticks are whole, cover the range, and are as many as allowed; fractional data, or a
    /// unit that is not whole, keeps fractional ticks.
    @Test func wholeUnitsHaveWholeTicks() {
        for lo in stride(from: -50.0, through: 1_000, by: 37) {
            for span in [0.0, 1, 2, 3, 5, 7, 11, 13, 50, 99, 200] {
                let hi = lo + span
                let t = NiceTicks.linear(lo, hi, maxTicks: 8, whole: true)
                #expect(t.allSatisfy { $0 == $0.rounded() }, "\(lo)…\(hi): \(t)")
                expectAtMost(t.count, 8, "\(lo)…\(hi): \(t)")
                expectAtMost(t.first ?? .infinity, lo, "\(lo)…\(hi): \(t)")
                expectAtLeast(t.last ?? -.infinity, hi, "\(lo)…\(hi): \(t)")
            }
        }
        expectEqual(NiceTicks.linear(1, 2, maxTicks: 8, whole: true), [1, 2])
        // Never more ticks than allowed, also where a decade's steps all overshoot by one.
        for maxTicks in 3...9 { // two ticks cannot span zero on multiples of a step
            for (lo, hi) in [(320.0, 320.0), (288.0, 352.0), (0.13, 0.97), (-7.0, 7.0), (1e6, 1.3e6)] {
                expectAtMost(NiceTicks.linear(lo, hi, maxTicks: maxTicks).count, maxTicks, "\(lo)…\(hi) in \(maxTicks)")
                expectAtMost(NiceTicks.linear(lo, hi, maxTicks: maxTicks, whole: true).count, maxTicks, "\(lo)…\(hi) in \(maxTicks), whole")
            }
        }
        expectEqual(NiceTicks.linear(1, 2, maxTicks: 8), [1, 1.2, 1.4, 1.6, 1.8, 2])
        // One round: the round alone, in the middle.
        let one = ValueAxis([1, 1], log: false, includeZero: false, maxTicks: 8, whole: true)
        expectEqual(one.ticks, [1])
        expectEqual(one.low, 0.5)
        expectEqual(one.high, 1.5)
        expectEqual(one.fraction(1), 0.5)
        // Rounds 1 to 10: the axis starts at round 1 with no tick at a round 0; the last tick stays.
        let rounds = ValueAxis(Array(1...10).map(Double.init), log: false, includeZero: false, maxTicks: 8, whole: true)
        #expect(rounds.low == 1 && rounds.fraction(1) == 0 && rounds.ticks.first! > 1 && rounds.ticks.last == 10)
        expectLacks(rounds.ticks, 0)
        // Seven pages from zero: whole ticks from 0 to at least 7.
        let pages = ValueAxis([7], log: false, includeZero: true, whole: true)
        #expect(pages.ticks.first == 0 && pages.ticks.last! >= 7 && pages.ticks.allSatisfy { $0 == $0.rounded() })
        // Nothing but zeros, counted from zero: the baseline at the bottom of an axis to 1, whole
        // or not (it was the middle of -0.5…0.5, or of -1…1).
        for whole in [true, false] {
            let zeros = ValueAxis([0, 0, 0], log: false, includeZero: true, whole: whole)
            expectEqual(zeros.ticks, [0, 1], "whole: \(whole)")
            expectEqual(zeros.low, 0, "whole: \(whole)")
            expectEqual(zeros.high, 1, "whole: \(whole)")
            expectEqual(zeros.fraction(0), 0, "whole: \(whole)")
        }
        // Fractional values keep fractional ticks even in a whole unit (0.3 exits per operation).
        expectContains(ValueAxis([0, 0.3], log: false, includeZero: true, whole: true).ticks, 0.1)
        #expect(AxisUnit.count.isWhole)
        #expect(AxisUnit.pages.isWhole)
        #expect(!AxisUnit.nanoseconds.isWhole)
        #expect(!AxisUnit.percent.isWhole)
    }

    /// A line's logarithmic axis spans its values with the decade ticks inside (2 MiB … 1,024 MiB
    /// has no empty decade to 10K); too few ticks inside, or bars, keep whole decades.
    @Test func aTightLogAxisSpansTheValues() {
        let sizes = ValueAxis([2, 16, 1_024], log: true, includeZero: false, tight: true)
        expectLess(sizes.low, 2)
        expectGreater(sizes.low, 1.5)
        expectGreater(sizes.high, 1_024)
        expectLess(sizes.high, 1_400)
        expectEqual(sizes.ticks, [10, 100, 1_000])
        // Under two and a half decades (pre-copy rounds of 7K to 430K pages): 2× and 5× ticks too.
        let rounds = ValueAxis([7_000, 430_000], log: true, includeZero: false, tight: true)
        expectEqual(rounds.ticks, [10_000, 20_000, 50_000, 100_000, 200_000])
        expectLess(abs(sizes.fraction(2) - 1.0 / 27), 1e-9)
        expectLess(abs(sizes.fraction(1_024) - 26.0 / 27), 1e-9)
        let bars = ValueAxis([2, 16, 1_024], log: true, includeZero: false)
        expectEqual(bars.low, 1)
        expectEqual(bars.high, 10_000)
        let narrow = ValueAxis([3, 7], log: true, includeZero: false, tight: true)
        #expect(narrow.ticks.first! <= 3 && narrow.ticks.last! >= 7)
        // Within one step of the ticks (pre-copy rounds of 110K to 340K pages): the nearest tick on
        // either side, not whole decades (100K to 1M).
        let close = ValueAxis([110_000, 340_000], log: true, includeZero: false, tight: true)
        expectEqual(close.ticks, [100_000, 200_000, 500_000])
        expectEqual(close.low, 100_000)
        expectEqual(close.high, 500_000)
    }

    @Test func logTicksArePowersOfTen() {
        expectEqual(NiceTicks.logarithmic(3, 4_500), [1, 10, 100, 1_000, 10_000])
        expectEqual(NiceTicks.logarithmic(120_000, 400_000), [100_000, 200_000, 500_000, 1_000_000])
    }

    @Test func unitLabels() {
        expectEqual(AxisUnit.bitrate.label(1e10), "10 Gbit/s")
        expectEqual(AxisUnit.bitrate.label(3.4e9), "3.4 Gbit/s")
        expectEqual(AxisUnit.bitrate.exact(2e6), "2 Mbit/s (2,000,000 bit/s)")
        expectEqual(AxisUnit.nanoseconds.label(950), "950 ns")
        expectEqual(AxisUnit.nanoseconds.label(1_500), "1.5 µs")
        expectEqual(AxisUnit.nanoseconds.label(2e9), "2 s")
        // A time axis starts at "0 s" beside "10 s", not "0 ns".
        expectEqual(AxisUnit.nanoseconds.label(0), "0 s")
        expectEqual(AxisUnit.nanoseconds.exact(0), "0 s")
        expectEqual(AxisUnit.bytes.label(0), "0 B")
        expectEqual(AxisUnit.bytes.label(4_096), "4 KiB")
        expectEqual(AxisUnit.bytes.label(1.5 * 1_073_741_824), "1.5 GiB")
        expectEqual(AxisUnit.count.label(12_000), "12K")
        // A sweep's integer key written out: 1,000 MiB is not "1K" (a kibibyte to the eye).
        expectEqual(AxisUnit.whole.label(1_000), "1,000")
        expectEqual(AxisUnit.whole.label(8), "8")
        expectEqual(AxisUnit.whole.label(25_000), "25K")
        // An axis is labelled in one style: written out below ten thousand, counted once it reaches it.
        expectEqual(AxisUnit.whole.labels([0, 2_500, 5_000, 7_500]), ["0", "2,500", "5,000", "7,500"])
        expectEqual(AxisUnit.whole.labels([5_000, 10_000, 15_000]), ["5K", "10K", "15K"])
        expectEqual(AxisUnit.count.labels([0, 500, 1_000]), ["0", "500", "1K"])
        expectEqual(AxisUnit.whole.exact(1_000), "1,000")
        expectEqual(AxisUnit.whole.exact(1_048_576), "1,048,576")
        #expect(AxisUnit.whole.isWhole)
        expectEqual(AxisUnit.count.label(3_400_000), "3.4M")
        expectEqual(AxisUnit.percent.label(25), "25 %")
        // Thousands grouped as in the prose ("1,653.9 %"): a slowdown axis reads "2,000 %", not "2000 %".
        expectEqual(AxisUnit.percent.label(2_000), "2,000 %")
        expectEqual(AxisUnit.percent.label(1_653.9), "1,654 %")
        expectEqual(AxisUnit.percent.label(-1_500), "-1,500 %")
        expectEqual(AxisUnit.percent.label(12.5), "12.5 %")
        expectEqual(AxisUnit.plain.label(0.25), "0.25")
    }

    @Test func exactValuesKeepEveryDigitAndSayTheUnitOnce() {
        expectEqual(AxisUnit.percent.exact(80.25), "80.25 %")
        expectEqual(AxisUnit.count.exact(1_234_567), "1,234,567")
        expectEqual(AxisUnit.count.exact(-12_345), "−12,345")
        expectEqual(AxisUnit.count.exact(9_999), "9999")
        expectEqual(AxisUnit.pages.exact(31_553), "31,553 pages")
        expectEqual(AxisUnit.nanoseconds.exact(1_500_000), "1.5 ms (1,500,000 ns)")
        expectEqual(AxisUnit.nanoseconds.exact(12), "12 ns")
        expectEqual(AxisUnit.bytes.exact(4_096), "4 KiB (4096 B)")
        expectEqual(valueWords("pages", "31,553 pages"), "31,553 pages")
        expectEqual(valueWords("overhead", "80 %", colon: true), "overhead: 80 %")
        expectEqual(valueWords("", "3"), "3")
    }

    /// Counts in prose: singular for one, thousands grouped as everywhere else.
    @Test func countsAreWordsWithTheirNoun() {
        expectEqual(counted(1, "lane"), "1 lane")
        expectEqual(counted(0, "run"), "0 runs")
        expectEqual(counted(245_518, "event"), "245,518 events")
        expectEqual(counted(1_000, "claim"), "1,000 claims")
    }
}
