import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct TLBTests {

    @Test func tlbEvictsTheLeastRecentlyUsedEntryAndKeepsPermissions() {
        let tlb = TLB(sets: 1, ways: 2)
        tlb.insert(1, writable: true)
        tlb.insert(2, writable: false)
        let hit1 = tlb.lookup(1)
        tlb.insert(3, writable: true) // evicts 2, the least recently used
        let hits = [tlb.lookup(1), tlb.lookup(2), tlb.lookup(3)]
        tlb.flush()
        let afterFlush = tlb.lookup(1)
        expectEqual(hit1, .writable)
        expectEqual(hits, [.writable, .miss, .writable])
        expectEqual(afterFlush, .miss)
    }

    @Test func taggedFlushDropsOnlyOneAddressSpace() {
        let tlb = TLB(sets: 4, ways: 4)
        tlb.insert(TLB.key(page: 5, tag: 1), writable: true)
        tlb.insert(TLB.key(page: 5, tag: 2), writable: true)
        tlb.flush(tag: 1)
        let a = tlb.lookup(TLB.key(page: 5, tag: 1)), b = tlb.lookup(TLB.key(page: 5, tag: 2))
        expectEqual(a, .miss)
        expectEqual(b, .writable)
    }

    @Test func secondLevelRefillsTheFirst() {
        let h = TLBHierarchy(l1Sets: 1, l1Ways: 1, l2Sets: 4, l2Ways: 4)
        h.insert(1, writable: true)
        h.insert(2, writable: true) // evicts 1 from L1, not from L2
        let (hit, level) = h.lookup(1)
        expectEqual(hit, .writable)
        expectEqual(level, .l2)
        expectEqual(h.lookup(1).1, .l1)
    }
}
