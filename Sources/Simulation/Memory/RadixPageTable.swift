/// An x86-64 style radix page table: 512 entries (9 bits) per level, nodes in one flat array.
///
/// Each entry holds 0 (not present), the index + 1 of the next-level node, or at the leaf the
/// frame number + 1. A walk counts one memory reference per level it reads.
package struct RadixPageTable {
    package static let entriesPerNode = 512
    package let levels: Int
    /// The level at which translation ends: 1 for 4 KiB pages, 2 for 2 MiB pages.
    package let leafLevel: Int
    private var entries: [UInt32]
    package private(set) var nodeCount = 1

    package init(levels: Int, largePages: Bool) {
        precondition(levels >= 2 && levels <= 5)
        self.levels = levels
        leafLevel = largePages ? 2 : 1
        entries = [UInt32](repeating: 0, count: Self.entriesPerNode * 64)
    }

    /// The result of walking the table for one virtual page.
    package struct Walk {
        /// Memory references the walk made (one per level read).
        package var refs: Int
        /// The frame, or nil when the leaf entry (or a table above it) is not present.
        package var frame: UInt64?
    }

    /// The 9-bit index of `address` at `level` (level `levels` is the root).
    @inline(__always)
    static func index(_ address: UInt64, level: Int) -> Int {
        Int((address >> UInt64(12 + 9 * (level - 1))) & 511)
    }

    /// Walks the table for `address`, counting references until a non-present entry or the leaf.
    @inline(__always)
    package func walk(_ address: UInt64) -> Walk {
        var node = 0
        var refs = 0
        var level = levels
        while true {
            refs += 1
            let e = entries[node * Self.entriesPerNode + Self.index(address, level: level)]
            if e == 0 { return Walk(refs: refs, frame: nil) }
            if level == leafLevel { return Walk(refs: refs, frame: UInt64(e - 1)) }
            node = Int(e - 1)
            level -= 1
        }
    }

    /// Maps `address` to `frame`, creating intermediate tables as needed.
    /// - Returns: how many page-table pages were created.
    @discardableResult
    package mutating func map(_ address: UInt64, frame: UInt64) -> Int {
        var node = 0
        var created = 0
        var level = levels
        while level > leafLevel {
            let slot = node * Self.entriesPerNode + Self.index(address, level: level)
            if entries[slot] == 0 {
                if (nodeCount + 1) * Self.entriesPerNode > entries.count {
                    entries.append(contentsOf: repeatElement(0, count: entries.count))
                }
                entries[slot] = UInt32(nodeCount + 1)
                nodeCount += 1
                created += 1
            }
            node = Int(entries[slot] - 1)
            level -= 1
        }
        entries[node * Self.entriesPerNode + Self.index(address, level: level)] = UInt32(frame + 1)
        return created
    }
}
