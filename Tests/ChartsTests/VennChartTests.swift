import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct VennTests {
    static let venn = VennChart(title: "P and S", sets: ["privileged", "sensitive"],
                                regions: [[0]: [], [1]: ["POPF", "SGDT"], [0, 1]: ["LGDT", "MOV CR3"]],
                                outside: ["ADD"], outsideLabel: "safe", highlight: [1], verdict: "Theorem 1 fails")

    @Test func captionAndAltTextNameEveryRegion() {
        expectContains(VennTests.venn.caption(), "sensitive only: 2")
        expectContains(VennTests.venn.caption(), "Theorem 1 fails")
        expectContains(VennTests.venn.altText(), "POPF, SGDT")
        expectContains(VennTests.venn.altText(), "safe: ADD")
    }

    @Test(arguments: FigureFormat.allCases)
    func drawsInEveryFormatAndThreeSetsToo(_ format: FigureFormat) throws {
        let p = FileManager.default.temporaryDirectory.path + "/virtlab-venn-\(UUID().uuidString).\(format.rawValue)"
        defer { unlink(p) }
        try FigureRenderer.render(VennTests.venn, format: format, theme: .named(.paper), path: p)
        let three = VennChart(title: "Three", sets: ["A", "B", "C"], regions: [[0]: ["a"], [0, 1, 2]: ["abc"], [1, 2]: ["bc"]])
        try FigureRenderer.render(three, format: format, theme: .named(.slides), path: p)
        #expect(FileManager.default.fileExists(atPath: p))
    }

    @Test func theHighlightedRegionIsTinted() throws {
        let p = FileManager.default.temporaryDirectory.path + "/virtlab-venn-\(UUID().uuidString).png"
        defer { unlink(p) }
        try FigureRenderer.render(VennTests.venn, format: .png, theme: .named(.paper), path: p, width: 800, height: 480)
        // Right of the centre, inside the sensitive circle only: orange-tinted, not the plain yellow of an un-highlighted region.
        let c = try #require(PNGProbe.pixel(p, x: 520, y: 300))
        expectGreater(c.r, c.b + 0.2)
        expectLess(c.g, 0.85)
    }
}
