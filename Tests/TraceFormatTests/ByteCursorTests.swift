import Testing
import TestKit
@testable import TraceFormat

/// The header's and summary's reader: every read checked, every error at its file offset.
struct ByteCursorTests {
    @Test func whatTheSinkWritesTheCursorReads() throws {
        var s = ByteSink()
        s.varint(0); s.varint(300); s.varint(.max)
        s.string("héllo"); s.string("")
        s.le(UInt16(0xBEEF))
        s.bytes.append(7)
        var c = ByteCursor(s.bytes, base: 100)
        #expect(try c.varint("a") == 0 && c.varint("b") == 300 && c.varint("c") == .max)
        #expect(try c.string("s", limit: 10) == "héllo" && c.string("e", limit: 0) == "")
        #expect(try c.byte("lo") == 0xEF && c.byte("hi") == 0xBE && c.byte("b") == 7)
        #expect(c.isAtEnd)
        expectEqual(c.offset, 100 + UInt64(s.bytes.count))
        #expect(throws: TraceError.truncated(what: "more", offset: c.offset)) { try c.byte("more") }
    }

    @Test func countsAreCheckedBeforeAnythingIsAllocated() {
        var s = ByteSink()
        s.varint(1_000_000_000)
        var c = ByteCursor(s.bytes, base: 8)
        #expect(throws: TraceError.limitExceeded(what: "n", offset: 8, value: 1_000_000_000, limit: 16)) { try c.count("n", limit: 16) }
    }

    @Test(arguments: [
        ([0x80, 0x80] as [UInt8], "varint", "the file ends inside"),                     // a varint cut short
        ([UInt8](repeating: 0xFF, count: 11), "varint", "not a valid varint"), // more than 10 bytes
        ([0x05, 0x61], "string", "the file ends inside"),                                 // longer than what is left
        ([0x02, 0xC3, 0x28], "string", "not valid UTF-8"),
        ([0x03, 0x41, 0x2D, 0x42], "name", "is not a name"),                   // "A-B"
    ])
    func badBytesAreNamedErrors(_ bytes: [UInt8], _ read: String, _ expected: String) {
        var c = ByteCursor(bytes, base: 40)
        do {
            switch read {
            case "varint": _ = try c.varint("v")
            case "string": _ = try c.string("text", limit: 100)
            default: _ = try c.name("key")
            }
            Issue.record("\(bytes) was read")
        } catch {
            expectContains("\(error)", expected, "\(error)")
            expectContains("\(error)", "40", "\(error)")
        }
    }

    @Test func floatsAreLittleEndianBitPatterns() throws {
        var s = ByteSink()
        s.le((-2.5).bitPattern)
        var c = ByteCursor(s.bytes + [1], base: 0)
        try expectEqual(c.float64("x"), -2.5)
        #expect(throws: TraceError.self) { try c.float64("y") }
    }
}
