import Foundation
import Testing
import TestKit
@testable import Charts

struct FigureSizeTests {
    @Test func namedAndUnitSizesParse() throws {
        try expectEqual(FigureSize.parse("slides"), FigureSize(width: 1_920, height: 1_080, physical: false, slideType: true))
        try expectEqual(FigureSize.parse("paper-1col"), FigureSize(width: 252, height: 173, physical: true))
        try expectEqual(FigureSize.parse("800x480"), FigureSize(width: 800, height: 480, physical: false))
        try expectEqual(FigureSize.parse("800x480px"), FigureSize(width: 800, height: 480, physical: false))
        try expectEqual(FigureSize.parse("3.5x2.5in"), FigureSize(width: 252, height: 180, physical: true))
        try expectEqual(FigureSize.parse("89x60mm"), FigureSize(width: 252, height: 170, physical: true))
        try expectEqual(FigureSize.parse("8.9x6cm"), FigureSize(width: 252, height: 170, physical: true))
        try expectEqual(FigureSize.parse("252x180PT"), FigureSize(width: 252, height: 180, physical: true))
        for bad in ["", "x", "3x", "3x2furlong", "-3x2in", "nanx2", "infx2in", "0x0", "1x1", "100000x10", "3 x 2in", "3x2x1"] {
            #expect(throws: ChartError.badSizeSpec(bad), "\(bad)") { try FigureSize.parse(bad) }
        }
    }

    static let chart = BarChart(title: "Exits", categories: ["pt_write", "guest_fault"], series: [("exits", [900, 300])], valueLabel: "exits")

    /// A physical size is physical in every format: PDF page in points, SVG size in pt, PNG at
    /// the asked dpi with a pHYs chunk; type is 8 pt.
    @Test func physicalSizesArePhysicalInEveryFormat() throws {
        let size = try FigureSize.parse("paper-1col")
        let pdf = String(decoding: try FigureRenderer.bytes(Self.chart, format: .pdf, theme: .named(.paper), size: size), as: UTF8.self)
        #expect(pdf.contains("/MediaBox [ 0 0 252 173 ]") || pdf.contains("/MediaBox [0 0 252 173]"))
        let svg = String(decoding: try FigureRenderer.bytes(Self.chart, format: .svg, theme: .named(.paper), size: size), as: UTF8.self)
        expectContains(svg, "width=\"252pt\" height=\"173pt\" viewBox=\"0 0 252 173\"")
        expectContains(svg, "font-size=\"8\"")
        expectContains(svg, "font-size=\"9\"")
        let png = try FigureRenderer.bytes(Self.chart, format: .png, theme: .named(.paper), size: size, dpi: 600)
        func be32(_ at: Int) -> Int { png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        expectEqual(be32(16), 2_100)
        expectEqual(be32(20), 1_442) // 252 pt × 600/72, 173 pt × 600/72
        let phys = try #require(FigureProvenance.firstIndex(of: Array("pHYs".utf8), in: png))
        expectEqual(be32(phys + 4), 23_622) // 600 dpi in pixels per metre
        // Pixel sizes are unchanged: no pHYs, no unit.
        let plain = try FigureRenderer.bytes(Self.chart, format: .png, theme: .named(.paper), size: try FigureSize.parse("400x300"))
        expectEqual(FigureProvenance.firstIndex(of: Array("pHYs".utf8), in: plain), nil)
    }

    /// `slides` keeps the theme's colours and takes the slide type: ticks ≥ 24 px at 1920×1080.
    @Test func slidesAreLegibleFromTheBackRow() throws {
        for theme in [Theme.Name.paper, .dark] {
            let svg = String(decoding: try FigureRenderer.bytes(Self.chart, format: .svg, theme: .named(theme), size: try FigureSize.parse("slides")), as: UTF8.self)
            expectContains(svg, "width=\"1920\" height=\"1080\"")
            let sizes = svg.split(separator: "font-size=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
            #expect(!sizes.isEmpty, "\(theme): \(sizes)")
            #expect(sizes.allSatisfy { $0 >= 24 }, "\(theme): \(sizes)")
        }
    }
}
