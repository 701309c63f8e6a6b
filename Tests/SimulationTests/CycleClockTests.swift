import Testing
import TestKit
@testable import Simulation

struct CycleClockTests {
    @Test func cycleClockConvertsAtTheGivenRate() {
        expectEqual(CycleClock(ghz: 3).nanoseconds(3_000), 1_000)
        expectEqual(CycleClock(ghz: 2.5).nanoseconds(5), 2)
        expectEqual(CycleClock(ghz: 1).nanoseconds(0), 0)
    }

    /// Converting a running total rounds down and never drifts: the time of n cycles is within
    /// one nanosecond of n / GHz at any rate and any size, and never decreases.
    @Test(arguments: [0.8, 1, 2.4, 3, 3.7, 5])
    func conversionIsMonotoneAndWithinANanosecond(ghz: Double) {
        let clock = CycleClock(ghz: ghz)
        var g = SplitMix64(seed: UInt64(ghz * 10))
        var last: UInt64 = 0
        var cycles: UInt64 = 0
        for _ in 0..<10_000 {
            cycles += g.below(5_000)
            let ns = clock.nanoseconds(cycles)
            expectAtLeast(ns, last)
            let exact: Double = Double(cycles) / ghz
            expectAtMost(Double(ns), exact)
            expectLess(exact - Double(ns), 1.000_001)
            last = ns
        }
    }
}
