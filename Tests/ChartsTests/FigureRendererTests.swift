import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct PDFRenderTests {
    /// The PDF renders (pdftoppm, installed by `make test`) and shows the bar where the PNG has it.
    @Test func pdfRendersWithPoppler() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/virtlab-pdf-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FigureRenderer.render(ChartSamples.bars, format: .pdf, theme: .named(.paper), path: dir + "/f.pdf", width: 400, height: 300)
        let tool = ["/usr/bin/pdftoppm", "/usr/local/bin/pdftoppm"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let pdftoppm = try #require(tool, "pdftoppm is missing: make test installs poppler-utils")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdftoppm)
        process.arguments = ["-png", "-r", "72", "-singlefile", dir + "/f.pdf", dir + "/page"]
        try process.run()
        process.waitUntilExit()
        expectEqual(process.terminationStatus, 0)
        let (w, h) = try #require(PNGProbe.size(dir + "/page.png"))
        expectEqual(w, 400)
        expectEqual(h, 300)
        var found = false
        for x in 0..<(w / 2) {
            if let c = PNGProbe.pixel(dir + "/page.png", x: x, y: h - 70), abs(c.b - 0xB2 / 255.0) < 0.05, abs(c.g - 0x72 / 255.0) < 0.05 { found = true; break }
        }
        #expect(found)
    }
}

struct FigureRendererTests {
    @Test(arguments: FigureFormat.allCases)
    func everyFormatIsDeterministic(_ format: FigureFormat) throws {
        for chart in [ChartSamples.bars, ChartSamples.lines] as [any Chart] {
            let a = ChartSamples.path(format.rawValue), b = ChartSamples.path(format.rawValue)
            defer { unlink(a); unlink(b) }
            try FigureRenderer.render(chart, format: format, theme: .named(.paper), path: a)
            try FigureRenderer.render(ChartSamples.bars, format: .svg, theme: .named(.dark), path: b) // something else in between
            try FigureRenderer.render(chart, format: format, theme: .named(.paper), path: b)
            try expectEqual(Data(contentsOf: URL(fileURLWithPath: a)), Data(contentsOf: URL(fileURLWithPath: b)))
        }
    }

    @Test func svgParsesAndCarriesTheLabels() throws {
        let p = ChartSamples.path("svg")
        defer { unlink(p) }
        try FigureRenderer.render(ChartSamples.bars, format: .svg, theme: .named(.paper), path: p)
        let data = try Data(contentsOf: URL(fileURLWithPath: p))
        let doc = try XMLDocument(data: data)
        expectEqual(doc.rootElement()?.name, "svg")
        let text = String(decoding: data, as: UTF8.self)
        expectContains(text, "<rect")
        // Real text: every label drawn is a <text> element with those words, in drawing order.
        let (bytes, drawn) = try FigureRenderer.bytesAndTexts(ChartSamples.bars, format: .svg, theme: .named(.paper))
        expectEqual(Data(bytes), data)
        let texts = try doc.nodes(forXPath: "//*[local-name()='text']").map { $0.stringValue ?? "" }
        expectEqual(texts, drawn)
        expectContains(texts, "pt_write")
        expectContains(texts, ChartSamples.bars.title)
        expectLacks(text, "<symbol", "no glyph outlines")
        expectLacks(text, "<use", "no glyph outlines")
        // Named for screen readers.
        try expectEqual(doc.nodes(forXPath: "/*/*[local-name()='title']").first?.stringValue, ChartSamples.bars.title)
        try expectEqual(doc.nodes(forXPath: "/*/*[local-name()='desc']").first?.stringValue, ChartSamples.bars.altText())
    }

    @Test func pdfStartsWithTheMagic() throws {
        let p = ChartSamples.path("pdf")
        defer { unlink(p) }
        try FigureRenderer.render(ChartSamples.lines, format: .pdf, theme: .named(.slides), path: p)
        #expect(try Data(contentsOf: URL(fileURLWithPath: p)).starts(with: Array("%PDF".utf8)))
    }

    @Test func emptyChartsDrawNoDataAndSaySo() throws {
        let empty = BarChart(title: "Nothing", categories: [], series: [], valueLabel: "x")
        let p = ChartSamples.path("png")
        defer { unlink(p) }
        try FigureRenderer.render(empty, format: .png, theme: .named(.paper), path: p)
        expectContains(empty.caption(), "no data")
        expectContains(empty.altText(), "no data")
        let single = LineChart(title: "One", xLabel: "x", yLabel: "y", series: [("s", [(1, 1)])])
        try FigureRenderer.render(single, format: .svg, theme: .named(.paper), path: p)
    }
}
