import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Export

/// The export loops' number printing, without Strings: the same text Swift prints, at the edges
/// and at random; and the text escaping of CSV cells and JSON strings.
struct ByteOutputTests {
    /// What an output wrote, through an atomic output file.
    static func written(_ body: (FileHandleOutput) throws -> Void) throws -> String {
        let path = NSTemporaryDirectory() + "virtlab-bytes-\(UUID().uuidString)"
        defer { unlink(path) }
        try OutputFile.writing(path) { f in
            let out = FileHandleOutput(f)
            try body(out)
            try out.flush()
        }
        return String(decoding: readFile(path) ?? [], as: UTF8.self)
    }

    @Test func numbersPrintAsSwiftPrintsThem() throws {
        var g = SystemRandomNumberGenerator()
        var unsigned: [UInt64] = [0, 1, 9, 10, 99, 100, 999_999, UInt64(Int64.max), .max]
        var signed: [Int64] = [0, -1, 1, .min, .max, -10]
        for _ in 0..<500 { unsigned.append(g.next() >> UInt64.random(in: 0..<64)); signed.append(Int64(bitPattern: g.next()) >> Int64.random(in: 0..<64)) }
        let text = try Self.written { out in
            for v in unsigned { out.append(decimal: v); out.append(byte: 0x0A) }
            for v in signed { out.append(signed: v); out.append(byte: 0x0A) }
        }
        expectEqual(text, (unsigned.map { String($0) } + signed.map { String($0) }).joined(separator: "\n") + "\n")
    }

    @Test func nanosecondsPrintAsMicrosecondsWithThreeDecimals() throws {
        let text = try Self.written { out in
            for ns: UInt64 in [0, 7, 1_000, 1_234_567, 999, UInt64.max] { out.append(micros: ns); out.append(byte: 0x20) }
        }
        expectEqual(text, "0.000 0.007 1.000 1234.567 0.999 18446744073709551.615 ")
    }

    /// More than the buffer holds goes out whole and in order.
    @Test func largeOutputIsWrittenWhole() throws {
        let text = try Self.written { out in
            for i in 0..<50_000 { out.append(decimal: UInt64(i)); out.append(byte: 0x0A); try out.flushIfFull() }
        }
        expectEqual(text.split(separator: "\n").count, 50_000)
        #expect(text.hasSuffix("49999\n"))
    }

    @Test func csvCellsAndJSONStringsAreEscaped() {
        expectEqual(ExportText.csv("plain"), "plain")
        expectEqual(ExportText.csv("a,b"), "\"a,b\"")
        expectEqual(ExportText.csv("say \"hi\""), "\"say \"\"hi\"\"\"")
        expectEqual(ExportText.csv("two\nlines"), "\"two\nlines\"")
        #expect(ExportText.json("a\"b\n") == #""a\"b\n""#)
    }
}
