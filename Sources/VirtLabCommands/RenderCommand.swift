import Analysis
import ArgumentParser
import Charts
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
        exit-reasons; io: latency-cdf, latency-histogram, exit-reasons; migration: rounds, remaining, heatmap, wws-venn; and for an \
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
            figure = try Self.chart(chart, try TraceReader(path: trace!))
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

    /// The chart kinds a topic offers.
    static func kinds(for topic: String) -> [String] {
        switch topic {
        case "memory": ["exit-reasons", "cycles", "timeline", "event-counts"]
        case "cpu": ["outcomes", "exit-reasons", "timeline", "event-counts"]
        case "io": ["latency-cdf", "latency-histogram", "exit-reasons", "timeline", "event-counts"]
        case "migration": ["rounds", "remaining", "heatmap", "wws-venn", "timeline", "event-counts"]
        default: ["timeline", "event-counts"]
        }
    }

    /// Builds a chart from a trace.
    static func chart(_ kind: String, _ reader: TraceReader) throws -> any Chart {
        let topic = reader.header[metadata: "topic"] ?? ""
        let name = reader.header[metadata: "scenario_name"] ?? "trace"
        guard kinds(for: topic).contains(kind) else {
            throw CommandError.badInput("no chart '\(kind)' for a \(topic.isEmpty ? "trace of unknown topic" : topic + " trace"); available: "
                                        + kinds(for: topic).joined(separator: ", "))
        }
        let m = FigureData.metrics(reader)
        switch kind {
        case "latency-histogram":
            let bins = try FigureData.durationHistogram(reader, kind: "io_request")
            return BarChart(title: "Request latency histogram — \(name)", categories: bins.map { AxisUnit.nanoseconds.label($0.0) },
                            series: [("requests", bins.map(\.2))], unit: .count, valueLabel: "requests")
        case "wws-venn":
            guard let o = try FigureData.lastRoundOverlap(reader) else {
                return AreaVennChart(title: "Writable working set — \(name)", names: ("", ""), sizes: (0, 0), overlap: 0)
            }
            return AreaVennChart(title: "Pages dirtied in rounds \(o.0 - 1) and \(o.0) — \(name)",
                                 names: ("round \(o.0 - 1)", "round \(o.0)"), sizes: (o.1, o.2), overlap: o.3, unit: .pages,
                                 note: "The overlap is the writable working set: pages dirtied round after round.")
        case "heatmap":
            let map = try FigureData.dirtyMap(reader)
            let pages = Int(m["memory_pages"] ?? 0)
            let mib = { (r: Int) -> Int in pages * r / max(map.regions, 1) * 4 / 1_024 }
            let rows = (0..<map.regions).map { "\(mib($0))–\(mib($0 + 1)) MiB" }
            return HeatMap(title: "Where each round's dirty pages are — \(name)", xLabel: "round", yLabel: "memory",
                           columns: map.rounds.map { "\($0)" }, rowLabels: rows, values: map.values,
                           valueLabel: "share of pages dirtied")
        case "timeline":
            return TimelineChart(title: "Timeline — \(name)", timeline: try TimelineReducer.reduce(reader, buckets: 1_000))
        case "event-counts":
            let counts = try FigureData.eventCounts(reader)
            return BarChart(title: "Events by kind — \(name)", categories: counts.map(\.0), series: [("events", counts.map(\.1))],
                            unit: .count, valueLabel: "events", logScale: true)
        case "exit-reasons":
            let rows = try FigureData.exitReasons(reader)
            return BarChart(title: "VM exits by reason — \(name)", categories: rows.map(\.0), series: [("exits", rows.map(\.1))],
                            unit: .count, valueLabel: "exits")
        case "cycles":
            // This run's cycles split by where they went, beside the same workload run natively.
            let total = m["total_cycles"] ?? 0
            let parts = [("translation", m["translation_cycles"] ?? 0), ("guest kernel", m["guest_kernel_cycles"] ?? 0), ("VMM", m["vmm_cycles"] ?? 0)]
            let rest = max(0, total - parts.reduce(0) { $0 + $1.1 })
            return BarChart(title: "Where the cycles go — \(name)", categories: ["native", "this run"],
                            series: parts.map { ($0.0, [0, $0.1]) } + [("other work", [m["native_cycles"] ?? 0, rest])],
                            stacked: true, unit: .count, valueLabel: "cycles")
        case "outcomes":
            let names = [("emulated", "trapped + emulated"), ("translated", "translated"), ("hypercalls", "hypercalls"),
                         ("hardware_exits", "VM exits"), ("equivalence_violations", "wrong effect")]
            return BarChart(title: "What the VMM did with sensitive instructions — \(name)", categories: names.map(\.1),
                            series: [("instructions", names.map { m[$0.0] ?? 0 })], unit: .count, valueLabel: "instructions")
        case "latency-cdf":
            let cdf = try FigureData.durationCDF(reader, kind: "io_request")
            return LineChart(title: "Request latency distribution — \(name)", xLabel: "latency", yLabel: "share of requests ≤ latency",
                             xUnit: .nanoseconds, series: [("requests", cdf)])
        case "rounds":
            let rounds = try FigureData.rounds(reader)
            return LineChart(title: "Pre-copy rounds — \(name)", xLabel: "round", yLabel: "pages", yUnit: .pages, logY: true,
                             series: [("sent in the round", rounds.map { ($0.0, $0.1) }), ("dirtied during it", rounds.map { ($0.0, max($0.2, 1)) })])
        default: // remaining
            let pts = try FigureData.counter(reader, kind: "migration_counters", field: "pages_remaining")
            return LineChart(title: "Pages still to move — \(name)", xLabel: "simulated time", yLabel: "pages", xUnit: .nanoseconds, yUnit: .pages,
                             series: [("remaining", pts)])
        }
    }
}

extension Theme.Name: ExpressibleByArgument {}
