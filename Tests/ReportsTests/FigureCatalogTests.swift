import Foundation
import Testing
@testable import Reports
import Charts
import TraceFormat
import Vocabulary

/// Every chart a topic's trace offers, built from that topic's committed sample trace
/// (`Traces/samples/`, kept fresh by SimulationTests) — no simulator involved.
@Suite struct FigureCatalogTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Traces/samples").path

    @Test(arguments: Topic.allCases)
    func everyOfferedChartHasDataForARealRun(_ topic: Topic) throws {
        let path = "\(Self.samples)/\(topic.rawValue)-sample.vlt"
        let reader = try TraceReader(path: path)
        let kinds = FigureCatalog.kinds(for: topic.rawValue)
        #expect(kinds.contains(.timeline) && kinds.contains(.eventCounts))
        for kind in kinds {
            let chart = try FigureCatalog.chart(kind, try TraceReader(path: path))
            #expect(!chart.isEmpty, "\(topic.rawValue): \(kind.rawValue) is empty")
            #expect(chart.caption().contains(chart.title) || !chart.caption().isEmpty, "\(kind.rawValue)")
        }
        // A chart another topic offers is refused with the list of what this trace has.
        let foreign = ChartKind.allCases.first { !kinds.contains($0) && $0 != .venn && $0 != .walk2D && $0 != .bars && $0 != .sweep }!
        #expect(throws: ReportError.self) { try FigureCatalog.chart(foreign, reader) }
    }

    /// The key results a page shows for a topic are results its runs write, in their units.
    @Test(arguments: Topic.allCases)
    func keyMetricsAreResultsTheRunWrites(_ topic: Topic) throws {
        let reader = try TraceReader(path: "\(Self.samples)/\(topic.rawValue)-sample.vlt")
        let summary = Dictionary((reader.summary ?? []).map { ($0.name, $0.unit) }, uniquingKeysWith: { a, _ in a })
        for key in FigureCatalog.keyMetrics(topic.rawValue) {
            #expect(summary[key.rawValue] == key.unit.rawValue, "\(topic.rawValue): \(key.rawValue)")
        }
    }
}
