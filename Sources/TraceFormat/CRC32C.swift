import CRC32CHardware

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), computed with slicing-by-8.
///
/// The same checksum as iSCSI, ext4 and SSE4.2's `crc32` instruction, so readers in other
/// languages find it in their standard libraries (Python: `crc32c`, Go: `crc32.Castagnoli`).
package enum CRC32C {
    /// Eight 256-entry tables, flattened: table k at `k * 256`.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// The checksum of `count` bytes at `start`: the CPU's crc32 instruction where there is one.
    package static func checksum(_ start: UnsafeRawPointer, count: Int) -> UInt32 {
        var handled: Int32 = 0
        let crc = virtlab_crc32c_update(0xFFFF_FFFF, start, count, &handled)
        return handled != 0 ? ~crc : software(start, count: count)
    }

    /// The table-driven checksum (also the reference the tests compare the instruction with).
    package static func software(_ start: UnsafeRawPointer, count: Int) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            var crc: UInt32 = 0xFFFF_FFFF
            var p = start
            var n = count
            while n >= 8 {
                let lo = p.loadUnaligned(as: UInt32.self).littleEndian ^ crc
                let hi = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8
                n -= 8
            }
            while n > 0 {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
                p += 1
                n -= 1
            }
            return ~crc
        }
    }

    /// The checksum of a byte buffer.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return checksum(base, count: bytes.count)
    }

    /// The checksum of a byte array.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
