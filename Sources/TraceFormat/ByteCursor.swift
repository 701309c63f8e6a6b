/// A bounds-checked reader over bytes that knows its position in the file, for the
/// variable-length header and summary (the hot block path decodes through raw pointers).
struct ByteCursor {
    let bytes: [UInt8]
    /// The file offset of `bytes[0]`, so errors name real positions.
    let base: UInt64
    private(set) var position = 0

    init(_ bytes: [UInt8], base: UInt64) {
        self.bytes = bytes
        self.base = base
    }

    var offset: UInt64 { base + UInt64(position) }
    var isAtEnd: Bool { position == bytes.count }

    mutating func byte(_ what: String) throws -> UInt8 {
        guard position < bytes.count else { throw TraceError.truncated(what: what, offset: offset) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint(_ what: String) throws -> UInt64 {
        let start = offset
        let r: (UInt64, Int)? = bytes.withUnsafeBufferPointer { b in
            guard position < b.count, let base = b.baseAddress else { return nil }
            return Varint.read(base + position, end: base + b.count)
        }
        guard let (v, n) = r else {
            if bytes.count - position < Varint.maxBytes, !bytes[position...].contains(where: { $0 < 0x80 }) {
                throw TraceError.truncated(what: what, offset: start)
            }
            throw TraceError.malformed(what: "\(what) is not a valid varint (more than 10 bytes or above 2^64)", offset: start)
        }
        position += n
        return v
    }

    /// A count, checked against `limit` before anything is allocated for it.
    mutating func count(_ what: String, limit: Int) throws -> Int {
        let start = offset
        let v = try varint(what)
        guard v <= UInt64(limit) else {
            throw TraceError.limitExceeded(what: what, offset: start, value: v, limit: UInt64(limit))
        }
        return Int(v)
    }

    mutating func string(_ what: String, limit: Int) throws -> String {
        let start = offset
        let n = try count("length of \(what)", limit: limit)
        guard bytes.count - position >= n else { throw TraceError.truncated(what: what, offset: start) }
        let slice = bytes[position..<(position + n)]
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw TraceError.malformed(what: "\(what) is not valid UTF-8", offset: start)
        }
        position += n
        return s
    }

    mutating func name(_ what: String) throws -> String {
        let start = offset
        let s = try string(what, limit: TraceLimits.maxNameBytes)
        guard Schema.isName(s) else { throw TraceError.malformed(what: "\(what) '\(s)' is not a name of [a-z0-9_]", offset: start) }
        return s
    }

    mutating func float64(_ what: String) throws -> Double {
        guard bytes.count - position >= 8 else { throw TraceError.truncated(what: what, offset: offset) }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }
}

/// Appends little-endian integers, varints and length-prefixed strings to a byte array.
struct ByteSink {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func string(_ s: String) {
        varint(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    mutating func le<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads a little-endian integer at byte `i` of a buffer (the caller checked the bounds).
@inline(__always)
func loadLE<T: FixedWidthInteger>(_ p: UnsafeRawPointer, _ i: Int, as: T.Type) -> T {
    T(littleEndian: p.loadUnaligned(fromByteOffset: i, as: T.self))
}
