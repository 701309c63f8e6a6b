import Testing
import TestKit
@testable import Simulation

struct RadixPageTableTests {
    @Test(arguments: [2, 3, 4, 5])
    func coldNativeWalkCostsOneReferencePerLevel(levels: Int) {
        var table = RadixPageTable(levels: levels, largePages: false)
        let address: UInt64 = 0x1234_5000
        #expect(!table.walk(address).present)
        table.map(address, frame: 7, writable: true)
        let walk = table.walk(address)
        expectEqual(walk.refs, levels)
        expectEqual(walk.frame, 7)
        #expect(walk.writable)
    }

    @Test func largePagesShortenTheWalkByOneLevel() {
        var table = RadixPageTable(levels: 4, largePages: true)
        table.map(0x4020_0000, frame: 3, writable: false)
        expectEqual(table.walk(0x4020_0000).refs, 3)
        expectEqual(table.walk(0x4020_0000 + 0x1F_FFFF).frame, 3)
        #expect(!table.walk(0x4020_0000).writable)
    }

    @Test func missingUpperTableStopsTheWalkEarly() {
        let table = RadixPageTable(levels: 4, largePages: false)
        expectEqual(table.walk(0xdead_b000).refs, 1)
    }

    @Test func mapReportsCreatedTablePagesAndUnmapClears() {
        var table = RadixPageTable(levels: 4, largePages: false)
        expectEqual(table.map(0x1000, frame: 1, writable: true), 3)
        expectEqual(table.map(0x2000, frame: 2, writable: true), 0)
        expectEqual(table.nodeCount, 4)
        expectEqual(table.unmap(0x1000), 1)
        #expect(!table.walk(0x1000).present)
        var leaves: [UInt64] = []
        table.forEachLeaf { address, _ in leaves.append(address) }
        expectEqual(leaves, [0x2000])
    }

    /// Random maps, unmaps and permission changes at every depth agree with a dictionary: a walk
    /// finds exactly what was mapped, reads one level per step down to the first missing table,
    /// `walkWithFrames` agrees with `walk`, and leaves come out in address order.
    @Test(arguments: [(2, false), (3, false), (4, false), (4, true), (5, false)])
    func agreesWithADictionaryUnderRandomChanges(levels: Int, large: Bool) {
        var table = RadixPageTable(levels: levels, largePages: large)
        var truth: [UInt64: (frame: UInt64, writable: Bool)] = [:]
        var g = SplitMix64(seed: UInt64(levels * 10 + (large ? 1 : 0)))
        let pageShift: UInt64 = large ? 21 : 12
        let span: UInt64 = UInt64(1) << UInt64(12 + 9 * levels)  // what the table can address
        let pages = span >> pageShift
        for _ in 0..<3_000 {
            let page = g.below(min(pages, 1 << 20))  // a dense low region…
            let far = g.below(pages)                 // …and anywhere at all
            let address = (g.below(2) == 0 ? page : far) << pageShift
            switch g.below(4) {
            case 0, 1:
                let frame = g.below(1 << 20), writable = g.below(2) == 0
                table.map(address, frame: frame, writable: writable)
                truth[address] = (frame, writable)
            case 2:
                expectEqual(table.unmap(address), truth.removeValue(forKey: address)?.frame)
            default:
                let writable = g.below(2) == 0
                expectEqual(table.setWritable(address, writable), truth[address] != nil)
                truth[address]?.writable = writable
            }
        }
        expectEqual(table.mappedPages, truth.count)
        for (address, want) in truth {
            let w = table.walk(address | (g.below(1 << pageShift)))  // any byte of the page
            #expect(w.present)
            expectEqual(w.frame, want.frame)
            expectEqual(w.writable, want.writable)
            expectEqual(w.refs, table.walkLevels)
            expectEqual(table.walkWithFrames(address).walk, w)
        }
        var leaves: [UInt64] = []
        table.forEachLeaf { address, _ in leaves.append(address) }
        expectEqual(leaves, truth.keys.sorted())
    }
}
