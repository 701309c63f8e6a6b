import Course
import Analysis
import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import SafeOutput
import TraceFormat
import Charts
@testable import VirtLabCommands
import Reports

struct RunCommandTests {
    @Test func showRunInspectPipelineWorks() throws {
        // `scenarios show NAME > s.yaml && run s.yaml -o t.vlt && inspect t.vlt --json`
        let yamlPath = "\(Fixtures.dir)/virtlab-show-\(UUID().uuidString).yaml"
        let trace = Fixtures.tracePath("pipe")
        defer { unlink(yamlPath); unlink(trace) }
        try Preset.named("compute-bound-shadow")!.yaml.write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let run = try RunCommand.parse([yamlPath, "-o", trace, "--quiet", "--seed", "11"])
        try run.run()
        let reader = try TraceReader(path: trace)
        expectEqual(reader.header.seed, 11)
        expectEqual(reader.header[metadata: "scenario"], Preset.named("compute-bound-shadow")!.yaml)
        let (stats, report) = try TraceStatistics.gather(reader)
        let json = InspectCommand.json(reader, stats, report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["format_version", "events", "span_ns", "counts", "metrics", "exit_reasons"] { #expect(object[key] != nil, "\(key)") }
        expectEqual(object["events"] as? Int, Int(stats.events))
        let metrics = try #require(object["metrics"] as? [String: [String: Any]])
        expectEqual(metrics["accesses"]?["value"] as? Int, 4_000_000)
        expectEqual(metrics["accesses"]?["unit"] as? String, "count")
        let text = InspectCommand.text(reader, stats, report)
        expectContains(text, "page_fault")
        expectContains(text, "tlb_hit_rate")
    }

    @Test func badScenarioWritesNoTrace() throws {
        let yamlPath = "\(Fixtures.dir)/virtlab-bad-\(UUID().uuidString).yaml"
        let trace = Fixtures.tracePath("never")
        defer { unlink(yamlPath) }
        try "name: x\ntopic: memory\nmemory:\n  levels: 9\n".write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let run = try RunCommand.parse([yamlPath, "-o", trace, "--quiet"])
        #expect(throws: ScenarioError.self) { try run.run() }
        #expect(!FileManager.default.fileExists(atPath: trace))
        expectEqual(VirtLabCLI.describe(ScenarioError(source: "x", "y"))?.1, 2)
    }

    @Test func aRunThatFillsTheDiskFailsAndLeavesNothing() throws {
        let dir = TestFixtures.folder("tmpfs")
        defer { removeTree(dir) }
        guard getuid() == 0, system("mount -t tmpfs -o size=256k virtlab-run-test \(dir) 2>/dev/null") == 0 else {
            print("skipped: cannot mount a small tmpfs here")
            return
        }
        defer { _ = system("umount \(dir)") }
        let refused = try Fixtures.cli(["run", "tlb-thrash-nested", "-o", "\(dir)/t.vlt", "--quiet"])
        expectEqual(refused.status, 2, "\(refused.stderr)")
        expectContains(refused.stderr, "would not fit", "\(refused.stderr)")
        let run = try Fixtures.cli(["run", "tlb-thrash-nested", "-o", "\(dir)/t.vlt", "--quiet", "--yes"])
        expectEqual(run.status, 1, "run: \(run.status) \(run.stderr)")
        expectContains(run.stderr, "No space left", "\(run.stderr)")
        #expect(directoryNames(dir).isEmpty, "\(directoryNames(dir))")
        // Nearly full: a small PDF no longer fits (it used to be reported written, truncated).
        _ = system("dd if=/dev/zero of=\(dir)/fill bs=1k count=254 2>/dev/null")
        let pdf = try Fixtures.cli(["render", "--chart", "2d-walk", "--format", "pdf", "-o", "\(dir)/walk.pdf"])
        expectEqual(pdf.status, 1, "render: \(pdf.status) \(pdf.stderr)")
        expectEqual(directoryNames(dir), ["fill"], "\(directoryNames(dir))")
    }

    @Test func aLargeRunIsAnnouncedAndNeedsYes() throws {
        let dir = TestFixtures.folder("large")
        defer { removeTree(dir) }
        let yaml = Preset.named("net-native")!.yaml.replacingOccurrences(of: "requests: 200000", with: "requests: 100000000")
        try OutputFile.write(text: yaml, to: "\(dir)/big.yaml")
        let r = try Fixtures.cli(["run", "\(dir)/big.yaml", "-o", "\(dir)/big.vlt"])
        expectEqual(r.status, 2)
        expectContains(r.stderr, "--yes", "\(r.stderr)")
        expectContains(r.stderr, "io.requests", "\(r.stderr)")
        expectContains(r.stderr, "events", "\(r.stderr)")
        expectEqual(directoryNames(dir), ["big.yaml"])
        let sweep = try Fixtures.cli(["sweep", "\(dir)/big.yaml", "--vary", "io.approach=native,emulation", "-o", "\(dir)/s"])
        expectEqual(sweep.status, 2, "\(sweep.stderr)")
        #expect(!fileExists("\(dir)/s"))
    }

    @Test func aKilledRunLeavesNoPartialTraceBehindForLong() throws {
        let exe = try #require(TestFixtures.virtlab())
        let dir = TestFixtures.folder("killed-run")
        defer { removeTree(dir) }
        func start() throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["run", "tlb-thrash-nested", "-o", "\(dir)/t.vlt", "--quiet", "--yes"]
            try p.run()
            // Until the run has a partial trace of some size.
            for _ in 0..<2_000 {
                if let name = directoryNames(dir).first(where: { $0.hasSuffix(".partial") }), (regularFileSize("\(dir)/\(name)") ?? 0) > 0 { break }
                usleep(5_000)
            }
            return p
        }
        // SIGTERM (and Ctrl-C): the run removes its own partial file before it dies.
        let term = try start()
        #expect(directoryNames(dir).contains { $0.hasSuffix(".partial") }, "the run never started writing")
        kill(term.processIdentifier, SIGTERM)
        term.waitUntilExit()
        expectEqual(term.terminationReason, .uncaughtSignal)
        #expect(directoryNames(dir).isEmpty, "\(directoryNames(dir))")
        // SIGKILL cannot be caught: the partial file stays until the next write into the folder.
        let killed = try start()
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        expectEqual(directoryNames(dir).count, 1)
        let next = try Fixtures.cli(["scenarios", "show", "net-native"], stdoutPath: nil)
        expectEqual(next.status, 0)
        try OutputFile.write(text: next.stdout, to: "\(dir)/s.yaml")
        expectEqual(directoryNames(dir), ["s.yaml"], "\(directoryNames(dir))")
    }
}
