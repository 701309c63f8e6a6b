import Foundation
import SafeOutput
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import TraceFormat
@testable import Course

/// The plan the sweep tests share: dirty rate × strategy on a 64 MiB VM, twice each.
enum SweepPlanFixture {
    static func plan(repeats: Int = 2) throws -> SweepPlan {
        let b = try TestFixtures.smallMigration()
        return try SweepPlan(base: b, axes: [try SweepPlan.axis("migration.workload.dirty_rate=1000:20000:3", topic: b.topic),
                                             try SweepPlan.axis("migration.strategy=pre-copy,post-copy", topic: b.topic)],
                             repeats: repeats)
    }
}

struct SweepsTests {
    @Test func oneAndTwoThreadsWriteIdenticalTracesAndResumeSkipsVerifiedRuns() throws {
        let p = try SweepPlanFixture.plan()
        let one = TestFixtures.folder("t1"), two = TestFixtures.folder("t2")
        defer { try? FileManager.default.removeItem(atPath: one); try? FileManager.default.removeItem(atPath: two) }
                let r1 = try Sweeps.execute(p, dir: one, threads: 1, quiet: true)
        let r2 = try Sweeps.execute(p, dir: two, threads: 2, quiet: true)
        expectEqual(r1.map { $0.map(\.value) }, r2.map { $0.map(\.value) })
        for run in p.runs {
            expectEqual(readFile("\(one)/\(run.traceName)"), readFile("\(two)/\(run.traceName)"), "\(run.traceName)")
        }
        // Resume: a verified trace is reused as is; a truncated one is rerun and comes back whole.
        let kept = "\(one)/\(p.runs[0].traceName)", damaged = "\(one)/\(p.runs[1].traceName)"
        let original = readFile(damaged)!
        #expect(Sweeps.verified(kept, seed: p.runs[0].seed, text: p.runs[0].scenario.text) != nil)
        try Data(original.prefix(original.count / 2)).write(to: URL(fileURLWithPath: damaged))
        expectEqual(Sweeps.verified(damaged, seed: p.runs[1].seed, text: p.runs[1].scenario.text), nil)
        // A trace of another run under this name does not count either.
        expectEqual(Sweeps.verified(kept, seed: p.runs[1].seed, text: p.runs[1].scenario.text), nil)
        let before = try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date
        _ = try Sweeps.execute(p, dir: one, threads: 2, quiet: true)
        expectEqual(readFile(damaged), original)
        try expectEqual(FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date, before)
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
            expectContains("\(error)", "latency_p99_ns", "the error lists the allowed metrics: \(error)")
        }
        try OutputFile.write(text: "sweep:\n  scenario: net-native\n  headline: exits_per_op\n  vary:\n    - io.approach=native,emulation\n", to: dir + "/s.yaml")
        try expectEqual(Sweeps.plan(dir + "/s.yaml").headline, "exits_per_op")
    }
}
