import Testing
import TestKit
@testable import Simulation

struct EventQueueTests {
    @Test func eventQueueBreaksTiesInPushOrder() {
        var q = EventQueue<String>()
        q.push("late", at: 20)
        q.push("first-at-10", at: 10)
        q.push("second-at-10", at: 10)
        q.push("early", at: 5)
        expectEqual(q.count, 4)
        expectEqual(q.nextTime, 5)
        var out: [String] = []
        while let e = q.pop() { out.append(e.payload) }
        expectEqual(out, ["early", "first-at-10", "second-at-10", "late"])
        #expect(q.isEmpty)
        expectEqual(q.nextTime, nil)
        #expect(q.pop() == nil)
    }

    /// Against a stable sort of everything pushed, with pops interleaved with pushes and many
    /// equal times: the queue pops in (time, push order), always the earliest of what it holds.
    @Test(arguments: [1 as UInt64, 2, 3])
    func popsInTimeThenPushOrderUnderRandomInterleaving(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var q = EventQueue<Int>()
        var held: [(time: UInt64, id: Int)] = []
        var next = 0
        for _ in 0..<20_000 {
            if g.below(3) != 0 || held.isEmpty {
                let t = g.below(50)  // few distinct times: ties are common
                q.push(next, at: t)
                held.append((t, next))
                next += 1
            } else {
                let want = held.enumerated().min { a, b in a.element.time != b.element.time ? a.element.time < b.element.time : a.element.id < b.element.id }!
                held.remove(at: want.offset)
                let got = q.pop()
                expectEqual(got?.time, want.element.time)
                expectEqual(got?.payload, want.element.id)
            }
            expectEqual(q.count, held.count)
        }
    }
}
