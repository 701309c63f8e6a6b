import Course
import Vocabulary
import Analysis
import ArgumentParser
import Charts
import Reports
import SafeOutput
import Simulation
import TraceFormat

/// `virtlab render`: one figure from one trace.
struct RenderCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case png, svg, pdf }

    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw a figure from a trace as PNG, SVG or PDF, with a caption and alt text computed from the data.",
        discussion: """
        Charts by topic — any: timeline, event-counts; memory: exit-reasons, cycles; cpu: outcomes, \
        exit-reasons; io: latency-cdf, latency-histogram, exit-reasons; migration: rounds, stages (a Gantt chart of the migration stages), remaining, heatmap, wws-venn; for an \
        instruction-set profile (--isa x86-legacy): venn; and 2d-walk, the two-dimensional page walk reference by \
        reference — of a memory trace's configuration (its guest and nested levels and page sizes), or without a \
        trace of --guest-levels and --nested-levels (4 and 4: 24 references). Asking for a \
        chart the trace's topic does not have lists the ones it does. The caption goes to \
        standard output; --alt prints the alt text instead.

        Examples:
          virtlab render t.vlt --chart exit-reasons --format svg --theme slides -o exits.svg
          virtlab render --chart 2d-walk --guest-levels 5 --nested-levels 5 -o la57-walk.png
        """
    )

    @Argument(help: "A .vlt trace (or use --isa).")
    var trace: String?

    @Option(help: "Draw an instruction-set profile (shipped name or YAML file) instead of a trace: --chart venn.")
    var isa: String?

    @Option(help: "Which chart.")
    var chart: ChartKind

    @Option(help: "Guest page-table levels of a 2d-walk drawn without a trace (2–5).")
    var guestLevels = 4

    @Option(help: "Nested page-table levels of a 2d-walk drawn without a trace (2–5).")
    var nestedLevels = 4

    @Option(help: "Output format.")
    var format: Format = .png

    @Option(help: "Figure style.")
    var theme: Theme.Name = .paper

    @Option(help: "Width in pixels (default: the theme's).")
    var width: Int?

    @Option(help: "Height in pixels (default: the theme's).")
    var height: Int?

    @Option(help: "PNG pixel density (2 for @2x).")
    var scale: Double = 1

    @Option(help: ArgumentHelp("Size: slides (1920×1080 px, slide type), paper-1col (3.5×2.4 in), paper-2col (7×3.5 in), or WxH with a unit px, in, mm, cm or pt (3.5x2.5in). Physical sizes set type in points (8 pt, titles 9 pt): a PDF page is that size, an SVG says it, a PNG is rendered at --dpi.", valueName: "size"))
    var size: String?

    @Option(help: "Resolution of a PNG at a physical --size (72–2400).")
    var dpi: Double = 300

    @Option(name: .shortAndLong, help: "File to write.")
    var output: String

    @Flag(help: "Print the alt text instead of the caption.")
    var alt = false

    func validate() throws {
        if trace != nil && isa != nil { throw ValidationError("give a trace or --isa PROFILE, not both") }
        if trace == nil && isa == nil && chart != .walk2D { throw ValidationError("give a trace or --isa PROFILE (or --chart 2d-walk)") }
        for (name, v) in [("--guest-levels", guestLevels), ("--nested-levels", nestedLevels)] where !(2...5).contains(v) {
            throw ValidationError("\(name) must be 2–5, not \(v)")
        }
        if let w = width, !(1...16_384).contains(w) { throw ValidationError("--width must be 1–16384 pixels, not \(w)") }
        if let h = height, !(1...16_384).contains(h) { throw ValidationError("--height must be 1–16384 pixels, not \(h)") }
        if !(0.25...8).contains(scale) { throw ValidationError("--scale must be between 0.25 and 8") }
        if size != nil && (width != nil || height != nil) { throw ValidationError("give --size or --width/--height, not both") }
        if !(72...2_400).contains(dpi) { throw ValidationError("--dpi must be between 72 and 2400, not \(dpi)") }
        if let size {
            do { _ = try FigureSize.parse(size) } catch let e as ChartError { throw ValidationError(e.description) }
        }
    }

    func run() throws {
        let figure: any Chart
        if chart == .walk2D {
            var config = MemoryConfig(try Preset.named(.tlbThrashNested).scenario())
            config.levels = guestLevels
            config.nestedLevels = nestedLevels
            if let trace {
                let reader = try TraceReader(path: trace)
                guard let text = reader.header.metadata.first(where: { $0.key == "scenario" })?.value,
                      let scenario = try? ScenarioDecoder.decode(text: text, source: trace), scenario.topic == .memory else {
                    throw CommandError.badInput("\(trace): 2d-walk needs a memory trace (its scenario gives the levels), or no trace")
                }
                config = MemoryConfig(scenario)
            }
            figure = Diagrams.walk2D(config).chart
        } else if let isa {
            guard chart == .venn else { throw CommandError.badInput("no chart '\(chart.rawValue)' for an instruction-set profile; available: venn") }
            figure = Diagrams.venn(try CPUSimulator.loadProfile(isa, readFile: Runs.diskReader))
        } else {
            figure = try FigureCatalog.chart(chart, try TraceReader(path: trace!))
        }
        let bytes: [UInt8]
        do {
            let f = Charts.FigureFormat(rawValue: format.rawValue)!
            if let size {
                bytes = try FigureRenderer.bytes(figure, format: f, theme: .named(theme), size: try FigureSize.parse(size), dpi: dpi,
                                                 scale: scale, provenance: try provenance())
            } else {
                bytes = try FigureRenderer.bytes(figure, format: f, theme: .named(theme), width: width, height: height, scale: scale,
                                                 provenance: try provenance())
            }
        } catch let e as ChartError {
            throw CommandError.badInput("cannot draw \(output): \(e.description)")
        }
        try OutputFile.write(bytes, to: output)
        print(alt ? figure.altText() : figure.caption())
    }

    /// Where the figure comes from, and the command that draws it again byte for byte.
    func provenance() throws -> FigureProvenance {
        let source = try trace.map { path in
            guard let sha = SHA256.hex(file: path) else { throw CommandError.internalFailure("cannot read \(path) again to compute its SHA-256") }
            return FigureStamp.TraceSource(path: path, header: try TraceReader(path: path).header, sha256: sha)
        }
        return FigureStamp.render(trace: source, isa: isa, chart: chart.rawValue, walkLevels: trace == nil && chart == .walk2D ? (guestLevels, nestedLevels) : nil,
                                  format: Charts.FigureFormat(rawValue: format.rawValue)!, theme: theme, width: width, height: height, scale: scale,
                                  size: size, dpi: size != nil && dpi != 300 ? dpi : nil, output: output)
    }
}

extension Theme.Name: ExpressibleByArgument {}
extension ChartKind: ExpressibleByArgument {}
