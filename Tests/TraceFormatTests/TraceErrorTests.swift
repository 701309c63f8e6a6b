#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestKit
@testable import TraceFormat

/// Every trace error says where (a byte offset or a path) and what to do next.
struct TraceErrorTests {
    static let all: [TraceError] = [
        .io(path: "t.vlt", operation: "open", errno: ENOENT), .notATrace(path: "x.png"),
        .unsupportedVersion(found: 9, supported: 2), .truncated(what: "block", offset: 4_096), .unfinished(offset: 70_000),
        .checksumMismatch(what: "block", offset: 20, stored: 0xAB, computed: 0xDEAD_BEEF),
        .limitExceeded(what: "field count", offset: 33, value: 99, limit: 16), .malformed(what: "bad varint", offset: 7),
        .invalidEvent("kind id 9 is not in the schema"), .closed,
    ]

    @Test func eachSaysWhereAndWhatToDo() {
        for e in Self.all {
            let text = e.description
            #expect(!text.isEmpty)
            if let o = e.offset, o > 0 { expectContains(text, "byte \(o)", "\(text)") }
        }
        expectEqual(TraceError.io(path: "t.vlt", operation: "open", errno: ENOENT).description, "t.vlt: cannot open: No such file or directory")
        expectContains(TraceError.checksumMismatch(what: "block", offset: 20, stored: 0xAB, computed: 0xDEAD_BEEF).description, "stored 0x000000ab, computed 0xdeadbeef")
        for recoverable in [TraceError.truncated(what: "block", offset: 1), .unfinished(offset: 1), .checksumMismatch(what: "b", offset: 1, stored: 0, computed: 1)] {
            expectContains(recoverable.description, "--salvage", "\(recoverable)")
        }
        expectContains(TraceError.notATrace(path: "x.png").description, "virtlab run")
        expectContains(TraceError.unsupportedVersion(found: 9, supported: 2).description, "upgrade VirtLab")
    }

    /// Offsets: the structure's position for damage, 0 for the file's start, none for a writer's mistake.
    @Test func offsetsPointAtTheDamage() {
        expectEqual(TraceError.malformed(what: "x", offset: 7).offset, 7)
        expectEqual(TraceError.notATrace(path: "p").offset, 0)
        expectEqual(TraceError.invalidEvent("x").offset, nil)
        expectEqual(TraceError.closed.offset, nil)
        expectEqual(TraceError.io(path: "p", operation: "read", errno: EIO).offset, nil)
    }
}
