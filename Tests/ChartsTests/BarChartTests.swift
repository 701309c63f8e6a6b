import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct BarChartTests {
    /// Every bar is a hover area over exactly its rectangle, labelled with its category, series
    /// and exact value; the SVG carries the same words as a `<title>`.
    @Test func barsAnswerHoverWithTheirExactValues() throws {
        let chart = BarChart(title: "Overhead", categories: ["shadow", "nested"], series: [("4 KiB", [80.25, 120.5]), ("2 MiB", [30, 0])],
                             unit: .percent, valueLabel: "overhead")
        let (bytes, spots) = try FigureRenderer.bytesAndHotspots(chart, format: .svg, theme: .named(.paper))
        expectEqual(spots.map(\.label), ["shadow, 4 KiB — overhead: 80.25 %", "shadow, 2 MiB — overhead: 30 %",
                                         "nested, 4 KiB — overhead: 120.5 %", "nested, 2 MiB — overhead: 0 %"])
        // The tallest bar's area is the tallest; a zero bar still gets a hoverable 8 px.
        #expect(spots[2].height > spots[0].height && spots[0].height > spots[1].height)
        expectEqual(spots[3].height, 8)
        // Left to right in category order, within the figure.
        #expect(spots[0].x < spots[1].x && spots[1].x < spots[2].x)
        #expect(spots.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + $0.width <= 800 && $0.y + $0.height <= 480 })
        let doc = try XMLDocument(data: Data(bytes))
        let titles = try doc.nodes(forXPath: "//*[local-name()='rect']/*[local-name()='title']").map { $0.stringValue ?? "" }
        expectEqual(titles, spots.map(\.label))
        // The zero bar is written as a zero on the figure (a missing bar and a zero look alike).
        let texts = try doc.nodes(forXPath: "//*[local-name()='text']").map { $0.stringValue ?? "" }
        expectEqual(texts.filter { $0 == "0" }.count, 1, "\(texts)")
        // PNG and PDF have no place for them, and the same chart gives the same areas every time.
        try expectEqual(FigureRenderer.bytesAndHotspots(chart, format: .png, theme: .named(.paper)).hotspots, spots)
    }

    /// Bars that are all zero are an answer, not missing data: drawn on the baseline with a "0"
    /// each, captioned "all 0", tabled; only a chart without categories or series is empty.
    @Test func barsThatAreAllZeroAreDrawnAsZeros() throws {
        let chart = BarChart(title: "Shadow updates", categories: ["native", "nested"], series: [("updates", [0, 0])],
                             unit: .count, valueLabel: "updates")
        #expect(!chart.isEmpty)
        #expect(chart.allZero)
        expectContains(chart.caption(), "; all 0.")
        expectLacks(chart.caption(), "no data")
        expectContains(chart.altText(), "native: 0; nested: 0")
        expectEqual(try #require(chart.dataTable()).rows.map(\.cells), [["0"], ["0"]])
        let (bytes, spots) = try FigureRenderer.bytesAndHotspots(chart, format: .svg, theme: .named(.paper))
        expectEqual(spots.map(\.label), ["native — updates: 0", "nested — updates: 0"])
        // Both bars sit on the same baseline, in the lower part of the plot.
        #expect(spots[0].y + spots[0].height == spots[1].y + spots[1].height && spots[0].y > 480 / 2)
        let texts = try XMLDocument(data: Data(bytes)).nodes(forXPath: "//*[local-name()='text']").map { $0.stringValue ?? "" }
        expectEqual(texts.filter { $0 == "0" }.count, 2 + 1, "a 0 on each bar and the axis's 0: \(texts)")
        #expect(BarChart(title: "t", categories: [], series: [("s", [])], valueLabel: "v").isEmpty)
        #expect(!ChartSamples.bars.allZero)
    }

    @Test func captionsAndAltTextComeFromTheData() {
        expectContains(ChartSamples.bars.caption(), "highest pt_write (900)")
        expectContains(ChartSamples.bars.altText(), "cr3_write: 100")
        // Ties are named, not one of them picked: three shadow and nested bars at 0 %.
        let tied = BarChart(title: "Overhead", categories: ["fork", "thrash", "2m"], series: [("shadow", [218, 0, 0]), ("nested", [41, 483, 0])],
                            unit: .percent, valueLabel: "overhead")
        #expect(tied.caption().hasSuffix("; highest thrash — nested (483 %), lowest thrash — shadow, 2m — shadow and 2m — nested (0 %)."))
        var many = tied
        many.series[0].values = [0, 0, 0]
        #expect(many.caption().hasSuffix("lowest 4 bars (0 %)."))
        many.series = [("shadow", [5, 5, 5]), ("nested", [5, 5, 5])]
        #expect(many.caption().hasSuffix("; all 5 %."))
        expectContains(ChartSamples.lines.caption(), "logarithmic")
        expectContains(ChartSamples.lines.altText(), "sent: 3 points")
    }

    /// One exit reason is "1 category", not "1 categories".
    @Test func oneCategoryIsSingular() {
        let one = BarChart(title: "Exits", categories: ["ept_violation"], series: [("exits", [2_058])], unit: .count, valueLabel: "exits")
        expectContains(one.caption(), "Grouped bars of exits for 1 category; all ")
        let two = BarChart(title: "Exits", categories: ["a", "b"], series: [("exits", [1, 2])], unit: .count, valueLabel: "exits")
        expectContains(two.caption(), "for 2 categories;")
    }
}
