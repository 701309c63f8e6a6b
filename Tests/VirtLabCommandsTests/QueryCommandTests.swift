import Course
import Foundation
import SafeOutput
import Testing
import TestKit
import VirtLabTestSupport

/// `virtlab query` and the binary exports through the built binary: what a student types,
/// the exit status and the message they see.
struct QueryCommandTests {
    static func trace(_ dir: String) throws -> String {
        let yaml = "\(dir)/s.yaml", trace = "\(dir)/run.vlt"
        let show = try Fixtures.cli(["scenarios", "show", "disk-paravirtual"])
        try OutputFile.write(text: show.stdout.replacingOccurrences(of: "requests: 200000", with: "requests: 2000"), to: yaml)
        try expectEqual(Fixtures.cli(["run", yaml, "-o", trace, "--quiet"]).status, 0)
        return trace
    }

    @Test func queryPrintsRowsAndRefusesMistakes() throws {
        let dir = TestFixtures.folder("query")
        defer { removeTree(dir) }
        let trace = try Self.trace(dir)
        let ok = try Fixtures.cli(["query", trace, "SELECT reason, exits FROM exit_reasons ORDER BY reason", "--format", "csv", "--no-cache"])
        expectEqual(ok.status, 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("reason,exits\n"))
        expectContains(ok.stdout, "kick,")
        let bad = try Fixtures.cli(["query", trace, "SELECT * FORM results", "--no-cache"])
        expectEqual(bad.status, 2)
        expectContains(bad.stderr, "syntax error", "\(bad.stderr)")
        expectContains(bad.stderr, "SELECT * FORM results", "\(bad.stderr)")
        let write = try Fixtures.cli(["query", trace, "DELETE FROM results", "--no-cache"])
        expectEqual(write.status, 2)
        expectContains(write.stderr, "cannot change the database")
        let none = try Fixtures.cli(["query", trace])
        expectEqual(none.status, 2)
        try makeDirectory("\(dir)/empty")
        let empty = try Fixtures.cli(["query", "\(dir)/empty", "SELECT 1"])
        expectEqual(empty.status, 2)
        expectContains(empty.stderr, "no .vlt traces")
        // No temporary database is left behind.
        #expect(!directoryNames(dir).contains { $0.hasSuffix(".partial") || $0.hasSuffix(".sqlite") })
    }

}
