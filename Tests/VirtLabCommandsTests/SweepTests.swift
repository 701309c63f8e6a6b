import Course
import Vocabulary
import Foundation
import Simulation
import SafeOutput
import Testing
import TraceFormat
@testable import VirtLabCommands
import Reports
import Charts

@Suite struct SweepTests {
    static let dir = FileManager.default.temporaryDirectory.path

    /// A 64 MiB pre-copy migration: a run takes milliseconds.
    static func base() throws -> Scenario {
        let yaml = Preset.named("precopy-moderate")!.yaml
            .replacingOccurrences(of: "memory_mib: 2048", with: "memory_mib: 64")
            .replacingOccurrences(of: "hot_pages: 16384", with: "hot_pages: 1024")
        return try ScenarioDecoder.decode(text: yaml, source: "sweep-test")
    }

    static func plan(repeats: Int = 2) throws -> SweepPlan {
        let b = try base()
        return try SweepPlan(base: b, axes: [try SweepPlan.axis("migration.workload.dirty_rate=1000:20000:3", topic: b.topic),
                                             try SweepPlan.axis("migration.strategy=pre-copy,post-copy", topic: b.topic)],
                             repeats: repeats)
    }

    static func folder(_ tag: String) -> String { "\(dir)/virtlab-sweep-\(tag)-\(UUID().uuidString)" }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func axesParseListsRangesAndLogRanges() throws {
        let t = Topic.migration
        #expect(try SweepPlan.axis("migration.strategy=pre-copy, post-copy", topic: t).values == [.text("pre-copy"), .text("post-copy")])
        let lin = try SweepPlan.axis("migration.workload.dirty_rate=0:1:5", topic: t)
        #expect(lin.values == [.real(0), .real(0.25), .real(0.5), .real(0.75), .real(1)])
        #expect(!lin.logarithmic)
        let log = try SweepPlan.axis("migration.workload.dirty_rate=1000:100000:3:log", topic: t)
        #expect(log.values == [.real(1000), .real(10000), .real(100000)])
        #expect(log.logarithmic)
        // Log steps are rounded to three significant digits; integer keys to whole numbers.
        #expect(try SweepPlan.axis("migration.workload.dirty_rate=1000:40000:8:log", topic: t).values[1] == .real(1690))
        #expect(try SweepPlan.axis("migration.vm.memory_mib=16:64:3", topic: t).values == [.integer(16), .integer(40), .integer(64)])
    }

    @Test(arguments: [
        ("migration.nope=1,2", "not a key"),
        ("migration.workload.dirty_rate=fast", "number"),
        ("migration.vm.memory_mib=0,16", "from 1"),
        ("migration.strategy=teleport", "one of"),
        ("migration.workload.dirty_rate=1:10:0", "1–100000 steps"),
        ("migration.workload.dirty_rate=0:10:3:log", "above 0"),
        ("migration.workload.dirty_rate", "KEY="),
        ("migration.workload.dirty_rate=", "no values"),
    ])
    func badAxesAreClearErrors(_ text: String, _ expected: String) {
        do {
            _ = try SweepPlan.axis(text, topic: .migration)
            Issue.record("\(text) was accepted")
        } catch {
            #expect("\(error)".contains(expected), "\(text): \(error)")
        }
    }

    @Test func tooManyRunsIsRefusedBeforeAnythingRuns() throws {
        let b = try Self.base()
        let axis = try SweepPlan.axis("migration.workload.dirty_rate=1:100:101", topic: b.topic)
        #expect(throws: ScenarioError.self) { try SweepPlan(base: b, axes: [axis], repeats: 100) }
        let out = Self.folder("max")
        let command = try SweepCommand.parse(["precopy-moderate", "--vary", "migration.workload.dirty_rate=1:100:11", "--max-runs", "10", "-o", out, "-q"])
        #expect(throws: (any Error).self) { try command.run() }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func seedsDependOnThePointNotTheOrder() throws {
        let p = try Self.plan()
        #expect(Set(p.runs.map(\.seed)).count == p.runs.count)
        let b = try Self.base()
        let swapped = try SweepPlan(base: b, axes: [try SweepPlan.axis("migration.workload.dirty_rate=20000,10500,1000", topic: b.topic),
                                                     try SweepPlan.axis("migration.strategy=post-copy,pre-copy", topic: b.topic)], repeats: 2)
        for run in p.runs {
            let label = run.parameters.map { "\($0.key)=\($0.value)" }.joined()
            let twin = swapped.runs.first { r in r.repetition == run.repetition && r.parameters.map { "\($0.key)=\($0.value)" }.joined() == label }
            #expect(twin?.seed == run.seed)
        }
    }

