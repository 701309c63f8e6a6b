import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct TwoDimensionalWalkTests {
    /// References of one TLB-miss walk to a page that is already mapped everywhere.
    static func warmWalkRefs(mode: String, levels: Int, nestedLevels: Int = 4, pageSize: String = "4KiB",
                             nestedPageSize: String = "4KiB") throws -> UInt64 {
        let s = try MemoryRuns.scenario(["memory.mode": .text(mode), "memory.levels": .integer(Int64(levels)),
                                         "memory.nested.levels": .integer(Int64(nestedLevels)),
                                         "memory.page_size": .text(pageSize), "memory.nested.page_size": .text(nestedPageSize)])
        var m = MemoryMachine(config: MemoryConfig(s), writer: nil)
        try m.boot()
        let address = m.base + 0x5000
        try m.access(address, write: false, vcpu: 0) // first touch: fault, map, fill
        m.tlbs[0].flush()
        let before = m.totals.walkRefs
        try m.access(address, write: false, vcpu: 0)
        return m.totals.walkRefs - before
    }

    @Test(arguments: [(4, 4), (2, 2), (3, 4), (4, 3), (5, 4), (4, 5), (5, 5)])
    func nestedWalkCostsNPlusOneTimesMPlusOneMinusOne(_ n: Int, _ m: Int) throws {
        try expectEqual(Self.warmWalkRefs(mode: "nested", levels: n, nestedLevels: m), UInt64((n + 1) * (m + 1) - 1))
    }

    @Test func fourByFourIsTwentyFour() throws {
        try expectEqual(Self.warmWalkRefs(mode: "nested", levels: 4), 24)
    }

    @Test(arguments: [2, 3, 4, 5])
    func nativeAndShadowWalksCostOneReferencePerLevel(levels: Int) throws {
        try expectEqual(Self.warmWalkRefs(mode: "native", levels: levels), UInt64(levels))
        try expectEqual(Self.warmWalkRefs(mode: "shadow", levels: levels), UInt64(levels))
    }

    @Test func largePagesShortenTheTwoDimensionalWalk() throws {
        // Guest 2 MiB pages: 3 guest levels → 4·5−1 = 19; nested 2 MiB too: 4·4−1 = 15.
        try expectEqual(Self.warmWalkRefs(mode: "nested", levels: 4, pageSize: "2MiB"), 19)
        try expectEqual(Self.warmWalkRefs(mode: "nested", levels: 4, nestedPageSize: "2MiB"), 19)
        try expectEqual(Self.warmWalkRefs(mode: "nested", levels: 4, pageSize: "2MiB", nestedPageSize: "2MiB"), 15)
        try expectEqual(Self.warmWalkRefs(mode: "native", levels: 4, pageSize: "2MiB"), 3)
    }
}

/// The walk the course draws, carried out on real tables: the textbook count and order.
struct WalkDiagramTests {
    @Test func everyGuestAndNestedDepthGivesTheTextbookCount() {
        for n in 2...5 {
            for m in 2...5 {
                let refs = TwoDimensionalWalk.references(guestLevels: n, nestedLevels: m)
                expectEqual(refs.count, (n + 1) * (m + 1) - 1, "n = \(n), m = \(m)")
            }
        }
        // 4 + 4 levels: the 24 references of Bhargava et al.
        expectEqual(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4).count, 24)
    }

    @Test func eachRowIsANestedWalkThenTheGuestEntry() {
        let refs = TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4)
        var expected: [TwoDimensionalWalk.Reference] = []
        for row in 0..<4 { expected += (0...4).map { TwoDimensionalWalk.Reference(row: row, column: $0) } }
        expected += (0..<4).map { TwoDimensionalWalk.Reference(row: 4, column: $0) }
        expectEqual(refs, expected)
    }

    @Test func largePagesShortenTheirSide() {
        // 2 MiB guest pages: the guest walk stops at level 2; 2 MiB nested pages: each nested walk does.
        expectEqual(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4, guestLargePages: true).count, 4 * 5 - 1)
        expectEqual(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4, nestedLargePages: true).count, 5 * 4 - 1)
        let both = TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4, guestLargePages: true, nestedLargePages: true)
        expectEqual(both.count, 15)
        // Three rows of three nested reads and the guest entry in the fourth column, then the data page's three.
        expectEqual(both.map(\.column).max(), 3)
        expectEqual(both.map(\.row).max(), 3)
    }
}
