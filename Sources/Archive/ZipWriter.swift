import CZlib
import SafeOutput

/// Writes a ZIP archive of stored (uncompressed) entries front to back, never seeking, so it
/// can go through an `OutputFile` to a temporary file, a pipe or standard output. Entries and
/// offsets of 4 GiB and more use the ZIP64 extensions (APPNOTE 6.3.x §4.3.14, §4.5.3). Every
/// timestamp is 1980-01-01 00:00, so the same entries give the same bytes.
///
/// Written here rather than taken from ZIPFoundation (listed in docs/architecture.md): that
/// library writes through a seekable file handle (it rewrites each local header after the
/// data), which neither standard output nor the atomic-output path allows, and an `.npz` needs
/// only the stored method — about 100 lines with zlib's CRC-32.
package struct ZipWriter {
    private struct Entry { var name: [UInt8]; var crc: UInt32; var size: UInt64; var offset: UInt64 }

    private let out: OutputFile
    private var offset: UInt64 = 0
    private var entries: [Entry] = []
    /// Sizes and offsets at or above this use ZIP64 fields (0xFFFFFFFF normally; lower in tests).
    let zip64Threshold: UInt64

    package init(_ out: OutputFile, zip64Threshold: UInt64 = 0xFFFF_FFFF) {
        self.out = out
        self.zip64Threshold = min(zip64Threshold, 0xFFFF_FFFF)
    }

    /// Adds one entry of `size` bytes whose CRC-32 is `crc`; `body` writes exactly those bytes.
    package mutating func add(name: String, size: UInt64, crc: UInt32, body: (OutputFile) throws -> UInt64) throws {
        let nameBytes = Array(name.utf8)
        let big = size >= zip64Threshold
        var h = ByteBuffer()
        h.u32(0x0403_4B50)
        h.u16(big ? 45 : 20) // version needed: 4.5 for ZIP64
        h.u16(0x0800) // names are UTF-8
        h.u16(0) // stored
        h.u16(0); h.u16(0x21) // 00:00, 1980-01-01
        h.u32(crc)
        h.u32(big ? 0xFFFF_FFFF : UInt32(size))
        h.u32(big ? 0xFFFF_FFFF : UInt32(size))
        h.u16(UInt16(nameBytes.count))
        h.u16(big ? 20 : 0)
        h.bytes.append(contentsOf: nameBytes)
        if big { h.u16(1); h.u16(16); h.u64(size); h.u64(size) }
        try out.write(h.bytes)
        let written = try body(out)
        guard written == size else { throw OutputError.failed("internal: zip entry \(name) wrote \(written) bytes, announced \(size)") }
        entries.append(Entry(name: nameBytes, crc: crc, size: size, offset: offset))
        offset += UInt64(h.bytes.count) + size
    }

    /// Adds one entry from bytes in memory.
    package mutating func add(name: String, bytes: [UInt8]) throws {
        let crc = bytes.withUnsafeBytes { Self.crc32($0) }
        try add(name: name, size: UInt64(bytes.count), crc: crc) { out in
            try out.write(bytes)
            return UInt64(bytes.count)
        }
    }

    /// Writes the central directory and the end records.
    package mutating func finish() throws {
        var c = ByteBuffer()
        for e in entries {
            let bigSize = e.size >= zip64Threshold, bigOffset = e.offset >= zip64Threshold
            var extra = ByteBuffer()
            if bigSize { extra.u64(e.size); extra.u64(e.size) }
            if bigOffset { extra.u64(e.offset) }
            c.u32(0x0201_4B50)
            c.u16(0x0300 | 45) // made by: Unix, 4.5
            c.u16(bigSize || bigOffset ? 45 : 20)
            c.u16(0x0800)
            c.u16(0)
            c.u16(0); c.u16(0x21)
            c.u32(e.crc)
            c.u32(bigSize ? 0xFFFF_FFFF : UInt32(e.size))
            c.u32(bigSize ? 0xFFFF_FFFF : UInt32(e.size))
            c.u16(UInt16(e.name.count))
            c.u16(extra.bytes.isEmpty ? 0 : UInt16(4 + extra.bytes.count))
            c.u16(0) // comment
            c.u16(0) // disk
            c.u16(0) // internal attributes
            c.u32(UInt32(0o100644) << 16) // a regular file, rw-r--r--
            c.u32(bigOffset ? 0xFFFF_FFFF : UInt32(e.offset))
            c.bytes.append(contentsOf: e.name)
            if !extra.bytes.isEmpty { c.u16(1); c.u16(UInt16(extra.bytes.count)); c.bytes.append(contentsOf: extra.bytes) }
        }
        let directoryOffset = offset, directorySize = UInt64(c.bytes.count)
        let count = UInt64(entries.count)
        let zip64 = directoryOffset >= zip64Threshold || count >= 0xFFFF || entries.contains { $0.size >= zip64Threshold || $0.offset >= zip64Threshold }
        if zip64 {
            let recordOffset = directoryOffset + directorySize
            c.u32(0x0606_4B50); c.u64(44); c.u16(0x0300 | 45); c.u16(45); c.u32(0); c.u32(0)
            c.u64(count); c.u64(count); c.u64(directorySize); c.u64(directoryOffset)
            c.u32(0x0706_4B50); c.u32(0); c.u64(recordOffset); c.u32(1)
        }
        c.u32(0x0605_4B50)
        c.u16(0); c.u16(0)
        c.u16(zip64 ? 0xFFFF : UInt16(count)); c.u16(zip64 ? 0xFFFF : UInt16(count))
        c.u32(zip64 ? 0xFFFF_FFFF : UInt32(directorySize))
        c.u32(zip64 ? 0xFFFF_FFFF : UInt32(directoryOffset))
        c.u16(0)
        try out.write(c.bytes)
    }

    /// The CRC-32 (ISO-HDLC, zlib's) of `bytes`, continuing `crc`.
    package static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return UInt32(CZlib.crc32(uLong(crc), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }

    /// The CRC-32 of A followed by B, from the CRCs of each and B's length.
    package static func combine(_ a: UInt32, _ b: UInt32, lengthOfB: UInt64) -> UInt32 {
        UInt32(crc32_combine(uLong(a), uLong(b), off_t(lengthOfB)))
    }
}

/// Little-endian fields appended to a byte array.
package struct ByteBuffer {
    package var bytes: [UInt8] = []
    package init() {}
    package mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    package mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    package mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
}
