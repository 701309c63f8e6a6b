import Foundation
import Testing
import TestKit
@testable import Charts

struct FigureProvenanceTests {
    static let hostile = FigureProvenance([
        ("generator", "VirtLab 0.1.0"), ("scenario", "a (b) \\ \"c\" <d> & é ✓ 🚀"), ("seed", "18446744073709551615"),
        ("command", "virtlab render 'my trace.vlt' --chart exit-reasons -o 'x (1).png'"), ("note", "line one\nline two\ttab"),
    ])

    /// What goes into a PNG, SVG or PDF comes back out, entry for entry, whatever the text.
    @Test(arguments: FigureFormat.allCases)
    func provenanceRoundTripsThroughEveryFormat(_ format: FigureFormat) throws {
        let chart = BarChart(title: "Exits", categories: ["a"], series: [("n", [1])], valueLabel: "exits")
        let bytes = try FigureRenderer.bytes(chart, format: format, theme: .named(.paper), provenance: Self.hostile)
        expectEqual(FigureProvenance.read(bytes), Self.hostile, "\(format)")
        // ASCII-only text takes PDF's literal-string form, the rest its UTF-16 hex form: both read back.
        let ascii = FigureProvenance([("generator", "VirtLab"), ("command", "virtlab render t.vlt -o (x).pdf \\ done")])
        expectEqual(FigureProvenance.read(try FigureRenderer.bytes(chart, format: format, theme: .named(.paper), provenance: ascii)), ascii)
        // Without provenance there is nothing to read (and the file is still valid).
        expectEqual(FigureProvenance.read(try FigureRenderer.bytes(chart, format: format, theme: .named(.paper))), nil)
    }

    /// The PNG stays a PNG others read: the chunks sit between IHDR and IDAT with valid CRCs
    /// (Cairo's own PNG reader loads it).
    @Test func pngWithTextChunksStillLoads() throws {
        let chart = BarChart(title: "Exits", categories: ["a"], series: [("n", [1])], valueLabel: "exits")
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-prov-\(UUID().uuidString).png"
        defer { unlink(path) }
        try FigureRenderer.render(chart, format: .png, theme: .named(.paper), path: path, provenance: Self.hostile)
        expectEqual(PNGProbe.size(path).map { [$0.0, $0.1] }, [800, 480])
    }
}
