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
        // Cairo draws text as glyph outlines; the figure still has shapes for the bars.
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<path") || text.contains("<rect"))
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
