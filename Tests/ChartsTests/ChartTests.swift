import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts

@Suite struct ChartTests {
    static let bars = BarChart(title: "Exits", categories: ["pt_write", "cr3_write"], series: [("exits", [900, 100])],
                               unit: .count, valueLabel: "exits")
    static let lines = LineChart(title: "Rounds", xLabel: "round", yLabel: "pages", logY: true,
                                 series: [("sent", [(1, 100_000), (2, 20_000), (3, 4_000)]), ("dirtied", [(1, 20_000), (2, 4_000), (3, 800)])])

    func path(_ ext: String) -> String { FileManager.default.temporaryDirectory.path + "/virtlab-chart-\(UUID().uuidString).\(ext)" }

    @Test(arguments: FigureFormat.allCases)
    func everyFormatIsDeterministic(_ format: FigureFormat) throws {
        for chart in [Self.bars, Self.lines] as [any Chart] {
            let a = path(format.rawValue), b = path(format.rawValue)
            defer { unlink(a); unlink(b) }
            try FigureRenderer.render(chart, format: format, theme: .named(.paper), path: a)
            try FigureRenderer.render(Self.bars, format: .svg, theme: .named(.dark), path: b) // something else in between
            try FigureRenderer.render(chart, format: format, theme: .named(.paper), path: b)
            #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        }
    }

    @Test func svgParsesAndCarriesTheLabels() throws {
        let p = path("svg")
        defer { unlink(p) }
        try FigureRenderer.render(Self.bars, format: .svg, theme: .named(.paper), path: p)
        let data = try Data(contentsOf: URL(fileURLWithPath: p))
        let doc = try XMLDocument(data: data)
        #expect(doc.rootElement()?.name == "svg")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<rect"))
        // Real text: every label drawn is a <text> element with those words, in drawing order.
        let (bytes, drawn) = try FigureRenderer.bytesAndTexts(Self.bars, format: .svg, theme: .named(.paper))
        #expect(Data(bytes) == data)
        let texts = try doc.nodes(forXPath: "//*[local-name()='text']").map { $0.stringValue ?? "" }
        #expect(texts == drawn)
        #expect(texts.contains("pt_write") && texts.contains(Self.bars.title))
        #expect(!text.contains("<symbol") && !text.contains("<use"), "no glyph outlines")
        // Named for screen readers.
        #expect(try doc.nodes(forXPath: "/*/*[local-name()='title']").first?.stringValue == Self.bars.title)
        #expect(try doc.nodes(forXPath: "/*/*[local-name()='desc']").first?.stringValue == Self.bars.altText())
    }

    /// Every bar is a hover area over exactly its rectangle, labelled with its category, series
    /// and exact value; the SVG carries the same words as a `<title>`.
    @Test func barsAnswerHoverWithTheirExactValues() throws {
        let chart = BarChart(title: "Overhead", categories: ["shadow", "nested"], series: [("4 KiB", [80.25, 120.5]), ("2 MiB", [30, 0])],
                             unit: .percent, valueLabel: "overhead")
        let (bytes, spots) = try FigureRenderer.bytesAndHotspots(chart, format: .svg, theme: .named(.paper))
        #expect(spots.map(\.label) == ["shadow, 4 KiB — overhead: 80.25 %", "shadow, 2 MiB — overhead: 30 %",
                                       "nested, 4 KiB — overhead: 120.5 %", "nested, 2 MiB — overhead: 0 %"])
        // The tallest bar's area is the tallest; a zero bar still gets a hoverable 8 px.
        #expect(spots[2].height > spots[0].height && spots[0].height > spots[1].height)
        #expect(spots[3].height == 8)
        // Left to right in category order, within the figure.
        #expect(spots[0].x < spots[1].x && spots[1].x < spots[2].x)
        #expect(spots.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + $0.width <= 800 && $0.y + $0.height <= 480 })
        let doc = try XMLDocument(data: Data(bytes))
        let titles = try doc.nodes(forXPath: "//*[local-name()='rect']/*[local-name()='title']").map { $0.stringValue ?? "" }
        #expect(titles == spots.map(\.label))
        // PNG and PDF have no place for them, and the same chart gives the same areas every time.
        #expect(try FigureRenderer.bytesAndHotspots(chart, format: .png, theme: .named(.paper)).hotspots == spots)
    }

    @Test func pointsAnswerHoverUnlessTooManyForATable() throws {
        let (_, spots) = try FigureRenderer.bytesAndHotspots(Self.lines, format: .svg, theme: .named(.paper))
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

    @Test func heatMapCellsAnswerHoverInBandsWhenDense() throws {
        let small = HeatMap(title: "Dirty", xLabel: "round", yLabel: "memory", columns: ["1", "2"], rowLabels: ["low", "mid", "high"],
                            values: [[0, 0.5], [1, 0.25], [0.125, 0]], valueLabel: "dirty share")
        let spots = try FigureRenderer.bytesAndHotspots(small, format: .svg, theme: .named(.paper)).hotspots
        #expect(spots.count == 6)
        #expect(spots.map(\.label).contains("round 2, memory low: dirty share 0.5"))
        let rows = (0..<128).map { r in (0..<30).map { c in Double((r * c) % 7) / 6 } }
        let big = HeatMap(title: "Dirty", xLabel: "round", yLabel: "memory", columns: (1...30).map(String.init),
                          rowLabels: (0..<128).map { "r\($0)" }, values: rows, valueLabel: "dirty share")
        let banded = try FigureRenderer.bytesAndHotspots(big, format: .svg, theme: .named(.paper)).hotspots
        #expect(banded.count <= 400 + 30 && banded.count >= 30)
        // A band names its rows and its mean and highest value, computed from those cells.
        let first = try #require(banded.first)
        let band = 128 * 30 / 400 + 1
        let cells = (0..<band).map { rows[$0][0] }
        #expect(first.label == "round 1, memory r0 to r\(band - 1): dirty share mean \(exactText(cells.reduce(0, +) / Double(band))), highest \(exactText(cells.max()!))")
    }

    @Test func pngPixelsAtTheBarsHaveTheSeriesColour() throws {
        let p = path("png")
        defer { unlink(p) }
        try FigureRenderer.render(Self.bars, format: .png, theme: .named(.paper), path: p, width: 400, height: 300)
        let (w, h) = try #require(PNGProbe.size(p))
        // Scan a row near the bottom of the plot: some pixel in the first bar's half is the palette's first colour.
        let row = h - 70
        var found = false
        for x in 0..<(w / 2) {
            if let c = PNGProbe.pixel(p, x: x, y: row), c == RGB(hex: 0x0072B2) { found = true; break }
        }
        #expect(found)
    }

    @Test func pdfStartsWithTheMagic() throws {
        let p = path("pdf")
        defer { unlink(p) }
        try FigureRenderer.render(Self.lines, format: .pdf, theme: .named(.slides), path: p)
        #expect(try Data(contentsOf: URL(fileURLWithPath: p)).starts(with: Array("%PDF".utf8)))
    }

    @Test func emptyChartsDrawNoDataAndSaySo() throws {
        let empty = BarChart(title: "Nothing", categories: [], series: [], valueLabel: "x")
        let p = path("png")
        defer { unlink(p) }
        try FigureRenderer.render(empty, format: .png, theme: .named(.paper), path: p)
        #expect(empty.caption().contains("no data"))
        #expect(empty.altText().contains("no data"))
        let single = LineChart(title: "One", xLabel: "x", yLabel: "y", series: [("s", [(1, 1)])])
        try FigureRenderer.render(single, format: .svg, theme: .named(.paper), path: p)
    }

    @Test func captionsAndAltTextComeFromTheData() {
        #expect(Self.bars.caption().contains("highest pt_write (900)"))
        #expect(Self.bars.altText().contains("cr3_write: 100"))
        #expect(Self.lines.caption().contains("logarithmic"))
        #expect(Self.lines.altText().contains("sent: 3 points"))
    }
}
