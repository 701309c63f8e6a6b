import Course
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import TraceFormat
import SafeOutput
import Testing
import TestKit
import VirtLabTestSupport
@testable import Reports
@testable import VirtLabCommands

/// Every figure says where it came from, and the command it names draws it again byte for byte.
struct ProvenanceCommandTests {
    static func provenance(_ file: String) throws -> [String: String] {
        let out = try Fixtures.cli(["provenance", file, "--json"])
        expectEqual(out.status, 0, "\(out.stderr)")
        return try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: String] ?? [:]
    }

    @Test func renderedFiguresRegenerateByteForByte() throws {
        let dir = TestFixtures.folder("provenance")
        defer { removeTree(dir) }
        let trace = try QueryCommandTests.trace(dir)
        let sha = try #require(Fixtures.cli(["query", trace, "SELECT 1", "--no-cache"]).status == 0 ? fileSHA(trace) : nil)
        for (format, extra) in [("png", ["--scale", "2"]), ("svg", ["--theme", "dark"]), ("pdf", ["--width", "640", "--height", "400"]),
                                ("png", ["--size", "paper-1col", "--dpi", "150"]), ("svg", ["--size", "89x60mm"])] {
            let name = "exits (\(format)).\(format)"
            try expectEqual(TestFixtures.shell("virtlab render run.vlt --chart exit-reasons --format \(format) \(extra.joined(separator: " ")) -o '\(name)' >/dev/null", in: dir), 0)
            let p = try Self.provenance("\(dir)/\(name)")
            expectEqual(p["generator"]?.hasPrefix("VirtLab "), true)
            expectEqual(p["scenario"], "disk-paravirtual")
            expectEqual(p["seed"], "1")
            expectEqual(p["trace_sha256"], sha)
            let command = try #require(p["command"])
            expectContains(command, "--format \(format)", "\(command)")
            #expect(command.contains(extra.joined(separator: " ")), "\(command)")
            let original = readFile("\(dir)/\(name)")
            unlink("\(dir)/\(name)")
            try expectEqual(TestFixtures.shell(command + " >/dev/null", in: dir), 0, "\(command)")
            expectEqual(readFile("\(dir)/\(name)"), original, "\(format): the regenerate command wrote other bytes")
        }
        let none = try Fixtures.cli(["provenance", trace])
        expectEqual(none.status, 2)
        expectContains(none.stderr, "no VirtLab provenance")
    }

    /// A report's figures name the render command of their trace; run, it rewrites each file identically.
    @Test func reportFiguresRegenerateByteForByte() throws {
        let dir = TestFixtures.folder("provenance-report")
        defer { removeTree(dir) }
        _ = try QueryCommandTests.trace(dir)
        try expectEqual(TestFixtures.shell("virtlab report run.vlt -o site >/dev/null", in: dir), 0)
        let figures = directoryNames("\(dir)/site/figures").filter { !$0.hasPrefix(".") }.sorted()
        expectAtLeast(figures.count, 4)
        for f in figures {
            let p = try Self.provenance("\(dir)/site/figures/\(f)")
            let command = try #require(p["command"], "\(f)")
            #expect(command.hasPrefix("virtlab render run.vlt --chart "), "\(f): \(command)")
            let original = readFile("\(dir)/site/figures/\(f)")
            try expectEqual(TestFixtures.shell(command + " >/dev/null", in: dir), 0)
            expectEqual(readFile("\(dir)/site/figures/\(f)"), original, "\(f)")
        }
    }

    func fileSHA(_ path: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init)
    }
}
