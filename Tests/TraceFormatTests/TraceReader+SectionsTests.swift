import Foundation
import Testing
import TestKit
@testable import TraceFormat

/// Truncation, bit flips and hostile headers: never a crash, always a typed error with an offset.
struct TraceDamageTests {
    /// A closed sample with several small blocks and its events.
    static func sample() throws -> (path: String, bytes: [UInt8], events: [Event], blocks: [BlockIndexEntry]) {
        let header = try TraceSamples.header()
        var events: [Event] = []
        for i in 0..<120 { events.append(Event(kind: i % 2 == 0 ? 1 : 7, time: UInt64(i) * 10, fields: i % 2 == 0 ? [UInt64(i), 1] : [2, 5, 1])) }
        let path = try TraceSamples.write(events, header: header, blockSize: 64)
        return (path, try TraceSamples.bytes(path), events, try TraceSamples.blockOffsets(path))
    }

    /// Events of the blocks that lie wholly before `cut`.
    static func eventsBefore(_ cut: Int, _ events: [Event], _ blocks: [BlockIndexEntry], bytes: [UInt8]) -> [Event] {
        var n = 0
        for (i, b) in blocks.enumerated() {
            let end = i + 1 < blocks.count ? Int(blocks[i + 1].offset) : Int(blocks[i].offset) + blockSize(bytes, at: Int(b.offset))
            if end <= cut { n += Int(b.eventCount) }
        }
        return Array(events.prefix(n))
    }

    static func blockSize(_ bytes: [UInt8], at offset: Int) -> Int {
        let len = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
        return TraceLayout.blockHeaderBytes + len
    }

    @Test func truncationAtEveryOffsetRecoversEveryCompleteBlock() throws {
        let s = try Self.sample()
        defer { unlink(s.path) }
        expectAtLeast(s.blocks.count, 5)
        let headerEnd = Int(try TraceReader(path: s.path).dataStart)
        for cut in 0..<s.bytes.count {
            let path = try TraceSamples.store(Array(s.bytes.prefix(cut)))
            defer { unlink(path) }
            let expected = Self.eventsBefore(cut, s.events, s.blocks, bytes: s.bytes)
            let reader: TraceReader
            do {
                reader = try TraceReader(path: path, mode: .salvage)
            } catch let e as TraceError {
                // Only a cut inside the header may fail to open.
                expectLess(cut, headerEnd, "cut \(cut): \(e)")
                continue
            }
            var got: [Event] = []
            _ = try reader.scan { got.append($0.owned) }
            #expect(got == expected || got == s.events, "cut at \(cut)")
            // Strict mode delivers the same complete blocks, then stops with a typed error (or ends cleanly at a block boundary).
            let strict = try TraceReader(path: path, mode: .strict)
            var strictGot: [Event] = []
            do { _ = try strict.scan { strictGot.append($0.owned) } } catch let e as TraceError { #expect(e.offset != nil) }
            expectEqual(strictGot, got, "strict at \(cut)")
        }
    }

    @Test func oneFlippedBitInEachBlockIsCaughtAndSalvaged() throws {
        let s = try Self.sample()
        defer { unlink(s.path) }
        for (i, block) in s.blocks.enumerated() {
            let size = Self.blockSize(s.bytes, at: Int(block.offset))
            for spot in [TraceLayout.blockHeaderBytes + size / 3, 5, 14] where spot < size {
                var damaged = s.bytes
                damaged[Int(block.offset) + spot] ^= 0x10
                let path = try TraceSamples.store(damaged)
                defer { unlink(path) }
                let strict = try TraceReader(path: path)
                #expect(throws: TraceError.self) { try strict.scan { _ in } }
                let salvage = try TraceReader(path: path, mode: .salvage)
                var got: [Event] = []
                let report = try salvage.scan { got.append($0.owned) }
                var expected = s.events
                expected.removeSubrange(blockRange(i, s.blocks))
                expectEqual(got, expected, "block \(i) spot \(spot)")
                expectEqual(report.blocksLost, 1)
                expectEqual(report.eventsLost, UInt64(block.eventCount))
                expectEqual(report.damage.count, 1)
                expectEqual(report.damage.first?.offset, block.offset)
            }
        }
    }

    func blockRange(_ i: Int, _ blocks: [BlockIndexEntry]) -> Range<Int> {
        let start = blocks.prefix(i).reduce(0) { $0 + Int($1.eventCount) }
        return start..<(start + Int(blocks[i].eventCount))
    }

    @Test func headerDamageIsReportedWithOffset() throws {
        let s = try Self.sample()
        defer { unlink(s.path) }
        var damaged = s.bytes
        damaged[30] ^= 1
        let path = try TraceSamples.store(damaged)
        defer { unlink(path) }
        #expect(throws: TraceError.checksumMismatch(what: "header", offset: 0, stored: storedCRC(s.bytes), computed: computedCRC(damaged))) {
            try TraceReader(path: path)
        }
    }

