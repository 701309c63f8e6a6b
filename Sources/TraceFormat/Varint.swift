/// LEB128 varints and zig-zag mapping, written and read through raw pointers.
///
/// A value takes 1 byte per 7 bits, at most 10 bytes for 64 bits. Decoding rejects an 11th
/// byte and any 10th byte above 1, so every accepted encoding names exactly one `UInt64`.
package enum Varint {
    /// The longest encoding of a `UInt64`.
    package static let maxBytes = 10

    /// Writes `value` at `p` and returns the number of bytes written (1…10).
    @inline(__always)
    package static func write(_ value: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0x80 {
            p[0] = UInt8(truncatingIfNeeded: value)
            return 1
        }
        if value < 0x4000 {
            p[0] = UInt8(truncatingIfNeeded: value) | 0x80
            p[1] = UInt8(truncatingIfNeeded: value >> 7)
            return 2
        }
        var v = value
        var i = 0
        while v >= 0x80 {
            p[i] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            i += 1
        }
        p[i] = UInt8(truncatingIfNeeded: v)
        return i + 1
    }

    /// The number of bytes `value` takes.
    @inline(__always)
    package static func size(_ value: UInt64) -> Int {
        let bits = 64 - value.leadingZeroBitCount
        return bits == 0 ? 1 : (bits + 6) / 7
    }

    /// Maps a signed value to an unsigned one so that small magnitudes stay small.
    @inline(__always)
    package static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// The inverse of `zigzag`.
    @inline(__always)
    package static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Reads a varint at `p`, never past `end`.
    /// - Returns: the value and the bytes consumed, or `nil` if the encoding runs past `end`,
    ///   is longer than 10 bytes, or overflows 64 bits.
    @inline(__always)
    package static func read(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (UInt64, Int)? {
        guard p < end else { return nil }
        let b0 = p[0]
        if b0 < 0x80 { return (UInt64(b0), 1) }
        if end - p >= 2 {
            let b1 = p[1]
            if b1 < 0x80 { return (UInt64(b0 & 0x7F) | UInt64(b1) << 7, 2) }
        }
        return readSlow(p, end: end)
    }

    @usableFromInline
    static func readSlow(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (UInt64, Int)? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        while true {
            guard p + i < end, i < maxBytes else { return nil }
            let b = p[i]
            if i == 9 && b > 1 { return nil }
            result |= UInt64(b & 0x7F) << shift
            i += 1
            if b < 0x80 { return (result, i) }
            shift += 7
        }
    }
}
