import TraceFormat
@testable import Analysis
import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Reports
import Vocabulary

struct RunReportTests {
    @Test func pathsAndNamesAreSafe() {
        expectEqual(RunReport.rootPrefix(of: "index.html"), "")
        expectEqual(RunReport.rootPrefix(of: "runs/x.html"), "../")
        expectEqual(RunReport.rootPrefix(of: "sweeps/a/index.html"), "../../")
        expectEqual(RunReport.safeName("<script>alert(1)</script>"), "_script_alert_1___script_")
        expectEqual(RunReport.safeName("../../etc/passwd"), "_.._etc_passwd")
        expectEqual(RunReport.safeName(""), "run")
    }

    /// A warmed run's exit table says what it counts, from the summary's own numbers: the
    /// warm-up's exits and the measured ones, which the key results show as "VM exits".
    @Test func theExitTableOfAWarmedRunSaysWhatItCounts() {
        func row(_ reason: String, _ count: UInt64) -> ExitReasonRow {
            ExitReasonRow(reason: reason, count: count, percentOfExits: 0, totalNs: 0, percentOfTime: 0, minNs: 0, meanNs: 0, p50Ns: 0, p95Ns: 0, maxNs: 0)
        }
        let rows = [row("ept_violation", 131_331)]
        func summary(warm: Double?, measured: Double?) -> [Metric] {
            (warm.map { [Metric("warmup_vm_exits", $0, "count")] } ?? [])
                + (measured.map { [Metric("vm_exits", $0, "count")] } ?? [])
        }
        expectEqual(RunReport.exitCaption(rows, summary: summary(warm: 131_331, measured: 0)),
                    "131,331 exits in the trace: 131,331 during the warm-up (every page touched once before measuring) "
                    + "and 0 in the measured accesses, the key results' VM exits.")
        // Numbers that do not add up are not said to: each is given for what it is.
        expectEqual(RunReport.exitCaption(rows, summary: summary(warm: 100_000, measured: 5)),
                    "131,331 exits in the trace, the warm-up's (100,000) included; the key results' VM exits (5) count the measured accesses alone.")
        expectEqual(RunReport.exitCaption([row("io", 1)], summary: summary(warm: 1, measured: nil)), "1 exit in the trace, 1 of them during the warm-up.")
        // No warm-up (or none of its exits): no caption.
        expectEqual(RunReport.exitCaption(rows, summary: summary(warm: 0, measured: 131_331)), nil)
        expectEqual(RunReport.exitCaption(rows, summary: summary(warm: nil, measured: 131_331)), nil)
        expectEqual(RunReport.exitTable(rows, caption: "c").caption, "c")
    }

    /// A run page from each topic's sample trace (no simulator): what it returns is the
    /// trace's own summary and exit table, one figure per chart kind the page shows, each
    /// written in its formats with a caption and alt text; the page names the run and its seed.
    @Test(arguments: Topic.allCases)
    func aRunPageIsTheTracesOwn(topic: Topic) throws {
        let dir = NSTemporaryDirectory() + "virtlab-runreport-\(UUID().uuidString)"
        defer { removeTree(dir) }
        let trace = FigureCatalogTests.samples + "/\(topic.rawValue)-sample.vlt"
        let reader = try TraceReader(path: trace)
        let site = try Site(target: dir, templates: try TemplateSet())
        let run = try RunReport.build(trace: trace, site: site, page: "runs/sample.html", nav: [], figurePrefix: "sample")
        try site.commit()
        expectEqual(run.topic, topic.rawValue)
        expectEqual(run.seed, reader.header.seed)
        expectEqual(run.metrics, reader.summary ?? [], "the page's results are the trace's summary")
        let (stats, _) = try TraceStatistics.gather(try TraceReader(path: trace))
        expectEqual(run.exits.map(\.reason), stats.exitReasons.map(\.reason))
        expectEqual(run.exits.map(\.count), stats.exitReasons.map(\.count))
        expectEqual(run.figures.count, RunReport.pageKinds(topic.rawValue).count, "\(run.figures.map(\.name))")
        for f in run.figures {
            #expect(!f.caption.isEmpty, "\(f.name)")
            #expect(!f.alt.isEmpty, "\(f.name)")
            for ext in ["svg", "png"] { #expect(fileExists("\(dir)/figures/\(f.name).\(ext)"), "\(f.name).\(ext)") }
        }
        let page = String(decoding: readFile(dir + "/runs/sample.html") ?? [], as: UTF8.self)
        expectContains(page, run.name)
        expectContains(page, String(run.seed))
        // Counts are read, so their thousands are grouped: "34,180 events", "13,685 exits".
        expectContains(page, "<td>\(Format.grouped(String(stats.events)))</td>", "events")
        for row in stats.exitReasons where row.count >= 1_000 { expectContains(page, Format.grouped(String(row.count)), "\(row.reason)") }
    }
}
