/// LEB128 varints and zig-zag mapping, written and read through raw pointers.
///
/// A value takes 1 byte per 7 bits, at most 10 bytes for 64 bits. Decoding rejects an 11th
/// byte and any 10th byte above 1, so every accepted encoding names exactly one `UInt64`.
public enum Varint {
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
    @inlinable @inline(__always)
    public static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Reads a varint at `p`, never past `end`.
    /// - Returns: the value and the bytes consumed, or `nil` if the encoding runs past `end`,
    ///   is longer than 10 bytes, or overflows 64 bits.
    @inlinable @inline(__always)
    public static func read(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (UInt64, Int)? {
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

/// Branch-free LEB128 for the short values that dominate traces: a value below 2^21 (three
/// bytes) is built or taken apart in one 32-bit word without branching on its length (the
/// lengths of successive values are random, and a mispredicted branch costs more than the
/// arithmetic); longer values take the byte loop. Both sides need 4 writable/readable bytes
/// at `p`: the writer's block buffer and the reader's window keep that much slack.
public enum ShortVarint {
    /// Writes `value` at `p` and returns its length (1…10).
    @inline(__always)
    package static func write(_ value: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        guard _fastPath(value < 1 << 21) else { return Varint.write(value, to: p) }
        let v = UInt32(truncatingIfNeeded: value)
        let c1: UInt32 = v >= 1 << 7 ? 1 : 0
        let c2: UInt32 = v >= 1 << 14 ? 1 : 0
        let word = (v & 0x7F) | (c1 &<< 7) | ((v &<< 1) & 0x7F00) | (c2 &<< 15) | ((v &<< 2) & 0x7F_0000)
        UnsafeMutableRawPointer(p).storeBytes(of: word.littleEndian, as: UInt32.self)
        return Int(1 &+ c1 &+ c2)
    }

    /// Reads the varint at `p`, never past `end`; `nil` as `Varint.read` gives it.
    @inlinable @inline(__always)
    public static func read(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (UInt64, Int)? {
        if _fastPath(end - p >= 4) {
            let w = UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
            let c1 = (w &>> 7) & 1
            let c2 = (w &>> 15) & c1
            if _fastPath((w &>> 23) & c2 == 0) {
                let value = (w & 0x7F) | ((w &>> 1) & 0x3F80 & (0 &- c1)) | ((w &>> 2) & 0x1F_C000 & (0 &- c2))
                return (UInt64(value), Int(1 &+ c1 &+ c2))
            }
        }
        return Varint.read(p, end: end)
    }
}
