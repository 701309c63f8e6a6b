import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct WalkGridTests {
    static let grid = WalkGridChart(title: "Walk", rowLabels: ["guest L2 table", "guest L1 table", "data page"],
                                    columnLabels: ["nested L2", "nested L1", "guest entry"],
                                    steps: [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1)], firstKindColumns: 2,
                                    legend: ("Nested table", "Guest table"), summary: "(2+1)(2+1) − 1 = 8")

    @Test func altTextNumbersEveryRowsReferences() {
        let alt = Self.grid.altText()
        expectContains(alt, "8 memory references")
        expectContains(alt, "guest L2 table: references 1, 2, 3")
        expectContains(alt, "data page: references 7, 8")
        expectContains(Self.grid.caption(), "(2+1)(2+1) − 1 = 8")
    }

    @Test(arguments: FigureFormat.allCases)
    func drawsInEveryFormatAndTheme(_ format: FigureFormat) throws {
        let p = FileManager.default.temporaryDirectory.path + "/virtlab-walk-\(UUID().uuidString).\(format.rawValue)"
        defer { unlink(p) }
        for theme in [Theme.named(.paper), .named(.dark), .named(.slides)] {
            try FigureRenderer.render(Self.grid, format: format, theme: theme, path: p)
            #expect(FileManager.default.fileExists(atPath: p))
        }
    }
}
