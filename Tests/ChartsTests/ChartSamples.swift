import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts

/// Two small charts and scratch paths the chart tests share (helpers, not a source mirror).
enum ChartSamples {
    static let bars = BarChart(title: "Exits", categories: ["pt_write", "cr3_write"], series: [("exits", [900, 100])],
                               unit: .count, valueLabel: "exits")
    static let lines = LineChart(title: "Rounds", xLabel: "round", yLabel: "pages", logY: true,
                                 series: [("sent", [(1, 100_000), (2, 20_000), (3, 4_000)]), ("dirtied", [(1, 20_000), (2, 4_000), (3, 800)])])

    static func path(_ ext: String) -> String { FileManager.default.temporaryDirectory.path + "/virtlab-chart-\(UUID().uuidString).\(ext)" }
}
