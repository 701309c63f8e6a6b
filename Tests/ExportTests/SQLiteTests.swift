import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Export

/// The thin SQLite layer: values in and out with their types, unsigned values past Int64 kept
/// as reals, read-only connections that cannot write or attach, errors that quote the statement.
struct SQLiteTests {
    static func scratch() -> String { NSTemporaryDirectory() + "virtlab-sqlite-\(UUID().uuidString).db" }

    @Test func valuesRoundTripWithTheirTypes() throws {
        let path = Self.scratch()
        defer { unlink(path) }
        let db = try SQLiteDatabase(path: path, readOnly: false)
        try db.execute("CREATE TABLE t (a, b, c, d, e)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        insert.bind(unsigned: 42, at: 1)
        insert.bind(unsigned: UInt64.max, at: 2)
        insert.bind(double: -2.5, at: 3)
        insert.bind(text: "ünï 'quoted'", at: 4)
        insert.bindNull(at: 5)
        try expectEqual(insert.step(), false)
        let select = try db.prepare("SELECT a, b, c, d, e FROM t")
        #expect(select.isReadOnly)
        #expect(!insert.isReadOnly)
        #expect(try select.step())
        expectEqual(select.columnCount, 5)
        expectEqual(select.columnName(3), "d")
        expectEqual(select.value(0), .integer(42))
        expectEqual(select.value(1), .real(Double(UInt64.max)), "2^64 − 1 does not fit an SQLite integer")
        expectEqual(select.value(2), .real(-2.5))
        expectEqual(select.value(3), .text("ünï 'quoted'"))
        expectEqual(select.value(4), .null)
        try expectEqual(select.step(), false)
    }

    @Test func aReadOnlyConnectionNeitherWritesNorAttaches() throws {
        let path = Self.scratch()
        defer { unlink(path) }
        try SQLiteDatabase(path: path, readOnly: false).execute("CREATE TABLE t (a)")
        let db = try SQLiteDatabase(path: path, readOnly: true)
        for sql in ["INSERT INTO t VALUES (1)", "ATTACH DATABASE '\(path)-other' AS o"] {
            do {
                try db.prepare(sql).step()
                Issue.record("\(sql) ran on a read-only connection")
            } catch let e as ExportError {
                guard case .badInput = e else { Issue.record("\(e) is not bad input"); continue }
                expectContains(e.description, "in: \(sql)", "\(e)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-other"))
        #expect(try db.hasTable("t") && !db.hasTable("u"))
    }

    @Test func badStatementsAreBadInputQuotingTheStatement() throws {
        let db = try SQLiteDatabase(path: ":memory:", readOnly: false)
        do {
            _ = try db.prepare("SELEC 1")
            Issue.record("a typo was prepared")
        } catch let e as ExportError {
            #expect(e.description.hasPrefix("SQL: "), "\(e)")
            expectContains(e.description, "in: SELEC 1", "\(e)")
        }
        #expect(throws: ExportError.self) { try SQLiteDatabase(path: "/nonexistent/dir/x.db", readOnly: true) }
        do {
            _ = try db.prepare("SELECT 1; DROP TABLE t")
            Issue.record("a second statement was ignored silently")
        } catch let e as ExportError {
            expectContains(e.description, "one statement at a time")
        }
    }

    /// The tables a query reads come from its compiled program: joins, subqueries and counts.
    @Test func theTablesAQueryReadsAreFound() throws {
        let db = try SQLiteDatabase(path: ":memory:", readOnly: false)
        try db.execute("CREATE TABLE a (x); CREATE TABLE b (y); CREATE TABLE c (z)")
        try expectEqual(db.tablesRead(by: "SELECT count(*) FROM a"), ["a"])
        try expectEqual(db.tablesRead(by: "SELECT x FROM a WHERE x IN (SELECT y FROM b)"), ["a", "b"])
        try expectEqual(db.tablesRead(by: "SELECT 1"), [])
    }
}
