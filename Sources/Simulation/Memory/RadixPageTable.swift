/// An x86-64 style radix page table: 512 entries (9 bits) per level, nodes in one flat array.
///
/// Used for guest page tables (gVA → gPA), shadow tables (gVA → sPA) and the nested table
/// (gPA → sPA). An entry is 0 (not present), `node << 2 | 1` for a lower-level table, or at
/// the leaf `frame << 2 | writable << 1 | 1`. Each node also records the frame that holds it
/// (in the address space the table itself lives in), so a nested walk can translate it.
package struct RadixPageTable {
    package static let entriesPerNode = 512
    package let levels: Int
    /// The level at which translation ends: 1 for 4 KiB pages, 2 for 2 MiB pages.
    package let leafLevel: Int
    /// 32-bit entries (frames below 2^30, 4 TiB): half the footprint of 64-bit ones, which
    /// matters because the simulator's own walks of large tables miss the host's caches.
    private var entries: [UInt32]
    /// The frame holding each node (node 0 is the root).
    package private(set) var nodeFrames: [UInt64]
    /// Leaf entries present.
    package private(set) var mappedPages = 0

    package init(levels: Int, largePages: Bool, rootFrame: UInt64 = 0) {
        precondition(levels >= 2 && levels <= 5)
        self.levels = levels
        leafLevel = largePages ? 2 : 1
        entries = [UInt32](repeating: 0, count: Self.entriesPerNode * 8)
        nodeFrames = [rootFrame]
    }

    /// Table pages in use (the memory this table costs, in pages).
    package var nodeCount: Int { nodeFrames.count }

    /// Levels a complete walk reads.
    package var walkLevels: Int { levels - leafLevel + 1 }

    /// The result of walking the table for one address.
    package struct Walk: Equatable {
        /// Memory references the walk made (one per level read).
        package var refs: Int
        /// The leaf entry, or 0 when it (or a table above it) is not present.
        package var entry: UInt64

        package var present: Bool { entry != 0 }
        package var frame: UInt64 { entry >> 2 }
        package var writable: Bool { entry & 2 != 0 }
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
        return entries.withUnsafeBufferPointer { e in
            while true {
                refs &+= 1
                let entry = UInt64(e[node &* 512 &+ Self.index(address, level: level)])
                if entry == 0 || level == leafLevel { return Walk(refs: refs, entry: entry) }
                node = Int(entry >> 2)
                level &-= 1
            }
        }
    }

    /// The frames of the table nodes a walk of `address` visits, root first, as far as they exist.
    /// The 2-D walk translates each of them through the nested table.
    @inline(__always)
    package func forEachNode(on address: UInt64, _ body: (UInt64) -> Void) {
        var node = 0
        var level = levels
        while true {
            body(nodeFrames[node])
            if level == leafLevel { return }
            let entry = entries[node * 512 + Self.index(address, level: level)]
            if entry == 0 { return }
            node = Int(entry >> 2)
            level -= 1
        }
    }

    /// `walk` and the frames of the nodes it reads (as `forEachNode`, as a value: element i is
    /// the node read at level `levels − i`) in one pass — the 2-D walk with caches needs both,
    /// and a second pass over a large table misses the host's caches again.
    @inline(__always)
    package func walkWithFrames(_ address: UInt64) -> (walk: Walk, frames: SIMD8<UInt64>) {
        var out = SIMD8<UInt64>(repeating: 0)
        var node = 0, level = levels, refs = 0
        return entries.withUnsafeBufferPointer { e in
            nodeFrames.withUnsafeBufferPointer { f in
                while true {
                    out[refs] = f[node]
                    refs &+= 1
                    let entry = UInt64(e[node &* 512 &+ Self.index(address, level: level)])
                    if entry == 0 || level == leafLevel { return (Walk(refs: refs, entry: entry), out) }
                    node = Int(entry >> 2)
                    level &-= 1
                }
            }
        }
    }

    /// Maps `address` to `frame`, creating intermediate tables as needed.
    /// - Returns: how many table pages were created; they are the last nodes, and their frames
    ///   are placeholders until the caller sets them with `setFrame(ofNode:_:)`.
    @discardableResult
    package mutating func map(_ address: UInt64, frame: UInt64, writable: Bool) -> Int {
        var node = 0
        var created = 0
        var level = levels
        while level > leafLevel {
            let slot = node * 512 + Self.index(address, level: level)
            if entries[slot] == 0 {
                let child = nodeFrames.count
                nodeFrames.append(UInt64.max)
                if nodeFrames.count * 512 > entries.count {
                    entries.append(contentsOf: repeatElement(0, count: entries.count))
                }
                entries[slot] = UInt32(child) << 2 | 1
                created += 1
            }
            node = Int(entries[slot] >> 2)
            level -= 1
        }
        let slot = node * 512 + Self.index(address, level: level)
        if entries[slot] == 0 { mappedPages += 1 }
        precondition(frame < 1 << 30, "frame numbers are below 2^30 (4 TiB)")
        entries[slot] = UInt32(frame) << 2 | (writable ? 2 : 0) | 1
        return created
    }

    /// Records the frame that holds a table page created by `map`.
    package mutating func setFrame(ofNode node: Int, _ frame: UInt64) { nodeFrames[node] = frame }

    /// Changes the writable bit of a present leaf; false when the address is not mapped.
    @discardableResult
    package mutating func setWritable(_ address: UInt64, _ writable: Bool) -> Bool {
        guard let slot = leafSlot(address) else { return false }
        entries[slot] = (entries[slot] & ~2) | (writable ? 2 : 0)
        return true
    }

    /// Clears a leaf; returns the frame it held.
    @discardableResult
    package mutating func unmap(_ address: UInt64) -> UInt64? {
        guard let slot = leafSlot(address) else { return nil }
        let frame = UInt64(entries[slot] >> 2)
        entries[slot] = 0
        mappedPages -= 1
        return frame
    }

    /// Every present leaf as (address of its page, entry), in address order.
    package func forEachLeaf(_ body: (UInt64, UInt64) -> Void) {
        func visit(_ node: Int, _ level: Int, _ prefix: UInt64) {
            for i in 0..<512 {
                let e = UInt64(entries[node * 512 + i])
                guard e != 0 else { continue }
                let address = prefix | UInt64(i) << UInt64(12 + 9 * (level - 1))
                if level == leafLevel { body(address, e) } else { visit(Int(e >> 2), level - 1, address) }
            }
        }
        visit(0, levels, 0)
    }

    private func leafSlot(_ address: UInt64) -> Int? {
        var node = 0
        var level = levels
        while true {
            let slot = node * 512 + Self.index(address, level: level)
            let e = entries[slot]
            if e == 0 { return nil }
            if level == leafLevel { return slot }
            node = Int(e >> 2)
            level -= 1
        }
    }
}
