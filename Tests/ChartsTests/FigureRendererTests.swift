import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts

@Suite struct PDFRenderTests {
    /// The PDF renders (pdftoppm, installed by `make test`) and shows the bar where the PNG has it.
    @Test func pdfRendersWithPoppler() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/virtlab-pdf-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FigureRenderer.render(ChartTests.bars, format: .pdf, theme: .named(.paper), path: dir + "/f.pdf", width: 400, height: 300)
        let tool = ["/usr/bin/pdftoppm", "/usr/local/bin/pdftoppm"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let pdftoppm = try #require(tool, "pdftoppm is missing: make test installs poppler-utils")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdftoppm)
        process.arguments = ["-png", "-r", "72", "-singlefile", dir + "/f.pdf", dir + "/page"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let (w, h) = try #require(PNGProbe.size(dir + "/page.png"))
        #expect(w == 400 && h == 300)
        var found = false
        for x in 0..<(w / 2) {
            if let c = PNGProbe.pixel(dir + "/page.png", x: x, y: h - 70), abs(c.b - 0xB2 / 255.0) < 0.05, abs(c.g - 0x72 / 255.0) < 0.05 { found = true; break }
        }
        #expect(found)
    }
}
