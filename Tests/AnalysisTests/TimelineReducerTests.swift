import Foundation
import Testing
import TestKit
@testable import Analysis
@testable import TraceFormat

struct TimelineReducerTests {
    static func trace(events: Int) throws -> String {
        let schema = try Schema([
            EventKind(id: 1, name: "vm_exit", category: .cpu, shape: .interval, fields: [
                FieldSpec("reason", .enumeration(["io", "hlt"])), FieldSpec("duration", .duration), FieldSpec("vcpu", .unsigned),
            ]),
            EventKind(id: 2, name: "page_batch", category: .migration, fields: [FieldSpec("pages", .unsigned)]),
            EventKind(id: 3, name: "counters", category: .counter, shape: .counter, fields: [FieldSpec("done", .unsigned, delta: true)]),
        ])
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-tl-\(UUID().uuidString).vlt"
        let w = try TraceWriter(path: path, header: TraceHeader(writerVersion: "t", seed: 1, schema: schema))
        for i in 0..<events {
            let t = UInt64(1_000 + i * 100)
            switch i % 4 {
            case 0: try w.append(1, at: t, 0, 50, UInt64(i % 8 == 0 ? 0 : 1))
            case 1: try w.append(2, at: t, 8)
            case 2: try w.append(3, at: t, UInt64(i))
            default: try w.append(1, at: t, 1, 100, 1)
            }
        }
        try w.close(summary: [])
        return path
    }

    @Test func bucketsAccountForEveryEventWithBoundedMemory() throws {
        let path = try Self.trace(events: 40_000)
        defer { unlink(path) }
        let tl = try TimelineReducer.reduce(TraceReader(path: path), buckets: 200)
        expectEqual(tl.lanes.map(\.name), ["vCPU 0", "vCPU 1", "page_batch", "done"])
        #expect(tl.lanes.allSatisfy { $0.count.count == 200 })
        let total = tl.lanes.reduce(0) { $0 + $1.count.reduce(0) { $0 + Int($1) } }
        expectEqual(total, 40_000)
        expectEqual(tl.events, 40_000)
        for lane in tl.lanes { #expect(lane.busy.allSatisfy { $0 <= tl.bucketNs + 1e-6 }) }
        // vCPU 1 is busy 50 + 100 + 100 ns in every 800 ns: 31.25 % of the time.
        let busy = tl.lanes[1].busy.reduce(0, +) / Double(tl.end - tl.start)
        expectLess(abs(busy - 250.0 / 800), 0.01)
        expectEqual(tl.lanes[1].longest.max(), 100)
        let counter = tl.lanes[3]
        expectEqual(counter.high.last, 39_998)
        expectEqual(tl.eventsPerBucket, 200)
    }

    /// The moments a comparison aligns at: the first start of each value of an interval kind's
    /// enumerated first field (here the exit reasons), in time order; instants give none.
    @Test func marksAreTheFirstStartOfEachIntervalValue() throws {
        let path = try Self.trace(events: 40)
        defer { unlink(path) }
        let tl = try TimelineReducer.reduce(TraceReader(path: path), buckets: 10)
        // io: event 0 at 1,000 ns lasting 50 → 950; hlt: event 3 at 1,300 lasting 100 → 1,200.
        expectEqual(tl.marks, [Timeline.Mark(name: "io", time: 950, of: "vm_exit"), Timeline.Mark(name: "hlt", time: 1_200, of: "vm_exit")])
        let script = try ExplorerData.script(TraceReader(path: path), id: "t", command: "virtlab report")
        #expect(script.contains("\"marks\":[{\"name\":\"io\",\"t\":0,\"of\":\"vm_exit\"},{\"name\":\"hlt\",\"t\":200,\"of\":\"vm_exit\"}]"))
        // A window holds only the marks inside it.
        let late = try TimelineReducer.reduce(TraceReader(path: path), buckets: 10, range: 2_000...4_000)
        // (hlt: event 11 at 2,100 lasting 100 → 2,000; io: event 12 at 2,200 lasting 50 → 2,150.)
        expectEqual(late.marks, [Timeline.Mark(name: "hlt", time: 2_000, of: "vm_exit"), Timeline.Mark(name: "io", time: 2_150, of: "vm_exit")])
    }

    @Test func emptyTraceReducesToNothing() throws {
        let path = try Self.trace(events: 0)
        defer { unlink(path) }
        let tl = try TimelineReducer.reduce(TraceReader(path: path), buckets: 100)
        expectEqual(tl.events, 0)
        #expect(tl.lanes.isEmpty)
    }
}
