import Foundation
import Testing
import TestKit
@testable import Analysis
@testable import TraceFormat

struct TraceStatisticsTests {
    static func trace() throws -> String {
        let schema = try Schema([
            EventKind(id: 5, name: "vm_exit", category: .cpu, shape: .interval, fields: [
                FieldSpec("reason", .enumeration(["io", "hlt", "cr3_write"])), FieldSpec("duration", .duration), FieldSpec("vcpu", .unsigned),
            ]),
            EventKind(id: 6, name: "page_fault", category: .memory, fields: [FieldSpec("page", .unsigned)]),
        ])
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-stats-\(UUID().uuidString).vlt"
        let w = try TraceWriter(path: path, header: TraceHeader(writerVersion: "t", seed: 1, schema: schema))
        var t: UInt64 = 1_000
        // 30 io exits of 100..2_999 ns, 10 hlt exits of 5_000 ns, and page faults between them.
        for i in 0..<30 { t += 10_000; try w.append(5, at: t, 0, UInt64(100 + i * 100), 0) }
        for _ in 0..<10 { t += 10_000; try w.append(5, at: t, 1, 5_000, 1) }
        for i in 0..<5 { t += 1; try w.append(6, at: t, UInt64(i)) }
        try w.close(summary: [])
        return path
    }

    @Test func exitReasonTableFollowsPerfKvmStat() throws {
        let path = try Self.trace()
        defer { unlink(path) }
        let (stats, _) = try TraceStatistics.gather(TraceReader(path: path))
        let rows = stats.exitReasons
        expectEqual(rows.map(\.reason), ["io", "hlt"])
        let io = rows[0], hlt = rows[1]
        expectEqual(io.count, 30)
        expectEqual(io.percentOfExits, 75)
        var ioTotal: UInt64 = 0
        for i in 0..<30 { ioTotal += UInt64(100 + i * 100) }
        expectEqual(io.totalNs, ioTotal)
        expectEqual(io.minNs, 100)
        expectEqual(io.maxNs, 3_000)
        let p50Error: Double = abs(Double(io.p50Ns) - 1_500)
        let p50Bound: Double = 1_500.0 / 64.0 + 50.0
        expectAtMost(p50Error, p50Bound)
        expectEqual(hlt.p95Ns, 5_000)
        let timeShare: Double = io.percentOfTime + hlt.percentOfTime
        let off: Double = abs(timeShare - 100)
        expectLess(off, 1e-9)
        expectEqual(stats.events, 45)
        expectEqual(stats.countsByKind.map(\.name), ["page_fault", "vm_exit"])
        expectEqual(stats.countsByCategory.first { $0.name == "cpu" }?.count, 40)
        expectEqual(stats.spanNs, 400_005 - 10_000)
    }

    @Test func intervalStartsDurationBeforeItsStamp() throws {
        let path = try Self.trace()
        defer { unlink(path) }
        var starts: [UInt64] = []
        try TraceReader(path: path).scan { e in if e.kind == 5 { starts.append(intervalStart(of: e, durationField: 1)) } }
        expectEqual(starts.first, 11_000 - 100)
    }
}
