import Course
import Analysis
import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import SafeOutput
import TraceFormat
import Charts
@testable import VirtLabCommands
import Reports

struct RenderCommandTests {
    @Test func rendersAFigureAndPrintsNoPartialFileOnBadInput() throws {
        let trace = Fixtures.tracePath("render")
        let out = "\(Fixtures.dir)/virtlab-render-\(UUID().uuidString).svg"
        defer { unlink(trace); unlink(out) }
        let s = try Preset.named("precopy-moderate")!.scenario()
        _ = try Runs.simulate(s, to: trace)
        let ok = try RenderCommand.parse([trace, "--chart", "rounds", "--format", "svg", "-o", out])
        try ok.run()
        #expect(FileManager.default.fileExists(atPath: out))
        let wrong = try RenderCommand.parse([trace, "--chart", "exit-reasons", "-o", out + ".png"])
        let e = #expect(throws: ReportError.self) { try wrong.run() }
        expectEqual(e?.description.contains("available: rounds, stages, remaining, heatmap, wws-venn, timeline, event-counts"), true)
        #expect(!FileManager.default.fileExists(atPath: out + ".png"))
        #expect(throws: (any Error).self) { try RenderCommand.parse([trace, "--chart", "rounds", "--width", "0", "-o", out]) }
        let unwritable = try RenderCommand.parse([trace, "--chart", "rounds", "-o", "/nonexistent-dir/x.png"])
        #expect(throws: (any Error).self) { try unwritable.run() }
    }

    /// The 2-D walk without a trace (any depth), from a memory trace's own configuration, and
    /// refused for a trace of another topic.
    @Test func theTwoDimensionalWalkIsDrawnForAConfiguration() throws {
        let out = "\(Fixtures.dir)/virtlab-walk-\(UUID().uuidString).svg"
        defer { unlink(out) }
        try RenderCommand.parse(["--chart", "2d-walk", "--format", "svg", "-o", out]).run()
        #expect(FileManager.default.fileExists(atPath: out))
        expectEqual(Diagrams.walk2D(MemoryConfig(try Preset.named("tlb-thrash-nested")!.scenario())).references, 24)
        var deep = MemoryConfig(try Preset.named("tlb-thrash-nested")!.scenario())
        deep.levels = 5
        deep.nestedLevels = 5
        expectEqual(Diagrams.walk2D(deep).references, 35)
        #expect(throws: (any Error).self) { try RenderCommand.parse(["--chart", "2d-walk", "--guest-levels", "6", "-o", out]) }
        let small = Fixtures.tracePath("walk-2m")
        defer { unlink(small) }
        let s = try Preset.named("tlb-thrash-2m-nested")!.scenario()
        _ = try Runs.simulate(try ScenarioDecoder.decode(text: s.text.replacingOccurrences(of: "accesses: ", with: "accesses: 1000 #"), source: "t"), to: small)
        try RenderCommand.parse([small, "--chart", "2d-walk", "-o", out]).run()
        let io = Fixtures.tracePath("walk-io")
        defer { unlink(io) }
        _ = try Runs.simulate(try ScenarioDecoder.decode(text: try Preset.named("net-native")!.scenario().text
            .replacingOccurrences(of: "requests: 200000", with: "requests: 100"), source: "t"), to: io)
        #expect(throws: CommandError.self) { try RenderCommand.parse([io, "--chart", "2d-walk", "-o", out]).run() }
    }

    @Test(arguments: ["memory", "cpu", "io", "migration"])
    func everyTopicsChartsDraw(_ topic: String) throws {
        let trace = try EveryChartTests.topicTrace(topic, tag: "charts", ioRequests: 5_000)
        defer { unlink(trace) }
        let reader = try TraceReader(path: trace)
        for kind in FigureCatalog.kinds(for: topic) {
            let chart = try FigureCatalog.chart(kind, reader)
            let out = "\(Fixtures.dir)/virtlab-kind-\(UUID().uuidString).png"
            defer { unlink(out) }
            try FigureRenderer.render(chart, format: .png, theme: .named(.paper), path: out)
            #expect(!chart.caption().isEmpty, "\(topic) \(kind)")
        }
    }
}

struct EveryChartTests {
    /// A trace of the topic's first virtualized, warm preset (I/O shortened to `ioRequests`).
    static func topicTrace(_ topic: String, tag: String, ioRequests: Int) throws -> String {
        let preset = Preset.all.first { $0.topic.rawValue == topic && !$0.name.contains("native") && !$0.name.contains("cold") }!
        let trace = Fixtures.tracePath("\(tag)-\(topic)")
        var s = try preset.scenario()
        if topic == "io" { s = try ScenarioDecoder.decode(text: s.text.replacingOccurrences(of: "requests: 200000", with: "requests: \(ioRequests)"), source: "t") }
        _ = try Runs.simulate(s, to: trace)
        return trace
    }

