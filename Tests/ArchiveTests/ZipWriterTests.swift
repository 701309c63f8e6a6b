import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Archive

/// The ZIP writer on its own: entries that any reader lists with their bytes and CRCs, ZIP64
/// when forced, the same bytes for the same entries, and CRC-32 pieces that combine.
struct ZipWriterTests {

    static func write(_ entries: [(String, [UInt8])], zip64Threshold: UInt64 = 0xFFFF_FFFF, to path: String) throws {
        try OutputFile.writing(path) { f in
            var z = ZipWriter(f, zip64Threshold: zip64Threshold)
            for (name, bytes) in entries { try z.add(name: name, bytes: bytes) }
            try z.finish()
        }
    }

    static let entries: [(String, [UInt8])] = [
        ("a.txt", Array("hello\n".utf8)),
        ("empty", []),
        ("dir/ünïcode.bin", (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }),
    ]

    /// Python's zipfile reads every entry back, checks every CRC (testzip) and sees ZIP64 records
    /// when the threshold forces them.
    @Test(.enabled(if: Python.path != nil, "needs python3"), arguments: [UInt64(0xFFFF_FFFF), 0])
    func aReaderListsEveryEntryWithItsBytes(zip64Threshold: UInt64) throws {
        let dir = NSTemporaryDirectory() + "virtlab-zip-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        try Self.write(Self.entries, zip64Threshold: zip64Threshold, to: dir + "/t.zip")
        let script = """
        import zipfile, sys, hashlib
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        for i in z.infolist():
            print(i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest(), i.date_time[0], i.compress_type)
        print("zip64" if open(sys.argv[1], "rb").read().find(b"PK\\x06\\x06") >= 0 else "zip32")
        """
        let python = try Python.run(script, [dir + "/t.zip"])
        #expect(python.succeeded, "\(python.problems)")
        let out = python.lines
        expectEqual(out.count, Self.entries.count + 1)
        for (line, (name, bytes)) in zip(out, Self.entries) {
            let f = line.split(separator: " ")
            #expect(f[0] == name && Int(f[1]) == bytes.count, "\(line)")
            #expect(f[3] == "1980" && f[4] == "0", "fixed timestamp, stored: \(line)")
        }
        expectEqual(out.last, zip64Threshold == 0 ? "zip64" : "zip32")
    }

    @Test func theSameEntriesGiveTheSameBytes() throws {
        let dir = NSTemporaryDirectory() + "virtlab-zip-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        try Self.write(Self.entries, to: dir + "/a.zip")
        try Self.write(Self.entries, to: dir + "/b.zip")
        expectEqual(readFile(dir + "/a.zip"), readFile(dir + "/b.zip"))
    }

    /// CRC-32 of the check string, and of a whole equal to its pieces combined.
    @Test func crcsMatchTheStandardAndCombine() {
        let check = Array("123456789".utf8)
        expectEqual(check.withUnsafeBytes { ZipWriter.crc32($0) }, 0xCBF4_3926)
        let a = Array(check.prefix(4)), b = Array(check.dropFirst(4))
        let ca = a.withUnsafeBytes { ZipWriter.crc32($0) }, cb = b.withUnsafeBytes { ZipWriter.crc32($0) }
        expectEqual(ZipWriter.combine(ca, cb, lengthOfB: UInt64(b.count)), 0xCBF4_3926)
        expectEqual(b.withUnsafeBytes { ZipWriter.crc32($0, continuing: ca) }, 0xCBF4_3926)
    }

    /// An entry whose body writes other than it announced is an internal error, not a bad archive.
    @Test func aBodyThatLiesAboutItsSizeIsRefused() throws {
        let dir = NSTemporaryDirectory() + "virtlab-zip-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        #expect(throws: OutputError.self) {
            try OutputFile.writing(dir + "/bad.zip") { f in
                var z = ZipWriter(f)
                try z.add(name: "x", size: 10, crc: 0) { out in try out.write([1, 2, 3]); return 3 }
            }
        }
        expectEqual(readFile(dir + "/bad.zip"), nil, "nothing left under the name")
    }
}
