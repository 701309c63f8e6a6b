import Course
import Foundation
import SafeOutput
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import TraceFormat
@testable import VirtLabCommands
import Reports

struct SweepCommandTests {
    @Test func tooManyRunsIsRefusedBeforeAnythingRuns() throws {
        let out = TestFixtures.freshPath("max")
        let command = try SweepCommand.parse(["precopy-moderate", "--vary", "migration.workload.dirty_rate=1:100:11", "--max-runs", "10", "-o", out, "-q"])
        #expect(throws: (any Error).self) { try command.run() }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aSweepNeverOverwritesAUsersFilesOrAnotherSweep() throws {
        let dir = TestFixtures.folder("sweep")
        defer { removeTree(dir) }
        try makeDirectory("\(dir)/mine")
        try OutputFile.write(text: "<p>my page</p>", to: "\(dir)/mine/index.html")
        let args = ["sweep", "net-native", "--vary", "io.requests=200,400", "--quiet"]
        let r = try Fixtures.cli(args + ["-o", "\(dir)/mine"])
        expectEqual(r.status, 2, "\(r.stderr)")
        expectEqual(String(decoding: readFile("\(dir)/mine/index.html") ?? [], as: UTF8.self), "<p>my page</p>")
        // A sweep into its own folder twice is fine (the second skips the done runs); another plan is refused.
        try expectEqual(Fixtures.cli(args + ["-o", "\(dir)/s"]).status, 0)
        try expectEqual(Fixtures.cli(args + ["-o", "\(dir)/s"]).status, 0)
        let other = try Fixtures.cli(["sweep", "net-native", "--vary", "io.requests=300,500", "--quiet", "-o", "\(dir)/s"])
        expectEqual(other.status, 2)
        expectContains(other.stderr, "another sweep", "\(other.stderr)")
        try expectEqual(Fixtures.cli(["sweep", "net-native", "--vary", "io.requests=300,500", "--quiet", "-o", "\(dir)/s", "--force"]).status, 0)
    }

    @Test(arguments: [
        ["--vary", "memory.levels=nan:5:3"], ["--vary", "memory.levels=inf:5:3"], ["--vary", "memory.levels=1e300:5:3"],
        ["--vary", "memory.levels=-1e19:5:3"], ["--vary", "memory.workload.accesses=1:1e19:3"],
        ["--vary", "memory.levels=2,3", "--repeat", "9223372036854775807"], ["--vary", "memory.levels=2,3", "--repeat", "4611686018427387904"],
        ["--vary", "memory.workload.accesses=1000:100000000:100000", "--vary", "memory.workload.zipf_exponent=0.1:2:100000",
         "--vary", "memory.workload.write_fraction=0:1:100000", "--vary", "memory.guest_memory_mib=64:100000:100000"],
        ["--vary", "memory.levels=2,3", "--vary", "memory.levels=4"],
    ])
    func badSweepInputsAreLocatedErrorsNotTraps(_ extra: [String]) throws {
        let dir = TestFixtures.folder("axes")
        defer { removeTree(dir) }
        let r = try Fixtures.cli(["sweep", "tlb-thrash-native"] + extra + ["-o", "\(dir)/s", "--quiet"])
        expectEqual(r.status, 2, "\(extra): \(r.status) \(r.stderr)")
        #expect(r.stderr.hasPrefix("virtlab: error:") || r.stderr.contains("Error:"), "\(r.stderr)")
        #expect(!fileExists("\(dir)/s"), "a refused sweep wrote its folder")
    }

    @Test func aKeyVariedTwiceNamesBothPlaces() throws {
        let dir = TestFixtures.folder("twice")
        defer { removeTree(dir) }
        try OutputFile.write(text: "sweep:\n  scenario: tlb-thrash-native\n  vary:\n    - memory.levels=2,3\n", to: "\(dir)/s.yaml")
        let r = try Fixtures.cli(["sweep", "\(dir)/s.yaml", "--vary", "memory.levels=4", "-o", "\(dir)/out", "--quiet"])
        expectEqual(r.status, 2)
        expectContains(r.stderr, "s.yaml:4", "\(r.stderr)")
        expectContains(r.stderr, "--vary memory.levels=4", "\(r.stderr)")
        try OutputFile.write(text: "name: x\ntopic: memory\nmemory:\n  levels: 3\n  levels: 4\n", to: "\(dir)/d.yaml")
        let d = try Fixtures.cli(["run", "\(dir)/d.yaml", "-o", "\(dir)/d.vlt"])
        expectEqual(d.status, 2)
        expectContains(d.stderr, "lines 4, 5", "\(d.stderr)")
        #expect(!fileExists("\(dir)/d.vlt"))
    }

