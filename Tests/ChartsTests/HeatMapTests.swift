import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct HeatMapTests {
    @Test func viridisEndsAreDarkPurpleAndYellow() {
        expectEqual(HeatMap.viridis(0), RGB(hex: 0x440154))
        expectEqual(HeatMap.viridis(1), RGB(hex: 0xFDE725))
        let mid = HeatMap.viridis(0.5)
        expectGreater(mid.g, mid.r)
    }

    @Test func drawsAndDescribesItsGrid() throws {
        let map = HeatMap(title: "Dirty", xLabel: "round", yLabel: "memory", columns: ["1", "2"], rowLabels: ["low", "mid", "high"],
                          values: [[0, 0], [1, 0.5], [0.1, 0]], valueLabel: "share dirtied")
        expectContains(map.caption(), "hottest row is mid")
        expectContains(map.altText(), "1: 1 of 3 rows above one half")
        let p = FileManager.default.temporaryDirectory.path + "/virtlab-heat-\(UUID().uuidString).png"
        defer { unlink(p) }
        try FigureRenderer.render(map, format: .png, theme: .named(.paper), path: p, width: 400, height: 300)
        expectEqual(PNGProbe.size(p)?.0, 400)
    }

    @Test func heatMapCellsAnswerHoverInBandsWhenDense() throws {
        let small = HeatMap(title: "Dirty", xLabel: "round", yLabel: "memory", columns: ["1", "2"], rowLabels: ["low", "mid", "high"],
                            values: [[0, 0.5], [1, 0.25], [0.125, 0]], valueLabel: "dirty share")
        let spots = try FigureRenderer.bytesAndHotspots(small, format: .svg, theme: .named(.paper)).hotspots
        expectEqual(spots.count, 6)
        expectContains(spots.map(\.label), "round 2, memory low: dirty share 0.5")
        let rows: [[Double]] = (0..<128).map { (r: Int) -> [Double] in (0..<30).map { (c: Int) -> Double in Double((r * c) % 7) / 6 } }
        let big = HeatMap(title: "Dirty", xLabel: "round", yLabel: "memory", columns: (1...30).map(String.init),
                          rowLabels: (0..<128).map { "r\($0)" }, values: rows, valueLabel: "dirty share")
        let banded = try FigureRenderer.bytesAndHotspots(big, format: .svg, theme: .named(.paper)).hotspots
        expectAtMost(banded.count, 400 + 30)
        expectAtLeast(banded.count, 30)
        // A band names its rows and its mean and highest value, computed from those cells.
        let first = try #require(banded.first)
        let band = 128 * 30 / 400 + 1
        let cells: [Double] = (0..<band).map { rows[$0][0] }
        var sum: Double = 0
        for c in cells { sum += c }
        let mean: String = exactText(sum / Double(band)), highest: String = exactText(cells.max() ?? 0)
        expectEqual(first.label, "round 1, memory r0 to r\(band - 1): dirty share mean \(mean), highest \(highest)")
    }
}
