import Vocabulary
import Foundation
import Testing
import TestKit
@testable import Export
import SafeOutput
@testable import Simulation
@testable import TraceFormat

struct SQLiteExportTests {
    /// Every event the JSONL export prints is a row of its kind's table, field by field, in
    /// file order; every kind of every topic (the sample presets cover all four).
    @Test(arguments: SampleTraces.presets)
    func tablesHoldExactlyTheEventsJSONLPrints(_ name: String) throws {
        let trace = try SampleTraces.trace(name)
        let db = SampleTraces.scratch("db")
        defer { unlink(db) }
        try TraceQuery.build(try TraceQuery.inputs([trace]), salvage: false, key: nil, to: db)
        let events = try SampleTraces.jsonl(trace)
        let reader = try TraceReader(path: trace)
        let database = try SQLiteDatabase(path: db, readOnly: true)
        var byKind: [String: [[String: Any]]] = [:]
        for e in events { byKind[e["kind"] as! String, default: []].append(e) }
        #expect(!byKind.isEmpty)
        for kind in reader.header.schema.kinds {
            let expected = byKind[kind.name] ?? []
            let count = try database.prepare("SELECT COUNT(*) FROM \"\(kind.name)\"")
            try count.step()
            expectEqual(count.value(0), .integer(Int64(expected.count)), "\(name) \(kind.name)")
            let rows = try database.prepare("SELECT * FROM \"\(kind.name)\" ORDER BY rowid")
            var i = 0
            while try rows.step() {
                let e = expected[i]
                for c in 0..<rows.columnCount {
                    let column = rows.columnName(c)
                    let v = rows.value(c)
                    switch column {
                    case "run": expectEqual(v, .text(name))
                    case "start_ns":
                        let d = kind.durationIndex.map { (e[kind.fields[$0].name] as! NSNumber).int64Value } ?? 0
                        expectEqual(v, .integer((e["time_ns"] as! NSNumber).int64Value - d), "\(kind.name) start_ns row \(i)")
                    default:
                        switch e[column] {
                        case let s as String: expectEqual(v, .text(s), "\(kind.name).\(column) row \(i)")
                        case let n as NSNumber: expectEqual(v, .integer(n.int64Value), "\(kind.name).\(column) row \(i)")
                        default: Issue.record("\(kind.name).\(column) is not in the JSONL export")
                        }
                    }
                }
                i += 1
            }
            expectEqual(i, expected.count)
        }
    }

    /// The samples hold at least one event of every kind of every topic, so the test above
    /// compares every kind's columns on real rows, not only empty tables.
    @Test func theSamplesCoverEveryKindOfEveryTopic() throws {
        var seen = Set<String>(), all = Set<String>()
        for topic in Topic.allCases { all.formUnion(try Runner.schema(for: topic).kinds.map { "\(topic).\($0.name)" }) }
        for name in SampleTraces.presets {
            let reader = try TraceReader(path: try SampleTraces.trace(name))
            let topic = reader.header[metadata: "topic"]!
            try reader.scan { e in seen.insert("\(topic).\(reader.header.schema.kinds[e.position].name)") }
        }
        #expect(all.subtracting(seen).isEmpty, "no sample has events of \(all.subtracting(seen).sorted())")
    }

    /// The run tables: results equal the summary, kinds count the events, the resolved
    /// scenario lists every key of the topic with its effective value.
    @Test func runTablesAgreeWithTheTrace() throws {
        let trace = try SampleTraces.trace("precopy-busy")
        let db = SampleTraces.scratch("db")
        defer { unlink(db) }
        try TraceQuery.build(try TraceQuery.inputs([trace]), salvage: false, key: nil, to: db)
        let reader = try TraceReader(path: trace)
        let d = try SQLiteDatabase(path: db, readOnly: true)
        for m in reader.summary! {
            let s = try d.prepare("SELECT value, unit FROM results WHERE metric = ?1")
            s.bind(text: m.name, at: 1)
            #expect(try s.step())
            #expect(s.value(0) == .real(m.value) || s.value(0) == .integer(Int64(m.value)))
            expectEqual(s.value(1), .text(m.unit))
        }
        let total = try d.prepare("SELECT SUM(events) FROM kinds")
        try total.step()
        expectEqual(total.value(0), .integer(Int64(reader.footer!.totalEvents)))
        let keys = try d.prepare("SELECT COUNT(*) FROM scenario WHERE key LIKE 'migration.%'")
        try keys.step()
        expectEqual(keys.value(0), .integer(Int64(Topic.migration.keys.count)))
        // A key the preset sets and one it leaves at its default.
        let memory = try d.prepare("SELECT value, is_default FROM scenario WHERE key = 'migration.vm.memory_mib'")
        try memory.step()
        expectEqual(memory.value(0), .integer(64))
        expectEqual(memory.value(1), .integer(0))
        // The rounds: each starts where the previous ended (the per-round series a student asks for).
        let gaps = try d.prepare("SELECT COUNT(*) FROM round a JOIN round b ON b.round = a.round + 1 WHERE b.start_ns < a.time_ns")
        try gaps.step()
        expectEqual(gaps.value(0), .integer(0))
    }

    /// exit_reasons equals a GROUP BY over vm_exit, and its counts match the summary's.
    @Test func exitReasonsMatchTheEvents() throws {
        let trace = try SampleTraces.trace("fork-heavy-shadow")
        let db = SampleTraces.scratch("db")
        defer { unlink(db) }
        try TraceQuery.build(try TraceQuery.inputs([trace]), salvage: false, key: nil, to: db)
        let d = try SQLiteDatabase(path: db, readOnly: true)
        let s = try d.prepare("""
            SELECT COUNT(*) FROM exit_reasons e JOIN (SELECT reason, COUNT(*) AS n, SUM(duration) AS t FROM vm_exit GROUP BY reason) g
            USING (reason) WHERE e.exits = g.n AND e.total_ns = g.t
            """)
        try s.step()
        let all = try d.prepare("SELECT COUNT(*), SUM(exits) FROM exit_reasons")
        try all.step()
        expectEqual(s.value(0), all.value(0))
        let summary = try TraceReader(path: trace).summary!.first { $0.name == "vm_exits" }!.value
        expectEqual(all.value(1), .integer(Int64(summary)))
    }
}
