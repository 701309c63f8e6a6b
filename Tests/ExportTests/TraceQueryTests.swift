import Vocabulary
import Foundation
import Testing
import TestKit
@testable import Export
import SafeOutput
@testable import Simulation
@testable import TraceFormat

struct TraceQueryTests {
    /// Runs a query and returns its CSV output.
    static func csv(_ sql: String, _ db: String) throws -> String {
        let out = SampleTraces.scratch("csv")
        defer { unlink(out) }
        try OutputFile.writing(out) { f in
            let o = FileHandleOutput(f)
            try TraceQuery.run(sql, database: db, format: .csv, to: o)
            try o.flush()
        }
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    /// A folder of runs (as a sweep writes them): one row group per run, each with that run's count.
    @Test func aFolderOfTracesGivesOneRowGroupPerRun() throws {
        let dir = SampleTraces.folder + "/sweep-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        var counts: [String: UInt64] = [:]
        for seed: UInt64 in [3, 4, 5] {
            let t = try SampleTraces.trace("fork-heavy-shadow", seed: seed, in: dir)
            counts[String(t.split(separator: "/").last!.dropLast(4))] = try TraceReader(path: t).summary!.first { $0.name == "vm_exits" }.map { UInt64($0.value) }
        }
        let inputs = try TraceQuery.inputs([dir])
        expectEqual(inputs.map(\.run), ["fork-heavy-shadow-s3", "fork-heavy-shadow-s4", "fork-heavy-shadow-s5"])
        let sql = "SELECT run, COUNT(*) AS exits FROM vm_exit GROUP BY run ORDER BY run"
        let db = try TraceQuery.database(for: inputs, sql: sql, salvage: false, useCache: false)
        defer { unlink(db.path) }
        #expect(db.temporary)
        let text = try Self.csv(sql, db.path)
        let lines = text.split(separator: "\n").map(String.init)
        expectEqual(lines.first, "run,exits")
        expectEqual(lines.count, 4)
        for line in lines.dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            expectEqual(UInt64(f[1]), counts[f[0]], "\(line)")
        }
        // Each run's row carries its own seed (the grouping is by trace, not by accident).
        try expectEqual(Self.csv("SELECT run, seed FROM runs ORDER BY run", db.path), "run,seed\nfork-heavy-shadow-s3,3\nfork-heavy-shadow-s4,4\nfork-heavy-shadow-s5,5\n")
    }

    /// The cache: the same traces reuse the database; a changed trace builds a new one; a
    /// database whose stored key disagrees is never used.
    @Test func theCacheFollowsTheTracesBytes() throws {
        let dir = SampleTraces.folder + "/cache-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        // The cache folder is given, not set in the environment (tests run in parallel in one process).
        let cache = dir + "/cache/query"
        let trace = dir + "/run.vlt"
        try FileManager.default.copyItem(atPath: try SampleTraces.trace("fork-heavy-shadow", seed: 3), toPath: trace)
        let first = try TraceQuery.database(for: try TraceQuery.inputs([trace]), sql: "SELECT seed FROM runs", salvage: false, useCache: true, cache: cache)
        #expect(!first.temporary)
        #expect(first.path.hasPrefix(dir + "/cache/query/"))
        var st = stat()
        stat(first.path, &st)
        let built = st.st_ino
        let again = try TraceQuery.database(for: try TraceQuery.inputs([trace]), sql: "SELECT seed FROM runs", salvage: false, useCache: true, cache: cache)
        expectEqual(again.path, first.path)
        stat(again.path, &st)
        expectEqual(st.st_ino, built, "the second query rebuilt the database")
        // Same name, other bytes: another database, with the other run's numbers.
        unlink(trace)
        try FileManager.default.copyItem(atPath: try SampleTraces.trace("fork-heavy-shadow", seed: 4), toPath: trace)
        let changed = try TraceQuery.database(for: try TraceQuery.inputs([trace]), sql: "SELECT seed FROM runs", salvage: false, useCache: true, cache: cache)
        #expect(changed.path != first.path)
        let seed = try Self.csv("SELECT seed FROM runs", changed.path)
        expectEqual(seed, "seed\n4\n")
        // A database whose key was tampered with is rebuilt, not trusted.
        let rw = try SQLiteDatabase(path: changed.path, readOnly: false)
        try rw.execute("UPDATE cache_key SET key = 'something else'")
        let rebuilt = try TraceQuery.database(for: try TraceQuery.inputs([trace]), sql: "SELECT seed FROM runs", salvage: false, useCache: true, cache: cache)
        try expectEqual(TraceQuery.storedKey(rebuilt.path), try TraceQuery.cacheKey(try TraceQuery.inputs([trace]), salvage: false))
    }

