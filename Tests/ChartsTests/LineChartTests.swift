import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts

@Suite struct LineChartTests {
    @Test func pointsAnswerHoverUnlessTooManyForATable() throws {
        let (_, spots) = try FigureRenderer.bytesAndHotspots(ChartSamples.lines, format: .svg, theme: .named(.paper))
        #expect(spots.count == 6)
        #expect(spots[0].label == "sent — round 1: pages 100,000")
        #expect(spots[5].label == "dirtied — round 3: pages 800")
        // Higher values sit higher (smaller y), each area centred on its point.
        #expect(spots[0].y < spots[1].y && spots[1].y < spots[2].y)
        #expect(spots[3].y > spots[0].y)
        var dense = LineChart(title: "Dense", xLabel: "t", yLabel: "v", series: [("a", (0..<201).map { (Double($0), Double($0)) })])
        #expect(try FigureRenderer.bytesAndHotspots(dense, format: .svg, theme: .named(.paper)).hotspots.isEmpty)
        dense.series[0].points.removeLast()
        #expect(try FigureRenderer.bytesAndHotspots(dense, format: .svg, theme: .named(.paper)).hotspots.count == 200)
    }

    /// A series of one point is described as one point, not "1 points from x to x, peak x".
    @Test func aOnePointSeriesIsDescribedAsOnePoint() {
        let one = LineChart(title: "One", xLabel: "t", yLabel: "pages", xUnit: .nanoseconds, yUnit: .pages, series: [("remaining", [(2e9, 0)])])
        #expect(one.altText() == "Line chart, One: remaining: one point, 0 at 2 s.")
        #expect(ChartSamples.lines.altText().contains("sent: 3 points from"))
    }
}
