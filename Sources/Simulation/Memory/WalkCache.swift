/// The caches a hardware walker keeps besides the TLB, per vCPU, as Bhargava, Serebrin,
/// Spadini and Manne model them for AMD's nested paging ("Accelerating Two-Dimensional Page
/// Walks for Virtualized Systems", ASPLOS 2008):
///
/// - the **page-walk cache** (PWC) holds recently read *non-leaf* page-table entries — of the
///   guest's table (or the native or shadow table) and, in the 2-D walk, of the nested table
///   too (their "2D_PWC"). A reference that hits it costs `walk_cache_hit_cycles` instead of a
///   memory reference; leaf entries go to the TLB, not here;
/// - the **nested TLB** (NTLB) holds recent guest-physical → host-physical translations, so the
///   nested walk of a guest table page (or of the data's guest-physical address) is skipped.
///
/// Both are small set-associative LRU arrays of tags (4 ways), flat over the vCPUs.
struct WalkCacheSet {
    static let ways = 4
    let sets: Int
    /// `sets − 1` when `sets` is a power of two (a mask instead of a division in the hot path).
    private let setMask: Int?
    /// Tags by (vCPU, set, way); `.max` is empty. Way 0 is the most recently used.
    private var tags: [UInt64]

    init(entries: Int, vcpus: Int) {
        sets = max(1, entries / Self.ways)
        setMask = sets & (sets - 1) == 0 ? sets - 1 : nil
        tags = [UInt64](repeating: .max, count: entries == 0 ? 0 : sets * Self.ways * vcpus)
    }

    var isEnabled: Bool { !tags.isEmpty }

    /// Looks `tag` up in vCPU `v`'s cache: true on a hit; on a miss the tag is inserted (the
    /// least recently used way of its set goes).
    @inline(__always)
    mutating func lookup(_ tag: UInt64, vcpu v: Int) -> Bool {
        let hash = Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) >> 40)
        let set = setMask.map { hash & $0 } ?? hash % sets
        let base = (v &* sets &+ set) &* Self.ways
        return tags.withUnsafeMutableBufferPointer { t in
            // Way 0 is hit most often (the upper levels of every walk): checked first, no move.
            if t[base] == tag { return true }
            var i = 1
            while i < Self.ways, t[base &+ i] != tag { i &+= 1 }
            let hit = i < Self.ways
            // Move to the front (LRU order within the set); a miss drops the last way.
            var j = hit ? i : Self.ways - 1
            while j > 0 { t[base &+ j] = t[base &+ j &- 1]; j &-= 1 }
            t[base] = tag
            return hit
        }
    }

    /// Forgets vCPU `v`'s entries that `drop` selects (a guest TLB flush drops guest entries, not nested ones).
    mutating func clear(vcpu v: Int, where drop: (UInt64) -> Bool) {
        guard isEnabled else { return }
        for i in (v * sets * Self.ways)..<((v + 1) * sets * Self.ways) where tags[i] != .max && drop(tags[i]) { tags[i] = .max }
    }

    /// A page-walk-cache tag: which table (`dimension` 0 for the guest's, native or shadow table,
    /// 1 for the nested table), the address space (`space`: the process's tag; 0 for the nested
    /// table), the entry's level and the address bits above that level's span.
    @inline(__always)
    static func entryTag(dimension: UInt64, space: UInt64, level: Int, address: UInt64) -> UInt64 {
        (address >> UInt64(12 + 9 * (level - 1))) << 24 | (space & 0xFFFF) << 8 | UInt64(level) << 1 | dimension
    }

    @inline(__always)
    static func isGuestTag(_ tag: UInt64) -> Bool { tag & 1 == 0 }
}
