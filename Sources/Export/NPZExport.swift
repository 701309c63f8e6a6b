import Archive
import SafeOutput
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// A trace as NumPy arrays in an `.npz` archive (a ZIP of `.npy` files, both specified by
/// NumPy: NEP 1 and `numpy.lib.format`), one array per column of each event kind:
///
/// - `KIND/time_ns` — `uint64`, the event's time (an interval's end);
/// - `KIND/FIELD` — `uint64` (unsigned, duration), `int64` (signed), or for an enum or string
///   field its codes (`uint8` or `uint16`) with `KIND/FIELD.categories`, a fixed-width Unicode
///   array of the names the codes index (`pandas.Categorical.from_codes`).
///
/// `numpy.load` reads it with no other package and no pickling; columns are stored, not
/// compressed, so loading is a copy. The trace is read once; each column goes to an unlinked
/// scratch file beside the output, and the archive is then written front to back.
package enum NPZExport {
    /// Writes the kinds at `positions` (all when nil) of `reader` to `out`.
    /// - Parameter zip64Threshold: sizes and offsets from which ZIP64 fields are used (tests lower it).
    package static func write(_ reader: TraceReader, positions: Set<Int>? = nil, to out: OutputFile, zip64Threshold: UInt64 = 0xFFFF_FFFF) throws {
        let header = reader.header
        let kinds = header.schema.kinds
        let scratchFolder = out.kind == .atomic ? splitPath(out.path).0 : ""
        var columns: [ColumnFile?] = []  // [position * (1 + maxFields) + slot]
        let stride = 1 + (kinds.map(\.fields.count).max() ?? 0)
        var layout: [(name: String, column: Int, dtype: String, categories: [String]?)] = []
        for (p, k) in kinds.enumerated() {
            let keep = positions?.contains(p) ?? true
            for slot in 0..<stride {
                guard keep, slot <= k.fields.count else { columns.append(nil); continue }
                if slot == 0 {
                    columns.append(try ColumnFile(width: 8, folder: scratchFolder))
                    layout.append(("\(k.name)/time_ns", columns.count - 1, "<u8", nil))
                    continue
                }
                let f = k.fields[slot - 1]
                switch f.type {
                case .unsigned, .duration:
                    columns.append(try ColumnFile(width: 8, folder: scratchFolder))
                    layout.append(("\(k.name)/\(f.name)", columns.count - 1, "<u8", nil))
                case .signed:
                    columns.append(try ColumnFile(width: 8, folder: scratchFolder))
                    layout.append(("\(k.name)/\(f.name)", columns.count - 1, "<i8", nil))
                case let .enumeration(names):
                    let w = names.count <= 256 ? 1 : 2
                    columns.append(try ColumnFile(width: w, folder: scratchFolder))
                    layout.append(("\(k.name)/\(f.name)", columns.count - 1, w == 1 ? "|u1" : "<u2", names))
                case .string:
                    let w = header.strings.count <= 256 ? 1 : header.strings.count <= 65_536 ? 2 : 4
                    columns.append(try ColumnFile(width: w, folder: scratchFolder))
                    layout.append(("\(k.name)/\(f.name)", columns.count - 1, w == 1 ? "|u1" : w == 2 ? "<u2" : "<u4", header.strings))
                }
            }
        }
        // One pass over the trace.
        _ = try columns.withUnsafeBufferPointer { cols in
            try reader.scan { e in
                let base = e.position * stride
                guard let time = cols[base] else { return }
                try time.append(e.time)
                for i in 0..<e.fields.count { try cols[base + 1 + i]!.append(e.fields[i]) }
            }
        }
        var zip = ZipWriter(out, zip64Threshold: zip64Threshold)
        for entry in layout {
            let column = columns[entry.column]!
            try column.finish()
            let head = npyHeader(dtype: entry.dtype, count: column.count)
            let crc = ZipWriter.combine(head.withUnsafeBytes { ZipWriter.crc32($0) }, column.crc, lengthOfB: column.byteCount)
            try zip.add(name: entry.name + ".npy", size: UInt64(head.count) + column.byteCount, crc: crc) { out in
                try out.write(head)
                return UInt64(head.count) + (try column.copy(to: out))
            }
            if let names = entry.categories {
                let (dtype, data) = unicodeArray(names)
                let head = npyHeader(dtype: dtype, count: UInt64(names.count))
                let bytes = head + data
                try zip.add(name: entry.name + ".categories.npy", size: UInt64(bytes.count), crc: bytes.withUnsafeBytes { ZipWriter.crc32($0) }) { out in
                    try out.write(bytes)
                    return UInt64(bytes.count)
                }
            }
        }
        try zip.finish()
    }

    /// The `.npy` version 1.0 header of a one-dimensional array, padded so the data starts at
    /// a multiple of 64 bytes (`numpy.lib.format`).
    static func npyHeader(dtype: String, count: UInt64) -> [UInt8] {
        var dict = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': (\(count),), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var b = ByteBuffer()
        b.bytes = [0x93] + Array("NUMPY".utf8) + [1, 0]
        b.u16(UInt16(dict.utf8.count))
        b.bytes += Array(dict.utf8)
        return b.bytes
    }

    /// Strings as NumPy's fixed-width Unicode (`<Un`: UTF-32LE code points, zero-padded).
    static func unicodeArray(_ strings: [String]) -> (String, [UInt8]) {
        let width = max(1, strings.map { $0.unicodeScalars.count }.max() ?? 1)
        var b = ByteBuffer()
        for s in strings {
            var n = 0
            for u in s.unicodeScalars { b.u32(u.value); n += 1 }
            for _ in n..<width { b.u32(0) }
        }
        return ("<U\(width)", b.bytes)
    }
}

