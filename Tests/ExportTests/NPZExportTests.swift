import Foundation
import Testing
import TestKit
@testable import Export
import SafeOutput
@testable import TraceFormat

struct NPZExportTests {

    static func export(_ trace: String, kinds: Set<Int>? = nil, zip64Threshold: UInt64 = 0xFFFF_FFFF) throws -> String {
        let out = SampleTraces.scratch("npz")
        try OutputFile.writing(out) { f in try NPZExport.write(try TraceReader(path: trace), positions: kinds, to: f, zip64Threshold: zip64Threshold) }
        return out
    }

    /// Runs a Python snippet (standard library only) with the archive's path as argv[1].
    static func python(_ code: String, _ path: String) throws -> String {
        let result = try Python.run(code, [path])
        #expect(result.succeeded, "\(result.problems)")
        return result.text
    }

    /// The archive is a ZIP every reader accepts (CRCs checked by Python's zipfile), its
    /// members are .npy arrays whose headers describe the data after them, and the columns
    /// hold the events: decoded here from the raw bytes and compared with the JSONL export.
    @Test(.enabled(if: Python.path != nil, "needs python3"), arguments: [UInt64(0xFFFF_FFFF), 0])
    func columnsEqualTheJSONLExport(zip64Threshold: UInt64) throws {
        let trace = try SampleTraces.trace("net-paravirtual")
        let npz = try Self.export(trace, zip64Threshold: zip64Threshold)
        defer { unlink(npz) }
        // Python's zipfile: every CRC, and ZIP64 fields when forced.
        let check = try Self.python("""
            import zipfile, sys, json
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print(json.dumps({i.filename: [i.file_size, i.header_offset] for i in z.infolist()}))
            """, npz)
        let members = try JSONSerialization.jsonObject(with: Data(check.utf8)) as! [String: [Int]]
        let events = try SampleTraces.jsonl(trace)
        let reader = try TraceReader(path: trace)
        let archive = try Data(contentsOf: URL(fileURLWithPath: npz))
        for kind in reader.header.schema.kinds {
            let rows = events.filter { $0["kind"] as? String == kind.name }
            for column in ["time_ns"] + kind.fields.map(\.name) {
                let name = "\(kind.name)/\(column).npy"
                guard let m = members[name] else { Issue.record("no \(name)"); continue }
                let (dtype, values) = try Self.npy(archive, headerOffset: m[1], size: m[0])
                expectEqual(values.count, rows.count, "\(name)")
                let field = kind.fields.first { $0.name == column }
                for (i, row) in rows.enumerated() where i < values.count {
                    switch field?.type {
                    case let .enumeration(names)?:
                        expectEqual(names[Int(values[i])], row[column] as? String, "\(name)[\(i)]")
                    case .string?:
                        expectEqual(reader.header.strings[Int(values[i])], row[column] as? String, "\(name)[\(i)]")
                    case .signed?:
                        expectEqual(dtype, "<i8")
                        expectEqual(Int64(bitPattern: values[i]), (row[column] as! NSNumber).int64Value, "\(name)[\(i)]")
                    default:
                        expectEqual(dtype, "<u8")
                        expectEqual(values[i], (row[column] as! NSNumber).uint64Value, "\(name)[\(i)]")
                    }
                }
                if case let .enumeration(names)? = field?.type {
                    #expect(members["\(kind.name)/\(column).categories.npy"] != nil)
                    expectEqual(dtype, names.count <= 256 ? "|u1" : "<u2")
                }
            }
        }
    }

    /// Decodes a stored .npy member of a ZIP at its local header: dtype and values widened to 64 bits.
    static func npy(_ zip: Data, headerOffset: Int, size: Int) throws -> (String, [UInt64]) {
        let b = [UInt8](zip)
        func u16(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
        let local: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        expectEqual(Array(b[headerOffset..<headerOffset + 4]), local)
        let dataStart = headerOffset + 30 + u16(headerOffset + 26) + u16(headerOffset + 28)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        expectEqual(Array(b[dataStart..<dataStart + 6]), magic)
        let headerLength = u16(dataStart + 8)
        expectEqual((10 + headerLength) % 64, 0, "npy data not 64-byte aligned")
        let dict = String(decoding: b[(dataStart + 10)..<(dataStart + 10 + headerLength)], as: UTF8.self)
        let dtype = String(dict.split(separator: "'")[3])
        let width = Int(dtype.dropFirst(2))!
        let count = (size - 10 - headerLength) / width
        expectContains(dict, "'shape': (\(count),)")
        var values: [UInt64] = []
        var at = dataStart + 10 + headerLength
        for _ in 0..<count {
            var v: UInt64 = 0
            for k in 0..<width { v |= UInt64(b[at + k]) << (8 * k) }
            values.append(v)
            at += width
        }
        return (dtype, values)
    }

    /// --kind: only those kinds' arrays; the same trace gives the same bytes.
    @Test func selectedKindsAndDeterministicBytes() throws {
        let trace = try SampleTraces.trace("fork-heavy-shadow")
        let kinds = try TraceReader(path: trace).header.schema.kinds
        let exit = kinds.firstIndex { $0.name == "vm_exit" }!
        let a = try Self.export(trace, kinds: [exit]), b = try Self.export(trace, kinds: [exit])
        defer { unlink(a); unlink(b) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: a))
        expectEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: b)))
        let text = String(decoding: bytes, as: UTF8.self)
        expectContains(text, "vm_exit/reason.npy")
        expectLacks(text, "page_fault/")
    }

    @Test func npyHeadersAreAlignedForAnyLength() {
        for count: UInt64 in [0, 1, 9, 99, 12_345_678_901] {
            for dtype in ["<u8", "|u1", "<U123"] {
                let h = NPZExport.npyHeader(dtype: dtype, count: count)
                expectEqual(h.count % 64, 0)
                expectEqual(h.last, 0x0A)
            }
        }
        let (dtype, data) = NPZExport.unicodeArray(["ab", "ü", ""])
        expectEqual(dtype, "<U2")
        expectEqual(data, [0x61, 0, 0, 0, 0x62, 0, 0, 0, 0xFC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }
}
