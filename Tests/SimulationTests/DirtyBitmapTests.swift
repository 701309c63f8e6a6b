import Testing
import TestKit
@testable import Simulation

struct DirtyBitmapTests {
    /// Sizes at and around word boundaries, all set: the count, the last page and nothing past it.
    @Test(arguments: [1, 63, 64, 65, 128, 1_000])
    func aFullBitmapHoldsExactlyItsPages(pages: Int) {
        let b = DirtyBitmap(pages: pages, set: true)
        expectEqual(b.count, pages)
        #expect(b.contains(pages - 1))
        expectEqual(b.count(in: 0..<pages), pages)
        expectEqual(b.next(from: pages - 1), pages - 1)
        expectEqual(b.next(from: pages), nil)
        expectEqual(b.intersectionCount(b), pages)
    }

    /// Random inserts and removes against a Set: membership, count, ranges, next set page and
    /// intersections all agree.
    @Test(arguments: [1 as UInt64, 2, 3])
    func agreesWithASet(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        let pages = 1_000 + Int(g.below(300))
        var a = DirtyBitmap(pages: pages), b = DirtyBitmap(pages: pages)
        var sa = Set<Int>(), sb = Set<Int>()
        for _ in 0..<5_000 {
            let p = Int(g.below(UInt64(pages)))
            if g.below(3) == 0 {
                expectEqual(a.remove(p), sa.remove(p) != nil)
            } else {
                expectEqual(a.insert(p), sa.insert(p).inserted)
            }
            let q = Int(g.below(UInt64(pages)))
            b.insert(q); sb.insert(q)
        }
        expectEqual(a.count, sa.count)
        for p in 0..<pages { expectEqual(a.contains(p), sa.contains(p)) }
        for _ in 0..<200 {
            let lo = Int(g.below(UInt64(pages))), hi = lo + Int(g.below(UInt64(pages - lo + 1)))
            expectEqual(a.count(in: lo..<hi), sa.filter { $0 >= lo && $0 < hi }.count, "\(lo)..<\(hi)")
            expectEqual(a.next(from: lo), sa.filter { $0 >= lo }.min())
            let both: Int = sa.intersection(sb).filter { $0 >= lo && $0 < hi }.count
            expectEqual(a.intersectionCount(b, in: lo..<hi), both, "\(lo)..<\(hi)")
        }
        expectEqual(a.intersectionCount(b), sa.intersection(sb).count)
        a.removeAll()
        expectEqual(a.count, 0)
        expectEqual(a.next(from: 0), nil)
        expectEqual(a, DirtyBitmap(pages: pages))
    }
}
