import Testing
import TestKit
@testable import TraceFormat

struct TraceHeaderTests {
    static func header(metadata: [(key: String, value: String)] = [("scenario", "name: x\n"), ("topic", "memory")]) throws -> TraceHeader {
        let kinds = [
            EventKind(id: 3, name: "exit", category: .cpu, shape: .interval, fields: [
                FieldSpec("reason", .enumeration(["io", "hlt", "cpuid"]), packed: true), FieldSpec("duration", .duration),
                FieldSpec("vcpu", .unsigned, bits: 8), FieldSpec("addr", .unsigned, delta: true), FieldSpec("note", .string),
                FieldSpec("delta", .signed, delta: true),
            ]),
            EventKind(id: 0, name: "counters", category: .memory, shape: .counter, fields: [FieldSpec("hits", .unsigned)]),
        ]
        return TraceHeader(writerVersion: "virtlab test", seed: .max, metadata: metadata, strings: ["a", "", "ü"], schema: try Schema(kinds))
    }

    /// Every field type and flag, the largest seed, UTF-8 and an empty string survive the round trip;
    /// the prefix holds the magic, version and a body length and CRC that match.
    @Test func aHeaderRoundTrips() throws {
        let h = try Self.header()
        let bytes = try h.encoded()
        expectEqual(Array(bytes.prefix(8)), TraceLayout.magic)
        let body = Array(bytes.dropFirst(TraceLayout.headerPrefixBytes))
        expectEqual(loadLE(bytes, 12, as: UInt32.self), UInt32(body.count))
        expectEqual(loadLE(bytes, 16, as: UInt32.self), CRC32C.checksum(body))
        let back = try TraceHeader.decodeBody(body, base: 20)
        expectEqual(back, h)
        expectEqual(back[metadata: "topic"], "memory")
        expectEqual(back[metadata: "nope"], nil)
    }

    /// A cut anywhere in the body is "truncated" or "malformed" at an offset inside the body —
    /// never a trap, never a header.
    @Test func everyTruncationIsAnErrorWithAnOffset() throws {
        let body = Array(try Self.header().encoded().dropFirst(TraceLayout.headerPrefixBytes))
        for n in 0..<body.count {
            do {
                _ = try TraceHeader.decodeBody(Array(body.prefix(n)), base: 1_000)
                Issue.record("a body cut to \(n) of \(body.count) bytes decoded")
            } catch let e as TraceError {
                switch e {
                case let .truncated(_, offset), let .malformed(_, offset), let .limitExceeded(_, offset, _, _):
                    expectAtLeast(offset, 1_000, "\(e)")
                    expectAtMost(offset, 1_000 + UInt64(n), "\(e)")
                case .invalidEvent: Issue.record("\(e)")
                default: Issue.record("\(e)")
                }
            }
        }
    }

    @Test func theWriterRefusesWhatTheSpecForbids() throws {
        #expect(throws: TraceError.self) { try Self.header(metadata: [("Bad Key", "v")]).encoded() }
        #expect(throws: TraceError.self) { try Self.header(metadata: [("k", String(repeating: "x", count: TraceLimits.maxStringBytes + 1))]).encoded() }
        var many = try Self.header()
        many.metadata = (0...TraceLimits.maxMetadataEntries).map { (key: "k\($0)", value: "") }
        #expect(throws: TraceError.self) { try many.encoded() }
    }

    /// A body that is not ns, has trailing bytes or an unknown field type is malformed.
    @Test func foreignBodiesAreMalformed() throws {
        var body = Array(try Self.header().encoded().dropFirst(TraceLayout.headerPrefixBytes))
        body.append(0)
        #expect(throws: TraceError.self) { try TraceHeader.decodeBody(body, base: 0) }
        var us = try Self.header()
        us.clockUnit = "us"
        #expect(throws: TraceError.self) { try TraceHeader.decodeBody(Array(try us.encoded().dropFirst(TraceLayout.headerPrefixBytes)), base: 0) }
    }
}

private func loadLE<T: FixedWidthInteger>(_ bytes: [UInt8], _ i: Int, as: T.Type) -> T {
    bytes.withUnsafeBytes { TraceFormat.loadLE($0.baseAddress!, i, as: T.self) }
}
