/// The two-dimensional page walk reference by reference, from real tables: a guest table of
/// `guestLevels` levels maps one address, a nested table of `nestedLevels` levels backs every
/// guest frame, and the walk is carried out with the same `RadixPageTable` code the memory
/// simulator runs. Each guest table page the walk reads is first translated through the nested
/// table (a nested walk), then its entry is read; the final guest-physical address is
/// translated once more. For the course's figure of the walk (Bhargava et al., ASPLOS 2008, fig. 2).
package enum TwoDimensionalWalk {
    /// One memory reference: `row` is the guest level being translated (0 = the root table,
    /// the last = the data page), `column` the nested level read (0 = the nested root) or, one
    /// past the nested walk's last level, the read of the guest's own entry.
    package struct Reference: Equatable, Sendable {
        package var row: Int
        package var column: Int
    }

    /// The references in the order the hardware makes them, for 4 KiB pages on both sides
    /// (or 2 MiB pages: the walk on that side stops a level early).
    package static func references(guestLevels n: Int, nestedLevels m: Int, guestLargePages: Bool = false,
                                   nestedLargePages: Bool = false) -> [Reference] {
        let address: UInt64 = 0x7F12_3456_7000
        var guest = RadixPageTable(levels: n, largePages: guestLargePages, rootFrame: 1)
        let created = guest.map(address, frame: 1_000, writable: true)
        // Guest table pages get frames 2, 3, …; the nested table maps every guest frame used.
        for i in 0..<created { guest.setFrame(ofNode: guest.nodeCount - created + i, UInt64(2 + i)) }
        var nested = RadixPageTable(levels: m, largePages: nestedLargePages)
        var frames: [UInt64] = []
        guest.forEachNode(on: address) { frames.append($0) }
        let data = guest.walk(address)
        for f in frames + [data.frame] { nested.map(f << 12, frame: 50_000 + f, writable: true) }
        var out: [Reference] = []
        for (row, frame) in frames.enumerated() {
            let nestedRefs = nested.walk(frame << 12).refs
            out += (0..<nestedRefs).map { Reference(row: row, column: $0) }
            out.append(Reference(row: row, column: nested.walkLevels))
        }
        out += (0..<nested.walk(data.frame << 12).refs).map { Reference(row: frames.count, column: $0) }
        return out
    }
}
