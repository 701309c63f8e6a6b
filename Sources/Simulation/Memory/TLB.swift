/// A set-associative TLB with LRU replacement, in flat arrays (no allocation per lookup).
package struct TLB {
    package let sets: Int
    package let ways: Int
    /// Page number + 1 per entry; 0 marks an empty entry.
    private var tags: [UInt64]
    /// Last-use stamp per entry, for LRU.
    private var stamps: [UInt64]
    private var now: UInt64 = 0

    /// - Parameters: sets must be a power of two.
    package init(sets: Int, ways: Int) {
        precondition(sets > 0 && sets & (sets - 1) == 0 && ways > 0)
        self.sets = sets
        self.ways = ways
        tags = [UInt64](repeating: 0, count: sets * ways)
        stamps = [UInt64](repeating: 0, count: sets * ways)
    }

    /// Looks a page up and marks it used; on a miss it does not insert.
    @inline(__always)
    package mutating func lookup(_ page: UInt64) -> Bool {
        now &+= 1
        let base = Int(page & UInt64(sets - 1)) &* ways
        let tag = page &+ 1
        return tags.withUnsafeMutableBufferPointer { t in
            for i in base..<(base &+ ways) where t[i] == tag {
                stamps[i] = now
                return true
            }
            return false
        }
    }

    /// Inserts a page, evicting the least recently used entry of its set.
    @inline(__always)
    package mutating func insert(_ page: UInt64) {
        now &+= 1
        let base = Int(page & UInt64(sets - 1)) &* ways
        var victim = base
        for i in base..<(base &+ ways) {
            if tags[i] == 0 { victim = i; break }
            if stamps[i] < stamps[victim] { victim = i }
        }
        tags[victim] = page &+ 1
        stamps[victim] = now
    }

    /// Empties the TLB (a world switch or CR3 write without tags).
    package mutating func flush() {
        for i in tags.indices { tags[i] = 0 }
    }
}
