import Charts
import Foundation
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
@testable import Course

struct SweepsFilesTests {
    /// A figure's lines are named by the keys that vary: one varying choice by its values alone,
    /// a key given a single value not at all, several keys as key=value pairs.
    @Test func sweepLinesAreNamedByWhatVaries() throws {
        let b = try Preset.named(.precopyModerate).scenario()
        func names(_ axes: [String]) throws -> [String] {
            let plan = try SweepPlan(base: b, axes: try axes.map { try SweepPlan.axis($0, topic: b.topic) }, repeats: 1)
            let chart = try #require(Sweeps.chart(plan, metric: "downtime_ms", unit: "ms") { _, _ in 1 } as? LineChart)
            // The title is a heading: it starts with a capital though the metric's label does not.
            expectEqual(chart.title, "Downtime against migration.workload.dirty_rate")
            return chart.series.map(\.name)
        }
        try expectEqual(names(["migration.workload.dirty_rate=1000,5000", "migration.vm.memory_mib=96", "migration.strategy=pre-copy,post-copy"]), ["pre-copy", "post-copy"])
        try expectEqual(names(["migration.workload.dirty_rate=1000,5000", "migration.vm.memory_mib=96,128", "migration.strategy=pre-copy,post-copy"]), ["memory_mib=96 strategy=pre-copy", "memory_mib=96 strategy=post-copy", "memory_mib=128 strategy=pre-copy", "memory_mib=128 strategy=post-copy"])
        try expectEqual(names(["migration.workload.dirty_rate=1000,5000", "migration.vm.memory_mib=96,128"]), ["memory_mib=96", "memory_mib=128"])
    }

    /// Latency that spans decades gets a logarithmic y axis; a metric within one decade does not.
    @Test func chartsUseALogAxisForValuesOverThreeDecades() throws {
        let plan = try SweepPlan(base: try TestFixtures.smallMigration(), axes: [try SweepPlan.axis("migration.workload.dirty_rate=1000,2000,4000", topic: .migration)], repeats: 1)
        func chart(_ values: [Double]) -> LineChart? {
            Sweeps.chart(plan, metric: "downtime_ms", unit: "ms", value: { run, _ in values[run] }) as? LineChart
        }
        expectEqual(chart([1, 50, 2_000])?.logY, true)
        expectEqual(chart([1, 50, 900])?.logY, false)
    }

    /// An integer key's axis has whole ticks written out (1,024 MiB, not "1K"); a real key's has not.
    @Test func anIntegerKeyIsCountedWhole() throws {
        func xUnit(_ axis: String) throws -> AxisUnit? {
            let plan = try SweepPlan(base: try TestFixtures.smallMigration(), axes: [try SweepPlan.axis(axis, topic: .migration)], repeats: 1)
            return (Sweeps.chart(plan, metric: "downtime_ms", unit: "ms") { _, _ in 1 } as? LineChart)?.xUnit
        }
        try expectEqual(xUnit("migration.vm.memory_mib=512,1024"), .whole)
        try expectEqual(xUnit("migration.workload.dirty_rate=1000,2000"), .plain)
    }
}
