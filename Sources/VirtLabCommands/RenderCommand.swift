import Analysis
import ArgumentParser
import Charts
import Reports
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
        exit-reasons; io: latency-cdf, latency-histogram, exit-reasons; migration: rounds, stages (a Gantt chart of the migration stages), remaining, heatmap, wws-venn; and for an \
        instruction-set profile (--isa x86-legacy): venn. Asking for a \
        chart the trace's topic does not have lists the ones it does. The caption goes to \
        standard output; --alt prints the alt text instead.

        Example:
          virtlab render t.vlt --chart exit-reasons --format svg --theme slides -o exits.svg
        """
    )

    @Argument(help: "A .vlt trace (or use --isa).")
    var trace: String?

    @Option(help: "Draw an instruction-set profile (shipped name or YAML file) instead of a trace: --chart venn.")
    var isa: String?

    @Option(help: "Which chart.")
    var chart: String

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

    @Option(name: .shortAndLong, help: "File to write.")
    var output: String

    @Flag(help: "Print the alt text instead of the caption.")
    var alt = false

    func validate() throws {
        if (trace == nil) == (isa == nil) { throw ValidationError("give a trace or --isa PROFILE (one of them)") }
        if let w = width, !(1...16_384).contains(w) { throw ValidationError("--width must be 1–16384 pixels, not \(w)") }
        if let h = height, !(1...16_384).contains(h) { throw ValidationError("--height must be 1–16384 pixels, not \(h)") }
        if !(0.25...8).contains(scale) { throw ValidationError("--scale must be between 0.25 and 8") }
    }

    func run() throws {
        let figure: any Chart
        if let isa {
            guard chart == "venn" else { throw CommandError.badInput("no chart '\(chart)' for an instruction-set profile; available: venn") }
            figure = Self.venn(try CPUSimulator.loadProfile(isa, readFile: RunCommand.diskReader))
        } else {
            figure = try FigureCatalog.chart(chart, try TraceReader(path: trace!))
        }
        try AtomicFile.write(output) { temp in
            do {
                try FigureRenderer.render(figure, format: Charts.FigureFormat(rawValue: format.rawValue)!, theme: .named(theme),
                                          path: temp, width: width, height: height, scale: scale)
            } catch let e as ChartError {
                throw CommandError.badInput("cannot draw \(output): \(e.description)")
            }
        }
        print(alt ? figure.altText() : figure.caption())
    }

    /// Popek and Goldberg's picture of a profile: privileged and sensitive sets, the safe ones
    /// outside, sensitive ∖ privileged highlighted when theorem 1 fails.
    static func venn(_ isa: InstructionSet) -> VennChart {
        let r = VirtualizabilityReport(isa)
        let fails = !r.theorem1.holds
        return VennChart(title: "Privileged and sensitive instructions — \(isa.name)", sets: ["privileged", "sensitive"],
                         regions: [[0]: r.region("privileged_not_sensitive"), [1]: r.region("sensitive_not_privileged"),
                                   [0, 1]: r.region("privileged_and_sensitive")],
                         outside: r.region("safe"), outsideLabel: "safe",
                         highlight: fails ? [1] : nil,
                         verdict: fails ? "Theorem 1 fails: \(r.theorem1.counterexamples.count) sensitive instructions do not trap"
                                        : "Theorem 1 holds: every sensitive instruction traps")
    }
}

extension Theme.Name: ExpressibleByArgument {}