    func storedCRC(_ b: [UInt8]) -> UInt32 { UInt32(b[16]) | UInt32(b[17]) << 8 | UInt32(b[18]) << 16 | UInt32(b[19]) << 24 }
    func computedCRC(_ b: [UInt8]) -> UInt32 {
        let len = Int(b[12]) | Int(b[13]) << 8 | Int(b[14]) << 16 | Int(b[15]) << 24
        return CRC32C.checksum(Array(b[20..<(20 + len)]))
    }

    @Test func notATraceAndNewerVersionsAreNamed() throws {
        let text = try TraceSamples.store(Array("name: hello\n".utf8))
        defer { unlink(text) }
        #expect(throws: TraceError.notATrace(path: text)) { try TraceReader(path: text) }
        let s = try Self.sample()
        defer { unlink(s.path) }
        var newer = s.bytes
        newer[8] = 3
        let path = try TraceSamples.store(newer)
        defer { unlink(path) }
        #expect(throws: TraceError.unsupportedVersion(found: 3, supported: 2)) { try TraceReader(path: path) }
    }

    /// A header body made by hand, with a correct CRC, so only the tested field is wrong.
    static func file(headerBody: [UInt8], rest: [UInt8] = []) -> [UInt8] {
        var out = TraceLayout.magic + [1, 0, 0, 0]
        let n = UInt32(headerBody.count)
        out += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
        let crc = CRC32C.checksum(headerBody)
        out += [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
        return out + headerBody + rest
    }

    static func varint(_ v: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }

    static let prelude: [UInt8] = [1, 0x74] + [2, 0x6E, 0x73] + [0] + [0] + [0] // writer "t", unit "ns", seed 0, no metadata, no strings

    @Test func schemaWithAMillionKindsIsRefusedBeforeAllocating() throws {
        let path = try TraceSamples.store(Self.file(headerBody: Self.prelude + Self.varint(1_000_000)))
        defer { unlink(path) }
        #expect(throws: TraceError.limitExceeded(what: "kind count", offset: 28, value: 1_000_000, limit: UInt64(TraceLimits.maxKinds))) {
            try TraceReader(path: path)
        }
    }