    @Test func invalidSQLIsTheUsersMistakeWithTheEnginesMessage() throws {
        let db = try TraceQuery.database(for: try TraceQuery.inputs([try SampleTraces.trace("precopy-busy")]), sql: "SELECT * FROM results", salvage: false, useCache: false)
        defer { unlink(db.path) }
        #expect { try Self.csv("SELEC * FROM results", db.path) } throws: { e in
            guard case let .badInput(m) = e as? ExportError else { return false }
            return m.contains("syntax error") && m.contains("SELEC * FROM results")
        }
        #expect { try Self.csv("SELECT nosuch FROM results", db.path) } throws: { e in
            guard case let .badInput(m) = e as? ExportError else { return false }
            return m.contains("no such column: nosuch")
        }
        for write in ["DELETE FROM results", "DROP TABLE results", "CREATE TABLE x (a)", "INSERT INTO results VALUES ('a','b',1,'c')"] {
            #expect(throws: ExportError.self, "\(write)") { try Self.csv(write, db.path) }
        }
        #expect { try Self.csv("ATTACH 'x.db' AS x", db.path) } throws: { e in
            guard case let .badInput(m) = e as? ExportError else { return false }
            return m.contains("ATTACH is not allowed")
        }
        // Nothing was changed.
        try expectEqual(Self.csv("SELECT COUNT(*) > 0 FROM results", db.path), "COUNT(*) > 0\n1\n")
    }

    /// A query loads only the kinds it reads; a later query that reads another kind rebuilds
    /// the cached database with both; invalid SQL is refused before anything is loaded.
    @Test func onlyTheKindsAQueryReadsAreLoaded() throws {
        let dir = SampleTraces.folder + "/kinds-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        // The cache folder is given, not set in the environment (tests run in parallel in one process).
        let cache = dir + "/cache/query"
        let inputs = try TraceQuery.inputs([try SampleTraces.trace("net-paravirtual")])
        try expectEqual(TraceQuery.kindsRead(by: "SELECT COUNT(*) FROM io_request", inputs: inputs, salvage: false), ["io_request"])
        try expectEqual(TraceQuery.kindsRead(by: "SELECT * FROM exit_reasons", inputs: inputs, salvage: false), ["vm_exit"])
        try expectEqual(TraceQuery.kindsRead(by: "SELECT metric FROM results", inputs: inputs, salvage: false), [])
        try expectEqual(TraceQuery.kindsRead(by: "WITH x AS (SELECT time_ns FROM vm_exit) SELECT (SELECT COUNT(*) FROM ring_notify), COUNT(*) FROM x",
                                             inputs: inputs, salvage: false), ["vm_exit", "ring_notify"])
        let one = try TraceQuery.database(for: inputs, sql: "SELECT COUNT(*) FROM io_request", salvage: false, useCache: true, cache: cache)
        try expectEqual(TraceQuery.loadedKinds(one.path), ["io_request"])
        let reader = try TraceReader(path: inputs[0].path)
        var exits = 0, requests = 0
        try reader.scan { e in
            let name = reader.header.schema.kinds[e.position].name
            if name == "vm_exit" { exits += 1 } else if name == "io_request" { requests += 1 }
        }
        try expectEqual(Self.csv("SELECT COUNT(*) FROM io_request", one.path), "COUNT(*)\n\(requests)\n")
        let both = try TraceQuery.database(for: inputs, sql: "SELECT COUNT(*) FROM vm_exit", salvage: false, useCache: true, cache: cache)
        expectEqual(both.path, one.path)
        try expectEqual(TraceQuery.loadedKinds(both.path), ["io_request", "vm_exit"])
        #expect(try Self.csv("SELECT (SELECT COUNT(*) FROM vm_exit), (SELECT COUNT(*) FROM io_request)", both.path).hasSuffix("\n\(exits),\(requests)\n"))
        expectGreater(exits, 0)
        expectGreater(requests, 0)
        // Mistakes are found on the schema alone, and nothing is built for them.
        removeTree(dir + "/cache")
        #expect(throws: ExportError.self) { try TraceQuery.database(for: inputs, sql: "SELECT nosuch FROM vm_exit", salvage: false, useCache: true, cache: cache) }
        #expect(throws: ExportError.self) { try TraceQuery.database(for: inputs, sql: "SELECT 1; DROP TABLE results", salvage: false, useCache: true, cache: cache) }
        #expect(throws: ExportError.self) { try TraceQuery.database(for: inputs, sql: "DELETE FROM vm_exit", salvage: false, useCache: true, cache: cache) }
        #expect(directoryNames(dir + "/cache/query").isEmpty)
    }

    @Test func badInputsAreNamed() throws {
        let empty = SampleTraces.folder + "/empty-\(UUID().uuidString)"
        try makeDirectory(empty)
        defer { removeTree(empty) }
        #expect(throws: ExportError.badInput("\(empty) is a folder with no .vlt traces in it; name traces or a sweep folder")) { try TraceQuery.inputs([empty]) }
        #expect(throws: ExportError.badInput("/nonexistent.vlt: no such trace or folder")) { try TraceQuery.inputs(["/nonexistent.vlt"]) }
        // Two traces of one name from different folders keep their paths as run names.
        let a = try SampleTraces.trace("precopy-busy")
        let other = SampleTraces.folder + "/other-\(UUID().uuidString)"
        try makeDirectory(other)
        defer { removeTree(other) }
        try FileManager.default.copyItem(atPath: a, toPath: other + "/precopy-busy.vlt")
        try expectEqual(TraceQuery.inputs([a, other + "/precopy-busy.vlt"]).map(\.run), [a, other + "/precopy-busy.vlt"])
    }

    /// A damaged trace: the reader's offset error, and nothing left under the output name;
    /// with salvage the intact blocks are exported.
    @Test func aDamagedTraceFailsCleanlyOrIsSalvaged() throws {
        let good = try SampleTraces.trace("net-paravirtual", large: true)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: good)))
        let reader = try TraceReader(path: good)
        try #require(reader.footer!.blocks.count >= 3)
        let second = reader.footer!.blocks[1].offset
        bytes[Int(second) + 60] ^= 0xFF // inside the second block's payload
        let dir = SampleTraces.folder + "/damaged-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        let bad = dir + "/bad.vlt"
        try OutputFile.write(bytes, to: bad)
        let db = dir + "/bad.db"
        #expect(throws: TraceError.self) { try TraceQuery.build(try TraceQuery.inputs([bad]), salvage: false, key: nil, to: db) }
        #expect(!FileManager.default.fileExists(atPath: db))
        expectEqual(directoryNames(dir), ["bad.vlt"])
        try TraceQuery.build(try TraceQuery.inputs([bad]), salvage: true, key: nil, to: db)
        defer { unlink(db) }
        let n = try TraceQueryTests.csv("SELECT SUM(events) FROM kinds", db).split(separator: "\n").last.flatMap { UInt64($0) }
        #expect(n != nil && n! > 0 && n! < reader.footer!.totalEvents)
    }

    /// Table output aligns columns and right-aligns numbers; JSON output parses with the types kept.
    @Test func tableAndJSONFormats() throws {
        let db = try TraceQuery.database(for: try TraceQuery.inputs([try SampleTraces.trace("net-paravirtual")]), sql: "SELECT * FROM exit_reasons", salvage: false, useCache: false)
        defer { unlink(db.path) }
        func run(_ format: TraceQuery.Format, _ sql: String) throws -> String {
            let out = SampleTraces.scratch("txt")
            defer { unlink(out) }
            try OutputFile.writing(out) { f in
                let o = FileHandleOutput(f)
                try TraceQuery.run(sql, database: db.path, format: format, to: o)
                try o.flush()
            }
            return try String(contentsOfFile: out, encoding: .utf8)
        }
        let sql = "SELECT reason, exits, mean_ns FROM exit_reasons ORDER BY reason"
        let table = try run(.table, sql).split(separator: "\n").map(String.init)
        #expect(table[0].hasPrefix("reason"))
        #expect(table[1].allSatisfy { $0 == "-" || $0 == " " })
        let widths: Set<Int> = Set(table[2..<(table.count - 1)].map { (row: String) -> Int in row.count })
        expectEqual(widths.count, 1, "rows are not aligned: \(table)")
        #expect(table.last!.hasPrefix("("))
        expectContains(table.last!, "rows")
        let json = try JSONSerialization.jsonObject(with: Data(try run(.json, sql).utf8)) as! [[String: Any]]
        expectEqual(json.count, table.count - 3)
        for row in json { #expect(row["reason"] is String && row["exits"] is NSNumber) }
        try expectEqual(run(.json, "SELECT 1 WHERE 0"), "[]\n")
    }
}
