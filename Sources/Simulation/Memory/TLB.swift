/// A set-associative TLB with LRU replacement, in flat buffers: a value of raw pointers, so a
/// lookup does no reference counting, allocation or copy-on-write check. `TLBMemory` (or
/// `deallocate()`) frees it.
///
/// Entries are keyed by `page | tag << 46`, where the tag is the address-space id (PCID and
/// VPID together) when the TLB is tagged, or 0 when it is not. Each entry remembers whether
/// the page is writable, so a write to a read-only entry faults as on hardware.
package struct TLB {
    package let sets: Int
    package let ways: Int
    private let count: Int
    /// The LRU clock, shared by copies of this value.
    private let clock: UnsafeMutablePointer<UInt64>
    /// The last entry that hit (key + 1, index): consecutive accesses to one page skip the set scan.
    private let last: UnsafeMutablePointer<(key: UInt64, index: Int)>
    /// key + 1 per entry; 0 marks an empty entry.
    private let keys: UnsafeMutablePointer<UInt64>
    private let writable: UnsafeMutablePointer<Bool>
    /// Last-use stamp per entry, for LRU.
    private let stamps: UnsafeMutablePointer<UInt64>

    /// What a lookup found.
    package enum Hit: UInt8 { case miss, readOnly, writable }

    /// - Parameters: sets must be a power of two.
    package init(sets: Int, ways: Int) {
        precondition(sets > 0 && sets & (sets - 1) == 0 && ways > 0)
        self.sets = sets
        self.ways = ways
        count = sets * ways
        keys = .allocate(capacity: count)
        keys.initialize(repeating: 0, count: count)
        writable = .allocate(capacity: count)
        writable.initialize(repeating: false, count: count)
        stamps = .allocate(capacity: count)
        stamps.initialize(repeating: 0, count: count)
        clock = .allocate(capacity: 1)
        clock.initialize(to: 0)
        last = .allocate(capacity: 1)
        last.initialize(to: (0, 0))
    }

    /// Frees the buffers; the value must not be used afterwards.
    package func deallocate() {
        keys.deallocate()
        writable.deallocate()
        stamps.deallocate()
        clock.deallocate()
        last.deallocate()
    }

    /// The key of a page in an address space.
    @inline(__always)
    package static func key(page: UInt64, tag: UInt64) -> UInt64 { page | tag << 46 }

    /// Looks a key up and marks it used; a miss does not insert.
    @inline(__always)
    package func lookup(_ key: UInt64) -> Hit {
        let now = clock.pointee &+ 1
        clock.pointee = now
        let k = key &+ 1
        if last.pointee.key == k {
            let i = last.pointee.index
            stamps[i] = now
            return writable[i] ? .writable : .readOnly
        }
        let base = Int(key & UInt64(sets &- 1)) &* ways
        var i = base
        let end = base &+ ways
        while i < end {
            if keys[i] == k {
                stamps[i] = now
                last.pointee = (k, i)
                return writable[i] ? .writable : .readOnly
            }
            i &+= 1
        }
        return .miss
    }

    /// Inserts a key that is not in the TLB, evicting the least recently used entry of its set.
    /// Empty entries carry stamp 0, so the victim is simply the smallest stamp.
    @inline(__always)
    package func insert(_ key: UInt64, writable w: Bool) {
        let now = clock.pointee &+ 1
        clock.pointee = now
        let base = Int(key & UInt64(sets &- 1)) &* ways
        var victim = base
        var oldest = stamps[base]
        var i = base &+ 1
        let end = base &+ ways
        while i < end {
            let s = stamps[i]
            if s < oldest { oldest = s; victim = i }
            i &+= 1
        }
        if last.pointee.index == victim { last.pointee.key = 0 }
        keys[victim] = key &+ 1
        writable[victim] = w
        stamps[victim] = now
    }

    /// Drops one key (INVLPG).
    package func invalidate(_ key: UInt64) {
        let base = Int(key & UInt64(sets - 1)) * ways
        for i in base..<(base + ways) where keys[i] == key &+ 1 { keys[i] = 0; stamps[i] = 0 }
        last.pointee.key = 0
    }

    /// Drops every entry of one tag (a tagged flush of one address space).
    package func flush(tag: UInt64) {
        for i in 0..<count where keys[i] != 0 && (keys[i] &- 1) >> 46 == tag { keys[i] = 0; stamps[i] = 0 }
        last.pointee.key = 0
    }

    /// Empties the TLB (a CR3 write or world switch without tags).
    package func flush() {
        keys.update(repeating: 0, count: count)
        stamps.update(repeating: 0, count: count)
        last.pointee.key = 0
    }
}

/// A first-level TLB backed by an optional second level (the STLB), probed on an L1 miss.
package struct TLBHierarchy {
    package let l1: TLB
    package let l2: TLB?

    /// A single-level hierarchy around an existing TLB.
    package init(l1: TLB) {
        self.l1 = l1
        l2 = nil
    }

    package init(l1Sets: Int, l1Ways: Int, l2Sets: Int, l2Ways: Int) {
        l1 = TLB(sets: l1Sets, ways: l1Ways)
        l2 = l2Sets > 0 && l2Ways > 0 ? TLB(sets: l2Sets, ways: l2Ways) : nil
    }

    /// Where a lookup was answered.
    package enum Level { case l1, l2, miss }

    /// Probes L1, then L2 (refilling L1 from L2 on an L2 hit).
    @inline(__always)
    package func lookup(_ key: UInt64) -> (TLB.Hit, Level) {
        let h = l1.lookup(key)
        if h != .miss { return (h, .l1) }
        guard let l2 else { return (.miss, .miss) }
        let h2 = l2.lookup(key)
        if h2 == .miss { return (.miss, .miss) }
        l1.insert(key, writable: h2 == .writable)
        return (h2, .l2)
    }

    @inline(__always)
    package func insert(_ key: UInt64, writable: Bool) {
        l1.insert(key, writable: writable)
        l2?.insert(key, writable: writable)
    }

    package func invalidate(_ key: UInt64) {
        l1.invalidate(key)
        l2?.invalidate(key)
    }

    package func flush(tag: UInt64) {
        l1.flush(tag: tag)
        l2?.flush(tag: tag)
    }

    package func flush() {
        l1.flush()
        l2?.flush()
    }
}

/// Owns the buffers of a set of TLBs and frees them with itself.
final class TLBMemory {
    let hierarchies: [TLBHierarchy]

    init(_ hierarchies: [TLBHierarchy]) { self.hierarchies = hierarchies }

    deinit {
        for h in hierarchies {
            h.l1.deallocate()
            h.l2?.deallocate()
        }
    }
}
