import Foundation
import Testing
import TestKit
@testable import Reports
import Charts
import TraceFormat
import Vocabulary

/// Every chart a topic's trace offers, built from that topic's committed sample trace
/// (`Traces/samples/`, kept fresh by SimulationTests) — no simulator involved.
struct FigureCatalogTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Traces/samples").path

    @Test(arguments: Topic.allCases)
    func everyOfferedChartHasDataForARealRun(_ topic: Topic) throws {
        let path = "\(Self.samples)/\(topic.rawValue)-sample.vlt"
        let reader = try TraceReader(path: path)
        let kinds = FigureCatalog.kinds(for: topic.rawValue)
        expectContains(kinds, .timeline)
        expectContains(kinds, .eventCounts)
        for kind in kinds {
            let chart = try FigureCatalog.chart(kind, try TraceReader(path: path))
            #expect(!chart.isEmpty, "\(topic.rawValue): \(kind.rawValue) is empty")
            #expect(chart.caption().contains(chart.title) || !chart.caption().isEmpty, "\(kind.rawValue)")
        }
        // A chart another topic offers is refused with the list of what this trace has.
        let foreign = ChartKind.allCases.first { !kinds.contains($0) && $0 != .venn && $0 != .walk2D && $0 != .bars && $0 != .sweep }!
        #expect(throws: ReportError.self) { try FigureCatalog.chart(foreign, reader) }
    }

    /// "Where the cycles go": both bars add up to their run's cycles, and the native bar is split
    /// into the same parts as the virtualized one (it used to be one block of "other work").
    @Test func theCyclesChartSplitsTheNativeBarLikeThisRun() throws {
        let reader = try TraceReader(path: "\(Self.samples)/memory-sample.vlt")
        let summary = try #require(reader.summary)
        let metric = { (n: MetricName) in summary.first { $0.name == n.rawValue }?.value }
        let chart = try #require(try FigureCatalog.chart(.cycles, reader) as? BarChart)
        expectEqual(chart.categories, ["native", "this run"])
        expectEqual(chart.series.map(\.name), ["translation", "guest kernel", "VMM", "other work"])
        let nativeTotal: Double = chart.series.reduce(0) { $0 + $1.values[0] }
        let runTotal: Double = chart.series.reduce(0) { $0 + $1.values[1] }
        expectEqual(nativeTotal, metric(.nativeCycles))
        expectEqual(runTotal, metric(.totalCycles))
        #expect(chart.series[0].values[0] == metric(.nativeTranslationCycles) && chart.series[0].values[0] > 0)
        #expect(chart.series[1].values[0] == metric(.nativeGuestKernelCycles) && chart.series[1].values[0] > 0)
        expectEqual(chart.series[2].values[0], 0, "a native run has no VMM")
    }

    /// The key results a page shows for a topic are results its runs write, in their units.
    @Test(arguments: Topic.allCases)
    func keyMetricsAreResultsTheRunWrites(_ topic: Topic) throws {
        let reader = try TraceReader(path: "\(Self.samples)/\(topic.rawValue)-sample.vlt")
        let summary = Dictionary((reader.summary ?? []).map { ($0.name, $0.unit) }, uniquingKeysWith: { a, _ in a })
        for key in FigureCatalog.keyMetrics(topic.rawValue) {
            expectEqual(summary[key.rawValue], key.unit.rawValue, "\(topic.rawValue): \(key.rawValue)")
        }
    }
}
