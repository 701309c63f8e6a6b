/// One bit per guest page: the dirty log the hypervisor keeps by write-protecting memory
/// (and the "still to send" and "already at the destination" sets of the strategies).
/// 4 Mi pages (16 GiB) take 512 KiB.
package struct DirtyBitmap: Sendable, Equatable {
    package let pages: Int
    private(set) var words: [UInt64]
    package private(set) var count = 0

    package init(pages: Int, set: Bool = false) {
        self.pages = pages
        words = [UInt64](repeating: set ? .max : 0, count: (pages + 63) / 64)
        if set {
            let extra = words.count * 64 - pages
            if extra > 0 { words[words.count - 1] = .max >> UInt64(extra) }
            count = pages
        }
    }

    @inline(__always)
    package func contains(_ page: Int) -> Bool {
        words[page >> 6] & (1 << UInt64(page & 63)) != 0
    }

    /// Sets a bit; returns whether it was clear before.
    @inline(__always)
    @discardableResult
    package mutating func insert(_ page: Int) -> Bool {
        let bit: UInt64 = 1 << UInt64(page & 63)
        let w = words[page >> 6]
        if w & bit != 0 { return false }
        words[page >> 6] = w | bit
        count += 1
        return true
    }

    /// Clears a bit; returns whether it was set.
    @inline(__always)
    @discardableResult
    package mutating func remove(_ page: Int) -> Bool {
        let bit: UInt64 = 1 << UInt64(page & 63)
        let w = words[page >> 6]
        if w & bit == 0 { return false }
        words[page >> 6] = w & ~bit
        count -= 1
        return true
    }

    /// The first set page at or after `from`, or nil.
    package func next(from: Int) -> Int? {
        guard from < pages else { return nil }
        var i = from >> 6
        var w = words[i] & (.max << UInt64(from & 63))
        while true {
            if w != 0 { return i * 64 + w.trailingZeroBitCount }
            i += 1
            if i == words.count { return nil }
            w = words[i]
        }
    }

    /// Set pages in `range`.
    package func count(in range: Range<Int>) -> Int { setBits(in: range) { words[$0] } }

    /// Pages set in both bitmaps.
    package func intersectionCount(_ other: DirtyBitmap) -> Int {
        zip(words, other.words).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
    }

    /// Pages in `range` set in both bitmaps.
    package func intersectionCount(_ other: DirtyBitmap, in range: Range<Int>) -> Int {
        setBits(in: range) { words[$0] & other.words[$0] }
    }

    /// Set bits in `range` of the words `word(i)` gives: word-aligned popcount, bit by bit at the edges.
    private func setBits(in range: Range<Int>, _ word: (Int) -> UInt64) -> Int {
        var n = 0
        var p = range.lowerBound
        func bit(_ p: Int) -> Int { word(p >> 6) & (1 << UInt64(p & 63)) != 0 ? 1 : 0 }
        while p < range.upperBound && p & 63 != 0 { n += bit(p); p += 1 }
        while p + 64 <= range.upperBound { n += word(p >> 6).nonzeroBitCount; p += 64 }
        while p < range.upperBound { n += bit(p); p += 1 }
        return n
    }

    package mutating func removeAll() {
        for i in words.indices { words[i] = 0 }
        count = 0
    }
}
