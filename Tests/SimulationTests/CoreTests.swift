import Testing
@testable import Simulation

@Suite struct CoreTests {
    @Test func splitMixIsDeterministicAndMatchesReference() {
        var a = SplitMix64(seed: 0)
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        #expect(a.next() == 0xE220_A839_7B1D_CDAF)
        #expect(a.next() == 0x6E78_9E6A_A1B9_65F4)
        var b = SplitMix64(seed: 42), c = SplitMix64(seed: 42)
        for _ in 0..<100 { #expect(b.next() == c.next()) }
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var g = SplitMix64(seed: 1)
        var seen = Set<UInt64>()
        for _ in 0..<1_000 {
            let v = g.below(10)
            #expect(v < 10)
            seen.insert(v)
        }
        #expect(seen.count == 10)
    }

    @Test func eventQueueBreaksTiesInPushOrder() {
        var q = EventQueue<String>()
        q.push("late", at: 20)
        q.push("first-at-10", at: 10)
        q.push("second-at-10", at: 10)
        q.push("early", at: 5)
        var out: [String] = []
        while let e = q.pop() { out.append(e.payload) }
        #expect(out == ["early", "first-at-10", "second-at-10", "late"])
    }

    @Test func cycleClockConvertsAtTheGivenRate() {
        #expect(CycleClock(ghz: 3).nanoseconds(3_000) == 1_000)
        #expect(CycleClock(ghz: 2.5).nanoseconds(5) == 2)
    }
}
