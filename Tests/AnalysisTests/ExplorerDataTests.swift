import Foundation
import Testing
import TestKit
@testable import Analysis
@testable import TraceFormat

/// The explorer's data: its size follows the picture, not the trace; raw events when there are
/// few enough, all of them with their fields; a window holds only its events.
struct ExplorerDataTests {
    /// The JSON object of a script (`window.VIRTLAB_TRACES["id"] = {…};`).
    static func object(_ script: String) throws -> [String: Any] {
        let start = script.range(of: "] = ")!.upperBound
        let json = script[start...].dropLast(2)
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    @Test func theSizeFollowsThePictureNotTheTrace() throws {
        let small = try TimelineReducerTests.trace(events: 40_000), large = try TimelineReducerTests.trace(events: 400_000)
        defer { unlink(small); unlink(large) }
        let a = try ExplorerData.script(TraceReader(path: small), id: "a", command: "virtlab report a.vlt --window")
        let b = try ExplorerData.script(TraceReader(path: large), id: "b", command: "virtlab report b.vlt --window")
        // Neither carries raw events (both exceed the limit): the same number of columns.
        #expect(try Self.object(a)["raw"] is NSNull && Self.object(b)["raw"] is NSNull)
        let sizeA: Double = Double(a.utf8.count), sizeB: Double = Double(b.utf8.count)
        expectLess(sizeB, sizeA * 1.5, "\(sizeA) → \(sizeB) bytes for 10× the events")
        expectLess(b.utf8.count, 1_500_000)
        let o = try Self.object(b)
        let lanes = o["lanes"] as! [[String: Any]]
        for lane in lanes {
            let values = (lane["count"] ?? lane["low"]) as! [Any]
            expectEqual(values.count, ExplorerData.buckets)
        }
        expectEqual(o["events"] as? Int, 400_000)
    }

    @Test func aSmallTraceCarriesEveryEventWithItsFields() throws {
        let path = try TimelineReducerTests.trace(events: 2_000)
        defer { unlink(path) }
        let o = try Self.object(try ExplorerData.script(TraceReader(path: path), id: "s", command: "c"))
        let raw = try #require(o["raw"] as? [String: [Any]])
        // Counters are lanes of their own (min–max), not events: 3 of every 4 events are listed.
        expectEqual(raw["t"]?.count, 1_500)
        expectEqual(raw["f"]?.count, 1_500)
        let kinds = o["kinds"] as! [[String: Any]]
        expectEqual((kinds[0]["enums"] as! [String: [String]])["0"], ["io", "hlt"])
        expectEqual(kinds[0]["duration"] as? Int, 1)
        // The first event: a vm_exit of 50 ns ending at 1,000 ns, on vCPU 0: it starts the timeline.
        expectEqual(raw["t"]?.first as? Int, 0)
        expectEqual(raw["d"]?.first as? Int, 50)
        expectEqual(raw["f"]?.first as? [Int], [0, 50, 0])
        let lanes = (o["lanes"] as! [[String: Any]]).map { $0["name"] as! String }
        expectEqual(lanes[raw["l"]!.first as! Int], "vCPU 0")
    }

    @Test func aWindowHoldsOnlyItsEventsAtFullDetail() throws {
        let path = try TimelineReducerTests.trace(events: 400_000)
        defer { unlink(path) }
        let script = try ExplorerData.script(TraceReader(path: path), id: "w", window: 2_000_000...2_100_000, command: "c")
        let o = try Self.object(script)
        expectEqual(o["start"] as? Int, 2_000_000)
        expectEqual(o["end"] as? Int, 2_100_000)
        let raw = try #require(o["raw"] as? [String: [Any]], "a 100 µs window of a 40 ms trace is small enough for single events")
        // Events every 100 ns from 1,000 ns: those stamped in [2,000,000, 2,100,000], less the counters.
        let inWindow: [Int] = (0..<400_000).filter { (i: Int) -> Bool in
            let stamp = 1_000 + i * 100
            return stamp >= 2_000_000 && stamp <= 2_100_000
        }
        let listed: Int = inWindow.filter { $0 % 4 != 2 }.count
        expectEqual(raw["t"]?.count, listed)
        expectEqual(o["events"] as? Int, inWindow.count)
        try expectEqual(ExplorerData.script(TraceReader(path: path), id: "w", window: 2_000_000...2_100_000, command: "c"), script, "deterministic")
    }

    /// 64 busy vCPU lanes: within the budget at full resolution; against a budget five times
    /// smaller the columns merge in pairs until the data fits, losing no event.
    @Test func manyLanesStayWithinTheBudget() throws {
        let schema = try Schema([EventKind(id: 1, name: "vm_exit", category: .cpu, shape: .interval, fields: [
            FieldSpec("reason", .enumeration(["io", "hlt"])), FieldSpec("duration", .duration), FieldSpec("vcpu", .unsigned)])])
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-explorer-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: TraceHeader(writerVersion: "t", seed: 1, schema: schema))
        for i in 0..<300_000 { try w.append(1, at: UInt64(1_000 + i * 37), UInt64(i % 2), UInt64(20 + i % 50), UInt64(i % 64)) }
        try w.close(summary: [])
        let full = try ExplorerData.script(TraceReader(path: path), id: "m", command: "c")
        expectAtMost(full.utf8.count, ExplorerData.budget, "\(full.utf8.count) bytes")
        let script = try ExplorerData.script(TraceReader(path: path), id: "m", budget: 300_000, command: "c")
        expectAtMost(script.utf8.count, 300_000, "\(script.utf8.count) bytes")
        let o = try Self.object(script)
        expectEqual((o["lanes"] as! [Any]).count, 64)
        let buckets = try #require(o["buckets"] as? Int)
        expectLess(buckets, ExplorerData.buckets, "\(buckets) columns")
        expectAtLeast(buckets, 256, "\(buckets) columns")
        let total = (o["lanes"] as! [[String: Any]]).reduce(0) { $0 + ($1["count"] as! [Int]).reduce(0, +) }
        expectEqual(total, 300_000, "merging columns loses no event")
    }
}