    @Test func oneAndTwoThreadsWriteIdenticalTracesAndResumeSkipsVerifiedRuns() throws {
        let p = try Self.plan()
        let one = Self.folder("t1"), two = Self.folder("t2")
        defer { try? FileManager.default.removeItem(atPath: one); try? FileManager.default.removeItem(atPath: two) }
        for d in [one, two] { try makeDirectory(d) }
        let r1 = try Sweeps.execute(p, dir: one, threads: 1, quiet: true)
        let r2 = try Sweeps.execute(p, dir: two, threads: 2, quiet: true)
        #expect(r1.map { $0.map(\.value) } == r2.map { $0.map(\.value) })
        for run in p.runs {
            #expect(Self.bytes("\(one)/\(run.traceName)") == Self.bytes("\(two)/\(run.traceName)"), "\(run.traceName)")
        }
        // Resume: a verified trace is reused as is; a truncated one is rerun and comes back whole.
        let kept = "\(one)/\(p.runs[0].traceName)", damaged = "\(one)/\(p.runs[1].traceName)"
        let original = Self.bytes(damaged)!
        #expect(Sweeps.verified(kept, seed: p.runs[0].seed, text: p.runs[0].scenario.text) != nil)
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: damaged))
        #expect(Sweeps.verified(damaged, seed: p.runs[1].seed, text: p.runs[1].scenario.text) == nil)
        // A trace of another run under this name does not count either.
        #expect(Sweeps.verified(kept, seed: p.runs[1].seed, text: p.runs[1].scenario.text) == nil)
        let before = try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date
        _ = try Sweeps.execute(p, dir: one, threads: 2, quiet: true)
        #expect(Self.bytes(damaged) == original)
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date == before)
    }

    @Test func reportHasAHeaderWithUnitsARowPerRunAndFigures() throws {
        let out = Self.folder("report")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try SweepCommand.parse(["precopy-moderate", "--vary", "migration.vm.memory_mib=96,128", "--vary", "migration.strategy=pre-copy,post-copy",
                                "--vary", "migration.workload.dirty_rate=1000,5000", "--repeat", "2", "-o", out, "-q"]).run()
        let csv = String(decoding: Self.bytes("\(out)/results.csv")!, as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 1 + 16)
        #expect(csv[0].hasPrefix("run,point,repetition,seed,migration.vm.memory_mib,migration.strategy,migration.workload.dirty_rate,total_time_ms [ms],downtime_ms [ms]"))
        let html = String(decoding: Self.bytes("\(out)/index.html")!, as: UTF8.self)
        #expect(html.contains("figures/downtime_ms.svg"))
        #expect(FileManager.default.fileExists(atPath: "\(out)/figures/downtime_ms.png"))
        // Every numeric axis gets its own x; the choice axis only splits lines.
        #expect(html.contains("figures/downtime_ms-by-dirty_rate.svg"))
        #expect(!html.contains("-by-strategy"))
        #expect(html.contains("strategy=pre-copy dirty_rate=1000.0"))
    }

    /// A figure's lines are named by the keys that vary: one varying choice by its values alone,
    /// a key given a single value not at all, several keys as key=value pairs.
    @Test func sweepLinesAreNamedByWhatVaries() throws {
        let b = try Preset.named("precopy-moderate")!.scenario()
        func names(_ axes: [String]) throws -> [String] {
            let plan = try SweepPlan(base: b, axes: try axes.map { try SweepPlan.axis($0, topic: b.topic) }, repeats: 1)
            let chart = try #require(Sweeps.chart(plan, metric: "downtime_ms", unit: "ms") { _, _ in 1 } as? LineChart)
            return chart.series.map(\.name)
        }
        #expect(try names(["migration.workload.dirty_rate=1000,5000", "migration.vm.memory_mib=96", "migration.strategy=pre-copy,post-copy"])
                == ["pre-copy", "post-copy"])
        #expect(try names(["migration.workload.dirty_rate=1000,5000", "migration.vm.memory_mib=96,128", "migration.strategy=pre-copy,post-copy"])
                == ["memory_mib=96 strategy=pre-copy", "memory_mib=96 strategy=post-copy", "memory_mib=128 strategy=pre-copy", "memory_mib=128 strategy=post-copy"])
        #expect(try names(["migration.workload.dirty_rate=1000,5000", "migration.vm.memory_mib=96,128"]) == ["memory_mib=96", "memory_mib=128"])
    }

    @Test func emittedJobsRunWithGNUParallelAndCollectMatchesALocalSweep() throws {
        let local = Self.folder("local"), jobs = Self.folder("jobs")
        defer { try? FileManager.default.removeItem(atPath: local); try? FileManager.default.removeItem(atPath: jobs) }
        let args = ["precopy-moderate", "--vary", "migration.vm.memory_mib=96,128", "--vary", "migration.strategy=pre-copy,post-copy", "-q"]
        try SweepCommand.parse(args + ["-o", local]).run()
        try SweepCommand.parse(args + ["-o", jobs, "--emit-jobs", "\(jobs)/jobs.txt"]).run()
        let lines = String(decoding: Self.bytes("\(jobs)/jobs.txt")!, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 4)
        let slurm = String(decoding: Self.bytes("\(jobs)/jobs.txt.sbatch")!, as: UTF8.self)
        #expect(slurm.contains("#SBATCH --array=1-4"))
        #expect(slurm.contains("SLURM_ARRAY_TASK_ID"))
        // The job lines call this test binary's path; point them at the built virtlab instead.
        let exe = Self.virtlab()
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
        #expect(p.terminationStatus == 0)
        try SweepCommand.parse(["--collect", jobs, "-q"]).run()
        let a = String(decoding: Self.bytes("\(local)/results.csv")!, as: UTF8.self)
        let b = String(decoding: Self.bytes("\(jobs)/results.csv")!, as: UTF8.self)
        #expect(a == b)
        #expect(FileManager.default.fileExists(atPath: "\(jobs)/index.html"))
    }

    @Test func collectWithMissingTracesSaysWhich() throws {
        let jobs = Self.folder("missing")
        defer { try? FileManager.default.removeItem(atPath: jobs) }
        try SweepCommand.parse(["precopy-moderate", "--vary", "migration.strategy=pre-copy,post-copy", "-o", jobs, "--emit-jobs", "\(jobs)/jobs.txt"]).run()
        do {
            try SweepCommand.parse(["--collect", jobs]).run()
            Issue.record("collect without traces succeeded")
        } catch {
            #expect("\(error)".contains("p0000-r1.vlt"))
        }
    }

    @Test func sweepFilesAreReadAndCheckedWithLines() throws {
        let spec = try SweepFile.decode(text: "name: x\nsweep:\n  scenario: precopy-moderate\n  vary:\n    - migration.strategy=pre-copy,post-copy\n  repeat: 2\n", source: "s.yaml")
        #expect(spec.scenario == "precopy-moderate" && spec.vary == ["migration.strategy=pre-copy,post-copy"] && spec.repeats == 2)
        #expect(throws: ScenarioError.self) { try SweepFile.decode(text: "sweep:\n  scenario: x\n  vary:\n  - a=1\n  colour: red\n", source: "s") }
        #expect(throws: ScenarioError.self) { try SweepFile.decode(text: "sweep:\n  scenario: x\n", source: "s") }
        #expect(throws: ScenarioError.self) { try SweepFile.decode(text: "sweep:\n  scenario: x\n  vary:\n    - a=1\n  repeat: 0\n", source: "s") }
        let headed = try SweepFile.decode(text: "sweep:\n  scenario: x\n  headline: latency_p99_ns\n  vary:\n    - a=1\n", source: "s")
        #expect(headed.headline == "latency_p99_ns")
    }

    @Test func aHeadlineMustBeAKeyMetricOfTheTopic() throws {
        let dir = NSTemporaryDirectory() + "virtlab-headline-\(getpid())"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        try OutputFile.write(text: "sweep:\n  scenario: net-native\n  headline: downtime_ms\n  vary:\n    - io.approach=native,emulation\n", to: dir + "/s.yaml")
        do {
            _ = try Sweeps.plan(dir + "/s.yaml")
            Issue.record("a migration metric was accepted as the headline of an I/O sweep")
        } catch {
            #expect("\(error)".contains("latency_p99_ns"), "the error lists the allowed metrics: \(error)")
        }
        try OutputFile.write(text: "sweep:\n  scenario: net-native\n  headline: exits_per_op\n  vary:\n    - io.approach=native,emulation\n", to: dir + "/s.yaml")
        #expect(try Sweeps.plan(dir + "/s.yaml").headline == "exits_per_op")
    }

    /// Latency that spans decades gets a logarithmic y axis; a metric within one decade does not.
    @Test func chartsUseALogAxisForValuesOverThreeDecades() throws {
        let plan = try SweepPlan(base: try Self.base(), axes: [try SweepPlan.axis("migration.workload.dirty_rate=1000,2000,4000", topic: .migration)], repeats: 1)
        func chart(_ values: [Double]) -> LineChart? {
            Sweeps.chart(plan, metric: "downtime_ms", unit: "ms", value: { run, _ in values[run] }) as? LineChart
        }
        #expect(chart([1, 50, 2_000])?.logY == true)
        #expect(chart([1, 50, 900])?.logY == false)
    }

    @Test(arguments: ["sweep-dirty-rate.yaml", "sweep-working-set.yaml", "sweep-io-load.yaml"])
    func shippedSweepFilesPlan(_ file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let path = "\(root)/Traces/scenarios/\(file)"
        let command = try SweepCommand.parse([path, "-o", "/nonexistent"])
        let plan = try command.makePlan()
        #expect(plan.runs.count >= 24)
    }

    /// The built `virtlab` beside the test bundle.
    static func virtlab() -> String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("virtlab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