    @Test func twentyByteVarintInTheHeaderIsMalformed() throws {
        let path = try TraceSamples.store(Self.file(headerBody: [1, 0x74, 2, 0x6E, 0x73] + [UInt8](repeating: 0xFF, count: 19) + [1]))
        defer { unlink(path) }
        #expect(throws: TraceError.malformed(what: "seed is not a valid varint (more than 10 bytes or above 2^64)", offset: 25)) {
            try TraceReader(path: path)
        }
    }

    @Test func hugeStringLengthIsRefused() throws {
        let path = try TraceSamples.store(Self.file(headerBody: Self.varint(1 << 40)))
        defer { unlink(path) }
        #expect(throws: TraceError.self) { try TraceReader(path: path) }
    }

    @Test func headerLengthBeyondTheLimitIsRefused() throws {
        var bytes = TraceLayout.magic + [1, 0, 0, 0] + [0xFF, 0xFF, 0xFF, 0x7F] + [0, 0, 0, 0]
        bytes += [UInt8](repeating: 0, count: 64)
        let path = try TraceSamples.store(bytes)
        defer { unlink(path) }
        #expect(throws: TraceError.limitExceeded(what: "header length", offset: 12, value: 0x7FFF_FFFF, limit: UInt64(TraceLimits.maxHeaderBytes))) {
            try TraceReader(path: path)
        }
    }

    /// Recomputes the CRC of `range` and stores it little-endian at `at` (so only the damage meant is there).
    static func storeCRC(of range: Range<Int>, at: Int, in bytes: inout [UInt8]) {
        let crc = CRC32C.checksum(Array(bytes[range]))
        for i in 0..<4 { bytes[at + i] = UInt8(crc >> (8 * UInt32(i)) & 0xFF) }
    }

    /// The trailer's offsets with a recomputed CRC, so only the pointers are wrong.
    static func withTrailer(_ bytes: [UInt8], indexOffset: UInt64? = nil, summaryOffset: UInt64? = nil) -> [UInt8] {
        var damaged = bytes
        let t = damaged.count - TraceLayout.trailerBytes
        for (at, value) in [(0, indexOffset), (8, summaryOffset)] {
            guard let value else { continue }
            for i in 0..<8 { damaged[t + at + i] = UInt8(value >> (8 * UInt64(i)) & 0xFF) }
        }
        Self.storeCRC(of: t..<(t + 32), at: t + 32, in: &damaged)
        return damaged
    }

    @Test(arguments: [UInt64(0x7F) << 40, UInt64.max, UInt64.max - 11, UInt64.max - 5])
    func footerPointingOutsideTheFileIsAnError(_ offset: UInt64) throws {
        let s = try Self.sample()
        defer { unlink(s.path) }
        for damaged in [Self.withTrailer(s.bytes, indexOffset: offset), Self.withTrailer(s.bytes, summaryOffset: offset)] {
            let path = try TraceSamples.store(damaged)
            defer { unlink(path) }
            #expect(throws: TraceError.self) { try TraceReader(path: path) }
            // Salvage ignores the footer and still reads every block by scanning.
            let reader = try TraceReader(path: path, mode: .salvage)
            #expect(reader.footerProblem != nil)
            try expectEqual(reader.events().count, s.events.count)
        }
    }

    @Test func anIndexEntryNearTwoToTheSixtyFourIsAnError() throws {
        let s = try Self.sample()
        defer { unlink(s.path) }
        let reader = try TraceReader(path: s.path)
        let footer = try #require(reader.footer)
        var damaged = s.bytes
        let entries = Int(footer.indexOffset) + TraceLayout.indexPreambleBytes
        for i in 0..<8 { damaged[entries + 32 + i] = 0xFF } // entry 1's offset = 2^64 − 1
        Self.storeCRC(of: entries..<(entries + footer.blocks.count * TraceLayout.indexEntryBytes), at: Int(footer.indexOffset) + 8, in: &damaged)
        let path = try TraceSamples.store(damaged)
        defer { unlink(path) }
        #expect(throws: TraceError.self) { try TraceReader(path: path) }
        try expectEqual(TraceReader(path: path, mode: .salvage).events().count, s.events.count)
    }

    @Test func blockClaimingAHugePayloadIsRefused() throws {
        let s = try Self.sample()
        defer { unlink(s.path) }
        var damaged = s.bytes
        let b = Int(s.blocks[1].offset)
        damaged[b + 7] = 0x40 // payload length ≥ 1 GiB
        let crcAt = TraceLayout.blockHeaderBytes - 4
        Self.storeCRC(of: b..<(b + crcAt), at: b + crcAt, in: &damaged)
        let path = try TraceSamples.store(damaged)
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        #expect(throws: TraceError.self) { try reader.scan { _ in } }
    }

    /// A summary value that is not a number (patched in, with its CRC recomputed) is refused by
    /// the strict reader with its offset; salvage still reads every event.
    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteResultIsMalformed(_ value: Double) throws {
        let header = try TraceSamples.header()
        let events = TraceSamples.events(count: 300, seed: 4, header: header)
        let path = TraceSamples.temporaryPath("nan")
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: header, blockSize: 256)
        for e in events { try w.append(e) }
        try w.close(summary: [Metric("ratio", 0.5, "ratio")])
        var bytes = try TraceSamples.bytes(path)
        let reader = try TraceReader(path: path)
        let at = Int(reader.footer!.summaryOffset)
        let length = Int(bytes[at + 4]) | Int(bytes[at + 5]) << 8
        let body = at + TraceLayout.summaryPreambleBytes
        let f64 = body + length - 8 // the only metric's value ends the body
        for i in 0..<8 { bytes[f64 + i] = UInt8(value.bitPattern >> (8 * UInt64(i)) & 0xFF) }
        Self.storeCRC(of: body..<(body + length), at: at + 8, in: &bytes)
        let damaged = try TraceSamples.store(bytes)
        defer { unlink(damaged) }
        #expect(throws: TraceError.malformed(what: "metric ratio is \(value), not a finite number", offset: UInt64(f64))) {
            try TraceReader(path: damaged)
        }
        let salvaged = try TraceReader(path: damaged, mode: .salvage)
        try expectEqual(salvaged.events().count, events.count)
    }
}
