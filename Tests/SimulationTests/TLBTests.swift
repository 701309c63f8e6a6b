import Foundation
import Testing
@testable import Simulation
@testable import TraceFormat

@Suite struct PageTableAndTLBTests {
    @Test(arguments: [2, 3, 4, 5])
    func coldNativeWalkCostsOneReferencePerLevel(levels: Int) {
        var table = RadixPageTable(levels: levels, largePages: false)
        let address: UInt64 = 0x1234_5000
        #expect(!table.walk(address).present)
        table.map(address, frame: 7, writable: true)
        let walk = table.walk(address)
        #expect(walk.refs == levels)
        #expect(walk.frame == 7)
        #expect(walk.writable)
    }

    @Test func largePagesShortenTheWalkByOneLevel() {
        var table = RadixPageTable(levels: 4, largePages: true)
        table.map(0x4020_0000, frame: 3, writable: false)
        #expect(table.walk(0x4020_0000).refs == 3)
        #expect(table.walk(0x4020_0000 + 0x1F_FFFF).frame == 3)
        #expect(!table.walk(0x4020_0000).writable)
    }

    @Test func missingUpperTableStopsTheWalkEarly() {
        let table = RadixPageTable(levels: 4, largePages: false)
        #expect(table.walk(0xdead_b000).refs == 1)
    }

    @Test func mapReportsCreatedTablePagesAndUnmapClears() {
        var table = RadixPageTable(levels: 4, largePages: false)
        #expect(table.map(0x1000, frame: 1, writable: true) == 3)
        #expect(table.map(0x2000, frame: 2, writable: true) == 0)
        #expect(table.nodeCount == 4)
        #expect(table.unmap(0x1000) == 1)
        #expect(!table.walk(0x1000).present)
        var leaves: [UInt64] = []
        table.forEachLeaf { address, _ in leaves.append(address) }
        #expect(leaves == [0x2000])
    }

    @Test func tlbEvictsTheLeastRecentlyUsedEntryAndKeepsPermissions() {
        var tlb = TLB(sets: 1, ways: 2)
        tlb.insert(1, writable: true)
        tlb.insert(2, writable: false)
        let hit1 = tlb.lookup(1)
        tlb.insert(3, writable: true) // evicts 2, the least recently used
        let hits = [tlb.lookup(1), tlb.lookup(2), tlb.lookup(3)]
        tlb.flush()
        let afterFlush = tlb.lookup(1)
        #expect(hit1 == .writable)
        #expect(hits == [.writable, .miss, .writable])
        #expect(afterFlush == .miss)
    }

    @Test func taggedFlushDropsOnlyOneAddressSpace() {
        var tlb = TLB(sets: 4, ways: 4)
        tlb.insert(TLB.key(page: 5, tag: 1), writable: true)
        tlb.insert(TLB.key(page: 5, tag: 2), writable: true)
        tlb.flush(tag: 1)
        let a = tlb.lookup(TLB.key(page: 5, tag: 1)), b = tlb.lookup(TLB.key(page: 5, tag: 2))
        #expect(a == .miss)
        #expect(b == .writable)
    }

    @Test func secondLevelRefillsTheFirst() {
        var h = TLBHierarchy(l1Sets: 1, l1Ways: 1, l2Sets: 4, l2Ways: 4)
        h.insert(1, writable: true)
        h.insert(2, writable: true) // evicts 1 from L1, not from L2
        let (hit, level) = h.lookup(1)
        #expect(hit == .writable)
        #expect(level == .l2)
        #expect(h.lookup(1).1 == .l1)
    }
}
