/// A set-associative TLB with LRU replacement, in flat arrays (no allocation per lookup).
///
/// Entries are keyed by `page | tag << 46`, where the tag is the address-space id (PCID and
/// VPID together) when the TLB is tagged, or 0 when it is not. Each entry remembers whether
/// the page is writable, so a write to a read-only entry faults as on hardware.
package struct TLB {
    package let sets: Int
    package let ways: Int
    /// key + 1 per entry; 0 marks an empty entry.
    private var keys: [UInt64]
    private var writable: [Bool]
    /// Last-use stamp per entry, for LRU.
    private var stamps: [UInt64]
    private var now: UInt64 = 0

    /// What a lookup found.
    package enum Hit: UInt8 { case miss, readOnly, writable }

    /// - Parameters: sets must be a power of two.
    package init(sets: Int, ways: Int) {
        precondition(sets > 0 && sets & (sets - 1) == 0 && ways > 0)
        self.sets = sets
        self.ways = ways
        keys = [UInt64](repeating: 0, count: sets * ways)
        writable = [Bool](repeating: false, count: sets * ways)
        stamps = [UInt64](repeating: 0, count: sets * ways)
    }

    /// The key of a page in an address space.
    @inline(__always)
    package static func key(page: UInt64, tag: UInt64) -> UInt64 { page | tag << 46 }

    /// Looks a key up and marks it used; a miss does not insert.
    @inline(__always)
    package mutating func lookup(_ key: UInt64) -> Hit {
        now &+= 1
        let base = Int(key & UInt64(sets &- 1)) &* ways
        let k = key &+ 1
        let stamp = now
        return keys.withUnsafeBufferPointer { t in
            for i in base..<(base &+ ways) where t[i] == k {
                stamps.withUnsafeMutableBufferPointer { $0[i] = stamp }
                return writable[i] ? .writable : .readOnly
            }
            return .miss
        }
    }

    /// Inserts (or updates) a key, evicting the least recently used entry of its set.
    @inline(__always)
    package mutating func insert(_ key: UInt64, writable w: Bool) {
        now &+= 1
        let base = Int(key & UInt64(sets &- 1)) &* ways
        let k = key &+ 1
        var victim = base
        for i in base..<(base &+ ways) {
            if keys[i] == k || keys[i] == 0 { victim = i; break }
            if stamps[i] < stamps[victim] { victim = i }
        }
        keys[victim] = k
        writable[victim] = w
        stamps[victim] = now
    }

    /// Drops one key (INVLPG).
    package mutating func invalidate(_ key: UInt64) {
        let base = Int(key & UInt64(sets - 1)) * ways
        for i in base..<(base + ways) where keys[i] == key &+ 1 { keys[i] = 0 }
    }

    /// Drops every entry of one tag (a tagged flush of one address space).
    package mutating func flush(tag: UInt64) {
        for i in keys.indices where keys[i] != 0 && (keys[i] &- 1) >> 46 == tag { keys[i] = 0 }
    }

    /// Empties the TLB (a CR3 write or world switch without tags).
    package mutating func flush() {
        for i in keys.indices { keys[i] = 0 }
    }
}

/// A first-level TLB backed by an optional second level (the STLB), probed on an L1 miss.
package struct TLBHierarchy {
    package var l1: TLB
    package var l2: TLB?

    package init(l1Sets: Int, l1Ways: Int, l2Sets: Int, l2Ways: Int) {
        l1 = TLB(sets: l1Sets, ways: l1Ways)
        l2 = l2Sets > 0 && l2Ways > 0 ? TLB(sets: l2Sets, ways: l2Ways) : nil
    }

    /// Where a lookup was answered.
    package enum Level { case l1, l2, miss }

    /// Probes L1, then L2 (refilling L1 from L2 on an L2 hit).
    @inline(__always)
    package mutating func lookup(_ key: UInt64) -> (TLB.Hit, Level) {
        let h = l1.lookup(key)
        if h != .miss { return (h, .l1) }
        guard l2 != nil else { return (.miss, .miss) }
        let h2 = l2!.lookup(key)
        if h2 == .miss { return (.miss, .miss) }
        l1.insert(key, writable: h2 == .writable)
        return (h2, .l2)
    }

    @inline(__always)
    package mutating func insert(_ key: UInt64, writable: Bool) {
        l1.insert(key, writable: writable)
        l2?.insert(key, writable: writable)
    }

    package mutating func invalidate(_ key: UInt64) {
        l1.invalidate(key)
        l2?.invalidate(key)
    }

    package mutating func flush(tag: UInt64) {
        l1.flush(tag: tag)
        l2?.flush(tag: tag)
    }

    package mutating func flush() {
        l1.flush()
        l2?.flush()
    }
}