    @Test func reportHasAHeaderWithUnitsARowPerRunAndFigures() throws {
        let out = TestFixtures.freshPath("report")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try SweepCommand.parse(["precopy-moderate", "--vary", "migration.vm.memory_mib=96,128", "--vary", "migration.strategy=pre-copy,post-copy",
                                "--vary", "migration.workload.dirty_rate=1000,5000", "--repeat", "2", "-o", out, "-q"]).run()
        let csv = String(decoding: readFile("\(out)/results.csv")!, as: UTF8.self).split(separator: "\n")
        expectEqual(csv.count, 1 + 16)
        #expect(csv[0].hasPrefix("run,point,repetition,seed,migration.vm.memory_mib,migration.strategy,migration.workload.dirty_rate,total_time_ms [ms],downtime_ms [ms]"))
        let html = String(decoding: readFile("\(out)/index.html")!, as: UTF8.self)
        expectContains(html, "figures/downtime_ms.svg")
        #expect(FileManager.default.fileExists(atPath: "\(out)/figures/downtime_ms.png"))
        // Every numeric axis gets its own x; the choice axis only splits lines.
        expectContains(html, "figures/downtime_ms-by-dirty_rate.svg")
        expectLacks(html, "-by-strategy")
        expectContains(html, "strategy=pre-copy dirty_rate=1000.0")
    }

    @Test func emittedJobsRunWithGNUParallelAndCollectMatchesALocalSweep() throws {
        let local = TestFixtures.freshPath("local"), jobs = TestFixtures.freshPath("jobs")
        defer { try? FileManager.default.removeItem(atPath: local); try? FileManager.default.removeItem(atPath: jobs) }
        let args = ["precopy-moderate", "--vary", "migration.vm.memory_mib=96,128", "--vary", "migration.strategy=pre-copy,post-copy", "-q"]
        try SweepCommand.parse(args + ["-o", local]).run()
        try SweepCommand.parse(args + ["-o", jobs, "--emit-jobs", "\(jobs)/jobs.txt"]).run()
        let lines = String(decoding: readFile("\(jobs)/jobs.txt")!, as: UTF8.self).split(separator: "\n")
        expectEqual(lines.count, 4)
        let slurm = String(decoding: readFile("\(jobs)/jobs.txt.sbatch")!, as: UTF8.self)
        expectContains(slurm, "#SBATCH --array=1-4")
        expectContains(slurm, "SLURM_ARRAY_TASK_ID")
        // The job lines call this test binary's path; point them at the built virtlab instead.
        let exe = TestFixtures.virtlab()
        try #require(exe != nil, "no built virtlab next to the tests")
        let text = lines.map { line in exe! + " " + line.split(separator: " ", maxSplits: 1)[1] }.joined(separator: "\n") + "\n"
        try text.write(toFile: "\(jobs)/jobs.txt", atomically: true, encoding: .utf8)
        let parallel = ["/usr/bin/parallel", "/usr/local/bin/parallel"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: parallel ?? "/bin/sh")
        p.arguments = parallel != nil ? ["--will-cite", "-j", "2", "--halt", "now,fail=1"] : []
        p.standardInput = FileHandle(forReadingAtPath: "\(jobs)/jobs.txt")
        try p.run()
        p.waitUntilExit()
        expectEqual(p.terminationStatus, 0)
        try SweepCommand.parse(["--collect", jobs, "-q"]).run()
        let a = String(decoding: readFile("\(local)/results.csv")!, as: UTF8.self)
        let b = String(decoding: readFile("\(jobs)/results.csv")!, as: UTF8.self)
        expectEqual(a, b)
        #expect(FileManager.default.fileExists(atPath: "\(jobs)/index.html"))
    }

    @Test func collectWithMissingTracesSaysWhich() throws {
        let jobs = TestFixtures.freshPath("missing")
        defer { try? FileManager.default.removeItem(atPath: jobs) }
        try SweepCommand.parse(["precopy-moderate", "--vary", "migration.strategy=pre-copy,post-copy", "-o", jobs, "--emit-jobs", "\(jobs)/jobs.txt"]).run()
        do {
            try SweepCommand.parse(["--collect", jobs]).run()
            Issue.record("collect without traces succeeded")
        } catch {
            expectContains("\(error)", "p0000-r1.vlt")
        }
    }

    @Test(arguments: ["sweep-dirty-rate.yaml", "sweep-working-set.yaml", "sweep-io-load.yaml"])
    func shippedSweepFilesPlan(_ file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let path = "\(root)/Traces/scenarios/\(file)"
        let command = try SweepCommand.parse([path, "-o", "/nonexistent"])
        let plan = try command.makePlan()
        expectAtLeast(plan.runs.count, 24)
    }
}