    static let rsvg = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// An SVG as PNG through librsvg (`make deps` installs librsvg2-bin).
    static func rasterise(_ svg: String, to png: String) throws {
        let exe = try #require(rsvg, "rsvg-convert is missing: apt-get install librsvg2-bin (make deps does)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [svg, "-o", png]
        try p.run()
        p.waitUntilExit()
        expectEqual(p.terminationStatus, 0)
    }

    /// Every chart kind of every topic, in every format: SVG parses as XML, same input → same bytes.
    @Test(arguments: ["memory", "cpu", "io", "migration"])
    func everyKindInEveryFormat(_ topic: String) throws {
        let trace = try EveryChartTests.topicTrace(topic, tag: "every", ioRequests: 3_000)
        defer { unlink(trace) }
        let reader = try TraceReader(path: trace)
        for kind in FigureCatalog.kinds(for: topic) {
            for format in Charts.FigureFormat.allCases {
                let a = "\(Fixtures.dir)/virtlab-every-a-\(UUID().uuidString).\(format.rawValue)"
                let b = "\(Fixtures.dir)/virtlab-every-b-\(UUID().uuidString).\(format.rawValue)"
                defer { unlink(a); unlink(b) }
                try FigureRenderer.render(try FigureCatalog.chart(kind, reader), format: format, theme: .named(.paper), path: a)
                try FigureRenderer.render(try FigureCatalog.chart(kind, reader), format: format, theme: .named(.paper), path: b)
                let da = try Data(contentsOf: URL(fileURLWithPath: a))
                expectEqual(da, try Data(contentsOf: URL(fileURLWithPath: b)), "\(topic) \(kind) \(format)")
                if format == .svg {
                    #expect(XMLParser(data: da).parse(), "\(topic) \(kind) SVG does not parse")
                    // Real text: the <text> elements are the words drawn, in order.
                    let (_, drawn) = try FigureRenderer.bytesAndTexts(try FigureCatalog.chart(kind, reader), format: .svg, theme: .named(.paper))
                    let doc = try XMLDocument(data: da)
                    try expectEqual(doc.nodes(forXPath: "//*[local-name()='text']").map { $0.stringValue ?? "" }, drawn, "\(topic) \(kind)")
                    // Rasterised, the SVG looks like the PNG Cairo draws (antialiased text may differ a little).
                    let png = a + ".png", raster = a + ".raster.png"
                    defer { unlink(png); unlink(raster) }
                    try FigureRenderer.render(try FigureCatalog.chart(kind, reader), format: .png, theme: .named(.paper), path: png)
                    try EveryChartTests.rasterise(a, to: raster)
                    let diff = try #require(PNGProbe.difference(png, raster), "\(topic) \(kind): the rasterised SVG has another size")
                    expectLess(diff, 0.04, "\(topic) \(kind): \(Int(diff * 1000)) ‰ of pixels differ between the SVG and the PNG")
                }
            }
        }
    }
}

struct RenderSizeCommandTests {
    @Test func sizeMistakesAreNamed() throws {
        let dir = TestFixtures.folder("render-size")
        defer { removeTree(dir) }
        let trace = try QueryCommandTests.trace(dir)
        for (args, message) in [(["--size", "3x2furlong"], "--size 3x2furlong: use slides"),
                                (["--size", "paper-1col", "--width", "300"], "give --size or --width/--height, not both"),
                                (["--size", "paper-1col", "--dpi", "10"], "--dpi must be between 72 and 2400")] {
            let r = try Fixtures.cli(["render", trace, "--chart", "exit-reasons", "-o", "\(dir)/x.png"] + args)
            expectEqual(r.status, 2, "\(args)")
            expectContains(r.stderr, message, "\(args): \(r.stderr)")
            #expect(!fileExists("\(dir)/x.png"))
        }
    }
}

struct ChartKindTests {
    /// Every chart kind is offered by some topic's traces, or drawn without one (venn, 2d-walk),
    /// or across runs in lessons (bars, sweep: LessonCourseTests and the shipped course draw them).
    @Test func everyKindIsDrawableSomewhere() {
        let offered = Set(["memory", "cpu", "io", "migration"].flatMap { FigureCatalog.kinds(for: $0) })
        for kind in ChartKind.allCases {
            #expect(offered.contains(kind) || [.venn, .walk2D, .bars, .sweep].contains(kind), "\(kind.rawValue) is drawn nowhere")
        }
    }

    @Test func anUnknownChartListsTheKinds() throws {
        let r = try Fixtures.cli(["render", "--chart", "pie", "-o", "/tmp/never.png"])
        expectEqual(r.status, 2)
        expectContains(r.stderr, "exit-reasons", "\(r.stderr)")
        expectContains(r.stderr, "2d-walk", "\(r.stderr)")
    }
}
