import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts

@Suite struct HeatMapTests {
    @Test func viridisEndsAreDarkPurpleAndYellow() {
        #expect(HeatMap.viridis(0) == RGB(hex: 0x440154))
        #expect(HeatMap.viridis(1) == RGB(hex: 0xFDE725))
        let mid = HeatMap.viridis(0.5)
        #expect(mid.g > mid.r)
    }

    @Test func drawsAndDescribesItsGrid() throws {
        let map = HeatMap(title: "Dirty", xLabel: "round", yLabel: "memory", columns: ["1", "2"], rowLabels: ["low", "mid", "high"],
                          values: [[0, 0], [1, 0.5], [0.1, 0]], valueLabel: "share dirtied")
        #expect(map.caption().contains("hottest row is mid"))
        #expect(map.altText().contains("1: 1 of 3 rows above one half"))
        let p = FileManager.default.temporaryDirectory.path + "/virtlab-heat-\(UUID().uuidString).png"
        defer { unlink(p) }
        try FigureRenderer.render(map, format: .png, theme: .named(.paper), path: p, width: 400, height: 300)
        #expect(PNGProbe.size(p)?.0 == 400)
    }
}
