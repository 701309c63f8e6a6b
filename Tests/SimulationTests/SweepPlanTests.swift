import Testing
import TestKit
@testable import Simulation
import Vocabulary

struct SweepPlanTests {
    /// A 64 MiB pre-copy migration: a run takes milliseconds.
    static func base() throws -> Scenario {
        let yaml = Preset.named(.precopyModerate).yaml
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

    @Test func axesParseListsRangesAndLogRanges() throws {
        let t = Topic.migration
        try expectEqual(SweepPlan.axis("migration.strategy=pre-copy, post-copy", topic: t).values, [.text("pre-copy"), .text("post-copy")])
        let lin = try SweepPlan.axis("migration.workload.dirty_rate=0:1:5", topic: t)
        expectEqual(lin.values, [.real(0), .real(0.25), .real(0.5), .real(0.75), .real(1)])
        #expect(!lin.logarithmic)
        let log = try SweepPlan.axis("migration.workload.dirty_rate=1000:100000:3:log", topic: t)
        expectEqual(log.values, [.real(1000), .real(10000), .real(100000)])
        #expect(log.logarithmic)
        // Log steps are rounded to three significant digits; integer keys to whole numbers.
        try expectEqual(SweepPlan.axis("migration.workload.dirty_rate=1000:40000:8:log", topic: t).values[1], .real(1690))
        try expectEqual(SweepPlan.axis("migration.vm.memory_mib=16:64:3", topic: t).values, [.integer(16), .integer(40), .integer(64)])
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
            expectContains("\(error)", expected, "\(text): \(error)")
        }
    }

    @Test func tooManyRunsIsRefusedBeforeAnythingRuns() throws {
        let b = try Self.base()
        let axis = try SweepPlan.axis("migration.workload.dirty_rate=1:100:101", topic: b.topic)
        #expect(throws: ScenarioError.self) { try SweepPlan(base: b, axes: [axis], repeats: 100) }
    }

    @Test func seedsDependOnThePointNotTheOrder() throws {
        let p = try Self.plan()
        expectEqual(Set(p.runs.map(\.seed)).count, p.runs.count)
        let b = try Self.base()
        let swapped = try SweepPlan(base: b, axes: [try SweepPlan.axis("migration.workload.dirty_rate=20000,10500,1000", topic: b.topic),
                                                     try SweepPlan.axis("migration.strategy=post-copy,pre-copy", topic: b.topic)], repeats: 2)
        for run in p.runs {
            let label = run.parameters.map { "\($0.key)=\($0.value)" }.joined()
            let twin = swapped.runs.first { r in r.repetition == run.repetition && r.parameters.map { "\($0.key)=\($0.value)" }.joined() == label }
            expectEqual(twin?.seed, run.seed)
        }
    }
}
