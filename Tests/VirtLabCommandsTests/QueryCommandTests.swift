import Course
import Foundation
import SafeOutput
import Testing

/// `virtlab query` and the binary exports through the built binary: what a student types,
/// the exit status and the message they see.
@Suite struct QueryCommandTests {
    static func trace(_ dir: String) throws -> String {
        let yaml = "\(dir)/s.yaml", trace = "\(dir)/run.vlt"
        let show = try ReliabilityTests.cli(["scenarios", "show", "disk-paravirtual"])
        try OutputFile.write(text: show.stdout.replacingOccurrences(of: "requests: 200000", with: "requests: 2000"), to: yaml)
        #expect(try ReliabilityTests.cli(["run", yaml, "-o", trace, "--quiet"]).status == 0)
        return trace
    }

    @Test func queryPrintsRowsAndRefusesMistakes() throws {
        let dir = ReliabilityTests.folder("query")
        defer { removeTree(dir) }
        let trace = try Self.trace(dir)
        let ok = try ReliabilityTests.cli(["query", trace, "SELECT reason, exits FROM exit_reasons ORDER BY reason", "--format", "csv", "--no-cache"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("reason,exits\n"))
        #expect(ok.stdout.contains("kick,"))
        let bad = try ReliabilityTests.cli(["query", trace, "SELECT * FORM results", "--no-cache"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("syntax error") && bad.stderr.contains("SELECT * FORM results"), "\(bad.stderr)")
        let write = try ReliabilityTests.cli(["query", trace, "DELETE FROM results", "--no-cache"])
        #expect(write.status == 2)
        #expect(write.stderr.contains("cannot change the database"))
        let none = try ReliabilityTests.cli(["query", trace])
        #expect(none.status == 2)
        try makeDirectory("\(dir)/empty")
        let empty = try ReliabilityTests.cli(["query", "\(dir)/empty", "SELECT 1"])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no .vlt traces"))
        // No temporary database is left behind.
        #expect(!directoryNames(dir).contains { $0.hasSuffix(".partial") || $0.hasSuffix(".sqlite") })
    }

    @Test func exportSQLiteIsAFileAndNothingIsHalfWritten() throws {
        let dir = ReliabilityTests.folder("export-sqlite")
        defer { removeTree(dir) }
        let trace = try Self.trace(dir)
        let toStdout = try ReliabilityTests.cli(["export", trace, "--format", "sqlite"])
        #expect(toStdout.status == 2)
        #expect(toStdout.stderr.contains("-o FILE.db"))
        let db = "\(dir)/run.db"
        #expect(try ReliabilityTests.cli(["export", trace, "--format", "sqlite", "-o", db]).status == 0)
        #expect(fileExists(db))
        // A trace cut short: the reader's offset error, and no database.
        let bytes = readFile(trace)!
        try OutputFile.write(Array(bytes.prefix(bytes.count / 2)), to: "\(dir)/cut.vlt")
        let cut = try ReliabilityTests.cli(["export", "\(dir)/cut.vlt", "--format", "sqlite", "-o", "\(dir)/cut.db"])
        #expect(cut.status == 2)
        #expect(cut.stderr.contains("byte") || cut.stderr.contains("offset"), "\(cut.stderr)")
        #expect(!fileExists("\(dir)/cut.db"))
        #expect(!directoryNames(dir).contains { $0.hasSuffix(".partial") })
        // --salvage exports what is intact.
        #expect(try ReliabilityTests.cli(["export", "\(dir)/cut.vlt", "--format", "sqlite", "--salvage", "-o", "\(dir)/cut.db"]).status == 0)
        let unknown = try ReliabilityTests.cli(["export", trace, "--format", "npz", "--kind", "page_fault", "-o", "\(dir)/x.npz"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("vm_exit"), "the message lists the kinds there are")
    }
}
