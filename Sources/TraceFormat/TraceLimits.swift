/// Every bound the reader enforces before it allocates; `docs/trace-format.md` lists the same numbers.
package enum TraceLimits {
    /// Largest header body (metadata, string table, schema).
    package static let maxHeaderBytes = 8 << 20
    /// Longest string anywhere in the header (the scenario text is the longest one in practice).
    package static let maxStringBytes = 2 << 20
    /// Longest name of a kind, field, enum value or metadata key.
    package static let maxNameBytes = 64
    /// Most metadata entries.
    package static let maxMetadataEntries = 256
    /// Most entries in the string table.
    package static let maxStrings = 65_536
    /// Most event kinds in a schema; kind ids are below this too.
    package static let maxKinds = 1_024
    /// Most fields of one kind.
    package static let maxFields = 16
    /// Most values of one enum field.
    package static let maxEnumValues = 1_024
    /// Largest block payload a reader accepts (the writer's default is 64 KiB).
    package static let maxBlockPayload = 1 << 20
    /// Largest summary body.
    package static let maxSummaryBytes = 1 << 20
    /// Most metrics in the summary.
    package static let maxMetrics = 4_096
}

/// Fixed byte values and sizes of the layout this code writes (version 2); `FileLayout` gives
/// the sizes of the version a file was written in (1 or 2).
package enum TraceLayout {
    /// PNG-style magic: a high byte, "VLT", CR LF, ^Z, LF — catches text-mode and 7-bit damage.
    package static let magic: [UInt8] = [0x89, 0x56, 0x4C, 0x54, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The format version this code writes and reads.
    package static let formatVersion: UInt16 = 2
    /// Versions this code reads.
    package static let readableVersions: ClosedRange<UInt16> = 1...2
    /// Bytes before the header body: magic, version, flags, body length, body CRC.
    package static let headerPrefixBytes = 20
    /// Block sync marker "\u{F1}VBK", also the block section's tag.
    package static let blockTag: UInt32 = 0x4B42_56F1
    /// Summary section tag "\u{F1}VSM".
    package static let summaryTag: UInt32 = 0x4D53_56F1
    /// Index section tag "\u{F1}VIX".
    package static let indexTag: UInt32 = 0x5849_56F1
    /// Trailer end marker "\u{F1}VND".
    package static let trailerTag: UInt32 = 0x444E_56F1
    /// Fixed size of a block header (v2: v1's 32 bytes, then the block's sequence number and
    /// the trace identity, then the header CRC).
    package static let blockHeaderBytes = 44
    /// Fixed size of an index section's preamble (tag, count, CRC).
    package static let indexPreambleBytes = 12
    /// Fixed size of one index entry.
    package static let indexEntryBytes = 32
    /// Fixed size of the summary section's preamble (tag, length, CRC).
    package static let summaryPreambleBytes = 12
    /// Fixed size of the trailer at the very end of a closed file (v2: v1's three offsets and
    /// counts, then the block count and the trace identity, then the CRC and the end marker).
    package static let trailerBytes = 40
}

/// The sizes that differ between format versions, for one file.
package struct FileLayout: Sendable, Equatable {
    package let version: UInt16
    /// Bytes of a block header; its CRC covers all but its last 4.
    package let blockHeaderBytes: Int
    /// Bytes of the trailer.
    package let trailerBytes: Int
    /// Whether blocks carry a sequence number and the trace identity (v2).
    package var hasSequence: Bool { version >= 2 }

    package init(version: UInt16) {
        self.version = version
        blockHeaderBytes = version >= 2 ? 44 : 36
        trailerBytes = version >= 2 ? 40 : 32
    }

    /// Offset of the block header's CRC (it covers the bytes before it).
    package var blockHeaderCRCOffset: Int { blockHeaderBytes - 4 }
}

/// VirtLab's version: written into every trace header and printed in every page footer.
package enum VirtLabVersion {
    package static let current = "0.1.0"
}
