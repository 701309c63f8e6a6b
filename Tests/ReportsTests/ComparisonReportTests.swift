import Foundation
import SafeOutput
import Testing
import TestKit
import TraceFormat
@testable import Reports

/// What a comparison says about its runs: which keys differ, whether the runs are repetitions,
/// each result against the baseline, and whether a difference exceeds the repetitions' spread.
struct ComparisonReportTests {
    static func run(_ name: String, downtime: Double, rounds: Double = 5) -> RunSummary {
        RunSummary(name: name, topic: "migration", description: "", seed: 1,
                   metrics: [Metric("downtime_ms", downtime, "ms"), Metric("rounds", rounds, "count")], exits: [], figures: [], page: "runs/\(name).html")
    }

    static func config(_ strategy: String, seed: String) -> [(String, String)] {
        [("name", "x"), ("seed", seed), ("migration.strategy", strategy), ("migration.vm.memory_mib", "2048")]
    }

    @Test func onlyTheKeysThatDifferAreListed() throws {
        let runs = [Self.run("a", downtime: 10), Self.run("b", downtime: 20)]
        let configs = [Self.config("pre-copy", seed: "1"), Self.config("post-copy", seed: "2")]
        let t = try #require(ComparisonReport.differences(runs, configs: configs))
        expectEqual(t.rows.map(\.label), ["migration.strategy"], "name and seed are not differences of the scenario")
        expectEqual(t.rows[0].cells.map(\.text), ["pre-copy", "post-copy"])
        #expect(ComparisonReport.differences(runs, configs: [Self.config("pre-copy", seed: "1"), Self.config("pre-copy", seed: "2")]) == nil)
        expectEqual(ComparisonReport.differenceNote(configs, differing: 1), "1 of 4 scenario keys differ, and so do the seeds.")
        expectEqual(ComparisonReport.differenceNote([Self.config("pre-copy", seed: "1"), Self.config("pre-copy", seed: "2")], differing: 0), "The runs share every scenario key but the seed: the differences below are the spread of repetitions.")
        #expect(ComparisonReport.differenceNote([[], Self.config("pre-copy", seed: "1")], differing: 0).hasPrefix("Some traces do not record"))
    }

    /// Each run against the baseline as a ratio; with repetitions, whether the configurations
    /// differ beyond the repetitions' spread — computed from the values, both ways.
    @Test func resultsAgainstTheBaselineAndTheSpreadOfRepetitions() throws {
        let two = try #require(ComparisonReport.keyResults([Self.run("a", downtime: 10), Self.run("b", downtime: 25)], baseline: 0,
                                                           configs: [Self.config("pre-copy", seed: "1"), Self.config("post-copy", seed: "1")]))
        let downtime = try #require(two.rows.first { $0.label == "downtime" })
        expectEqual(downtime.cells.map(\.text), ["10 ms", "25 ms (2.5×)"], "\(downtime.cells.map(\.text))")
        // Two repetitions of each configuration: 10 and 11 against 25 and 26 differ beyond a spread of 1.
        let runs = [Self.run("a1", downtime: 10), Self.run("a2", downtime: 11), Self.run("b1", downtime: 25), Self.run("b2", downtime: 26)]
        let configs = [Self.config("pre-copy", seed: "1"), Self.config("pre-copy", seed: "2"), Self.config("post-copy", seed: "1"), Self.config("post-copy", seed: "2")]
        let t = try #require(ComparisonReport.keyResults(runs, baseline: 0, configs: configs))
        expectEqual(t.columns.last, "Versus repetitions")
        expectEqual(t.rows.first { $0.label == "downtime" }?.cells.last?.text, "differs beyond the spread of repetitions (1 ms)")
        // 10 and 30 against 19 and 21: a spread of 20 hides a gap of 0.
        let noisy = [Self.run("a1", downtime: 10), Self.run("a2", downtime: 30), Self.run("b1", downtime: 19), Self.run("b2", downtime: 21)]
        let n = try #require(ComparisonReport.keyResults(noisy, baseline: 0, configs: configs))
        expectEqual(n.rows.first { $0.label == "downtime" }?.cells.last?.text.hasPrefix("within the spread of repetitions"), true)
    }

    /// A run without the metric gets no bar (a zero bar would say it measured zero) and the
    /// caption names it; a metric no run has, or that is zero everywhere, gets no chart.
    @Test func aRunWithoutTheMetricHasNoBar() throws {
        func run(_ name: String, _ perWalk: Double?) -> RunSummary {
            RunSummary(name: name, topic: "memory", description: "", seed: 1, metrics: perWalk.map { [Metric("refs_per_walk", $0, "refs")] } ?? [],
                       exits: [], figures: [], page: "runs/\(name).html")
        }
        let chart = try #require(ComparisonReport.metricBars([run("4k", 24), run("2m", nil), run("pwc", 5.14)], key: "refs_per_walk", unit: "refs", title: "Walks"))
        #expect(chart.categories == ["4k", "pwc"] && chart.series[0].values == [24, 5.14])
        #expect(chart.caption().hasSuffix(" 2m has no refs per walk."), "\(chart.caption())")
        #expect(ComparisonReport.metricBars([run("2m", nil)], key: "refs_per_walk", unit: "refs", title: "Walks") == nil)
        #expect(ComparisonReport.metricBars([run("a", 0), run("b", 0)], key: "refs_per_walk", unit: "refs", title: "Walks") == nil)
    }

    /// From the sample traces: the same trace twice gets two pages, and a baseline that is no
    /// run is bad input naming the runs.
    @Test func pagesAreUniqueAndTheBaselineMustBeARun() throws {
        let trace = FigureCatalogTests.samples + "/migration-sample.vlt"
        let dir = NSTemporaryDirectory() + "virtlab-compare-\(UUID().uuidString)"
        defer { removeTree(dir) }
        let site = try Site(target: dir, templates: try TemplateSet())
        try ComparisonReport.build(traces: [trace, trace], site: site, command: "virtlab report a b")
        try site.commit()
        let pages = directoryNames(dir + "/runs").filter { $0.hasSuffix(".html") }.sorted()
        expectEqual(pages.count, 2, "\(pages)")
        expectEqual(Set(pages).count, 2, "\(pages)")
        let other = try Site(target: dir + "-2", templates: try TemplateSet())
        defer { other.abandon(); removeTree(dir + "-2") }
        do {
            try ComparisonReport.build(traces: [trace], site: other, command: "c", baseline: "nope")
            Issue.record("an unknown baseline was accepted")
        } catch let e as ReportError {
            expectContains("\(e)", "--baseline nope: no such run")
        }
    }
}
