import Foundation
import Testing
import TestKit
@testable import TraceFormat

struct TraceRoundTripTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func randomStreamsDecodeToWhatWasWritten(seed: UInt64) throws {
        let header = try TraceSamples.header(seed: seed)
        let events = TraceSamples.events(count: 3_000, seed: seed, header: header)
        let path = try TraceSamples.write(events, header: header, blockSize: 97 + Int(seed) * 50)
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        expectEqual(reader.header, header)
        try expectEqual(reader.events(), events)
        expectEqual(reader.summary, [Metric("answer", 42, "count"), Metric("ratio", 0.25, "ratio")])
        expectEqual(reader.footer?.totalEvents, UInt64(events.count))
        expectGreater(reader.footer?.blocks.count ?? 0, 10)
    }

    @Test func emptyTraceHasHeaderAndSummaryOnly() throws {
        let header = try TraceSamples.header()
        let path = try TraceSamples.write([], header: header, summary: [])
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        #expect(try reader.events().isEmpty)
        expectEqual(reader.summary, [])
        expectEqual(reader.footer?.blocks.isEmpty, true)
    }

    @Test func emptyStringsAndEmptyMetadataSurvive() throws {
        let header = try TraceSamples.header(strings: [""])
        let events = [Event(kind: 12, time: 0, fields: [0]), Event(kind: 13, time: 0)]
        let path = try TraceSamples.write(events, header: header)
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        try expectEqual(reader.events(), events)
        expectEqual(reader.header.strings, [""])
        expectEqual(reader.header[metadata: "empty"], "")
    }

    @Test func maximalTimeStepsStartNewBlocks() throws {
        let header = try TraceSamples.header()
        let events = [Event(kind: 13, time: 0), Event(kind: 13, time: UInt64.max / 2), Event(kind: 13, time: UInt64.max)]
        let path = try TraceSamples.write(events, header: header, blockSize: 1 << 16)
        defer { unlink(path) }
        try expectEqual(TraceReader(path: path).events(), events)
    }

    /// With one kind the event head has no position bits: every time step fits, none starts a block.
    @Test func aOneKindSchemaTakesAnyStepInOneBlock() throws {
        let header = TraceHeader(writerVersion: "t", seed: 1, metadata: [],
                                 schema: try Schema([EventKind(id: 5, name: "tick", category: .run, fields: [FieldSpec("n", .unsigned)])]))
        let events = [0, 1, 1, UInt64.max / 3, UInt64.max - 1, UInt64.max].enumerated().map { Event(kind: 5, time: $0.element, fields: [UInt64($0.offset)]) }
        let path = try TraceSamples.write(events, header: header, blockSize: 1 << 16)
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        try expectEqual(reader.events(), events)
        expectEqual(reader.footer?.blocks.count, 1)
    }

    /// Time may not go back across a flushed block either, and the block after a flush starts at its first event.
    @Test func timeCannotGoBackAcrossAFlush() throws {
        let path = TraceSamples.temporaryPath("flush-back")
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: try TraceSamples.header())
        try w.append(13, at: 1_000)
        try w.flush()
        #expect(throws: TraceError.self) { try w.append(13, at: 999) }
        try w.append(13, at: 1_000)
        try w.append(13, at: 5_000)
        try w.close(summary: [])
        let reader = try TraceReader(path: path)
        try expectEqual(reader.events().map(\.time), [1_000, 1_000, 5_000])
        expectEqual(reader.footer?.blocks.map(\.firstTime), [1_000, 1_000])
    }

    @Test func appendingAfterCloseIsRefused() throws {
        let path = TraceSamples.temporaryPath("after-close")
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: try TraceSamples.header())
        try w.append(13, at: 10)
        try w.close(summary: [])
        #expect(throws: TraceError.closed) { try w.append(13, at: 10) }
        #expect(throws: TraceError.closed) { try w.append(13, at: 20) }
        try expectEqual(TraceReader(path: path).events().count, 1)
    }

    @Test func sameEventsGiveIdenticalBytes() throws {
        let header = try TraceSamples.header()
        let events = TraceSamples.events(count: 2_000, seed: 9, header: header)
        let a = try TraceSamples.write(events, header: header)
        let b = try TraceSamples.write(events, header: header)
        defer { unlink(a); unlink(b) }
        try expectEqual(TraceSamples.bytes(a), TraceSamples.bytes(b))
    }

    @Test func typicalEventsTakeAFewBytes() throws {
        let header = try TraceSamples.header()
        var events: [Event] = []
        for i in 0..<10_000 { events.append(Event(kind: 1, time: UInt64(i) * 50, fields: [UInt64(1_000 + i), 0])) }
        let path = try TraceSamples.write(events, header: header, blockSize: 64 << 10)
        defer { unlink(path) }
        let size = try TraceSamples.bytes(path).count
        // head (kind + 50 ns step) 1 byte... 2 bytes, page delta 1, enum 1.
        expectLess(Double(size) / 10_000, 4.5)
    }

    @Test func timeRangeReadsOnlyMatchingEvents() throws {
        let header = try TraceSamples.header()
        var events: [Event] = []
        for i in 0..<5_000 { events.append(Event(kind: 7, time: UInt64(i) * 100, fields: [UInt64(i % 3), 40, 0])) }
        let path = try TraceSamples.write(events, header: header, blockSize: 200)
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        var got: [UInt64] = []
        let report = try reader.scan(range: 250_000...260_050) { got.append($0.time) }
        expectEqual(got, Array(stride(from: 250_000, through: 260_000, by: 100)).map { UInt64($0) })
        // Through the index only a handful of the hundreds of blocks are decoded.
        expectLess(report.blocks, 10)
        expectGreater(reader.footer!.blocks.count, 100)
    }

    @Test func unclosedTraceIsReadByLinearScan() throws {
        let header = try TraceSamples.header()
        let events = TraceSamples.events(count: 1_000, seed: 3, header: header)
        let path = try TraceSamples.write(events, header: header, close: false)
        defer { unlink(path) }
        // Strict: every event is delivered, then the missing footer is an error (a cut trace is not a finished one).
        let reader = try TraceReader(path: path)
        expectEqual(reader.footer, nil)
        var got: [Event] = []
        #expect(throws: TraceError.unfinished(offset: reader.fileSize)) { try reader.scan { got.append($0.owned) } }
        expectEqual(got, events)
        // Salvage reads the same events without complaint.
        let salvaged = try TraceReader(path: path, mode: .salvage)
        try expectEqual(salvaged.events(), events)
        expectEqual(salvaged.summary, nil)
    }

    @Test func writerRejectsTimeGoingBack() throws {
        let w = try TraceWriter(path: TraceSamples.temporaryPath("back"), header: try TraceSamples.header())
        defer { unlink(w.path) }
        try w.append(13, at: 100)
        #expect(throws: TraceError.self) { try w.append(13, at: 99) }
    }

    @Test func writerRejectsUnknownKindAndWrongFieldCount() throws {
        let w = try TraceWriter(path: TraceSamples.temporaryPath("bad"), header: try TraceSamples.header())
        defer { unlink(w.path) }
        // Ids past the schema's largest, between its ids, and past every limit.
        for id: UInt16 in [99, 5, 0, 1_024, .max] {
            #expect(throws: TraceError.invalidEvent("kind id \(id) is not in the schema")) { try w.append(id, at: 0) }
        }
        #expect(throws: TraceError.self) { try w.append(1, at: 0, 5) }
    }

    @Test func packedFieldsShareOneVarint() throws {
        let header = try TraceSamples.header()
        let events = (0..<1_000).map { Event(kind: 8, time: UInt64($0), fields: [UInt64($0 % 3), 1_500, 3, 0, 1]) }
        let path = try TraceSamples.write(events, header: header, blockSize: 64 << 10)
        defer { unlink(path) }
        try expectEqual(TraceReader(path: path).events(), events)
        // Per event: head 1–2 bytes, bytes 2, one packed word (op 2 bits, vm 32 bits, device 1, queue 28) of up to 6 bytes.
        let payload = try TraceSamples.bytes(path).count - Int(try TraceReader(path: path).dataStart)
        expectLess(Double(payload) / 1_000, 9.6)
    }

    @Test func packedValueWiderThanItsFieldIsRefused() throws {
        let w = try TraceWriter(path: TraceSamples.temporaryPath("wide"), header: try TraceSamples.header())
        defer { unlink(w.path) }
        #expect(throws: TraceError.self) { try w.append(8, at: 0, 0, 1, 1 << 32, 0, 0) }
        try w.append(8, at: 0, 2, 1, (1 << 32) - 1, 0, (1 << 28) - 1)
    }

    @Test func schemaRejectsBrokenRules() {
        #expect(throws: TraceError.self) { try Schema([EventKind(id: 1, name: "Bad Name", category: .run, fields: [])]) }
        #expect(throws: TraceError.self) {
            try Schema([EventKind(id: 1, name: "a", category: .run, fields: []), EventKind(id: 1, name: "b", category: .run, fields: [])])
        }
        #expect(throws: TraceError.self) { try Schema([EventKind(id: 1, name: "x", category: .run, shape: .interval, fields: [])]) }
        #expect(throws: TraceError.self) {
            try Schema([EventKind(id: 1, name: "x", category: .run, fields: [FieldSpec("e", .enumeration(["a"]), delta: true)])])
        }
        #expect(throws: TraceError.self) {
            try Schema([EventKind(id: 1, name: "x", category: .run, fields: [FieldSpec("a", .unsigned, bits: 40), FieldSpec("b", .unsigned, bits: 30)])])
        }
        #expect(throws: TraceError.self) {
            try Schema([EventKind(id: 1, name: "x", category: .run, fields: [FieldSpec("s", .string, bits: 3)])])
        }
    }
}
