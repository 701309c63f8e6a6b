import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct AreaVennTests {
    @Test(arguments: [(1.0, 1.0, 0.5), (2.0, 0.7, 0.3), (1.5, 1.2, 0.0), (1.0, 0.5, 0.78)])
    func distanceGivesTheRequestedLensArea(_ r1: Double, _ r2: Double, _ share: Double) {
        let target = share * Double.pi * min(r1, r2) * min(r1, r2)
        let d = AreaVennChart.distance(r1, r2, lens: target)
        let area = AreaVennChart.lensArea(r1, r2, d)
        expectAtMost(abs(area - target), 0.01 * max(target, 1e-9) + 1e-9)
    }

    @Test func lensAreaLimits() {
        expectEqual(AreaVennChart.lensArea(1, 1, 2), 0)
        expectLess(abs(AreaVennChart.lensArea(1, 0.5, 0.2) - Double.pi * 0.25), 1e-12)
    }

    @Test func captionAndDrawing() throws {
        let v = AreaVennChart(title: "WWS", names: ("round 1", "round 2"), sizes: (24_000, 3_400), overlap: 3_000, unit: .pages)
        expectContains(v.caption(), "both 3K (88 % of the second)")
        let p = FileManager.default.temporaryDirectory.path + "/virtlab-avenn-\(UUID().uuidString).svg"
        defer { unlink(p) }
        try FigureRenderer.render(v, format: .svg, theme: .named(.paper), path: p)
        #expect(FileManager.default.fileExists(atPath: p))
    }
}