/// One column of fixed-width little-endian values, buffered into an unlinked scratch file.
final class ColumnFile {
    let width: Int
    private let fd: Int32
    private static let capacity = 1 << 16
    private let buffer: UnsafeMutableRawPointer
    private var used = 0
    private(set) var count: UInt64 = 0
    private(set) var byteCount: UInt64 = 0
    private(set) var crc: UInt32 = 0

    init(width: Int, folder: String) throws {
        self.width = width
        var template = Array(((folder.isEmpty ? (getenv("TMPDIR").map { String(cString: $0) + "/" } ?? "/tmp/") : folder) + ".virtlab-column-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ExportError.failed("cannot create a scratch file for the export in \(folder.isEmpty ? "the temporary folder" : folder): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        buffer = .allocate(byteCount: Self.capacity, alignment: 8)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Appends one value in `width` little-endian bytes (the trace checked it fits its type).
    @inline(__always)
    func append(_ v: UInt64) throws {
        switch width {
        case 8: buffer.storeBytes(of: v.littleEndian, toByteOffset: used, as: UInt64.self)
        case 4: buffer.storeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian, toByteOffset: used, as: UInt32.self)
        case 2: buffer.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, toByteOffset: used, as: UInt16.self)
        default: buffer.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: used, as: UInt8.self)
        }
        used += width
        count += 1
        if used == Self.capacity { try flush() }
    }

    private func flush() throws {
        guard used > 0 else { return }
        crc = ZipWriter.crc32(UnsafeRawBufferPointer(start: buffer, count: used), continuing: crc)
        var done = 0
        while done < used {
            let n = pwrite(fd, buffer + done, used - done, off_t(byteCount) + off_t(done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw ExportError.failed("cannot write a scratch file for the export: \(String(cString: strerror(n < 0 ? errno : ENOSPC)))") }
            done += n
        }
        byteCount += UInt64(used)
        used = 0
    }

    func finish() throws { try flush() }

    /// Copies the column into `out`; returns the bytes copied.
    func copy(to out: OutputFile) throws -> UInt64 {
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 8)
        defer { chunk.deallocate() }
        var at: UInt64 = 0
        while at < byteCount {
            let want = Int(min(UInt64(1 << 20), byteCount - at))
            let n = pread(fd, chunk, want, off_t(at))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw ExportError.failed("cannot read back a scratch file of the export") }
            try out.write(chunk, count: n)
            at += UInt64(n)
        }
        return at
    }
}
