import Charts
import Testing
import TestKit
@testable import Reports
import TraceFormat

/// The provenance of a figure names its trace by path and hash and the one `virtlab render`
/// command that draws it again, quoting what a shell would split.
struct FigureStampTests {
    static func source(_ path: String) throws -> FigureStamp.TraceSource {
        let header = TraceHeader(writerVersion: "virtlab test", seed: 42, metadata: [("scenario_name", "fork-heavy-shadow"), ("topic", "memory")],
                                 strings: [], schema: try Schema([]))
        return FigureStamp.TraceSource(path: path, header: header, sha256: String(repeating: "ab", count: 32))
    }

    @Test func aRunFigureNamesItsTraceAndTheCommandThatRedrawsIt() throws {
        let p = FigureStamp.render(trace: try Self.source("traces/run one.vlt"), chart: "exit-reasons", format: .svg, theme: .dark,
                                   width: 800, scale: 2, dpi: 300, output: "figures/x.svg")
        expectEqual(p["generator"]?.hasPrefix("VirtLab "), true)
        expectEqual(p["scenario"], "fork-heavy-shadow")
        expectEqual(p["topic"], "memory")
        expectEqual(p["seed"], "42")
        expectEqual(p["trace"], "traces/run one.vlt")
        expectEqual(p["trace_sha256"], String(repeating: "ab", count: 32))
        expectEqual(p["command"], "virtlab render 'traces/run one.vlt' --chart exit-reasons --format svg --theme dark --width 800 --scale 2 --dpi 300 -o figures/x.svg")
        expectEqual(p.entries.map(\.key), ["generator", "scenario", "topic", "seed", "trace", "trace_sha256", "command"])
    }

    @Test func aDiagramNamesItsProfileOrLevelsAndNoTrace() {
        let venn = FigureStamp.render(trace: nil, isa: "x86-legacy", chart: "venn", format: .png, theme: .paper, output: "v.png")
        expectEqual(venn["trace"], nil)
        expectEqual(venn["profile"], "x86-legacy")
        expectEqual(venn["command"], "virtlab render --isa x86-legacy --chart venn --format png --theme paper -o v.png")
        let walk = FigureStamp.render(trace: nil, chart: "2d-walk", walkLevels: (4, 5), format: .pdf, theme: .slides, size: "12cmx8cm", output: "w.pdf")
        expectEqual(walk["command"], "virtlab render --chart 2d-walk --guest-levels 4 --nested-levels 5 --format pdf --theme slides --size 12cmx8cm -o w.pdf")
    }

    @Test func theGeneratorAloneOrWithACommand() {
        expectEqual(FigureStamp.generator().entries.count, 1)
        expectEqual(FigureStamp.generator(command: "virtlab course -o site")["command"], "virtlab course -o site")
    }
}
