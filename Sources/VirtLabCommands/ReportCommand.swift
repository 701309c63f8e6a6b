import Course
import Analysis
import ArgumentParser
import Export
import Reports

/// `virtlab report`: HTML pages for one run or a comparison of several.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build an HTML report from traces: a run page for one, a comparison page (plus a page per run) for several.",
        discussion: """
        One trace: DIR/index.html shows what was simulated, the results, the exit-reason table, \
        every figure of the trace's topic (SVG on the page, a dark-theme SVG for dark mode, PNG at \
        2× and PDF for slides, all in DIR/figures) and a reproducibility block (command, seed, \
        scenario, VirtLab version, the trace's SHA-256). Several traces: DIR/index.html sets \
        them side by side (one column per run, comparison charts), DIR/runs/NAME.html is each run.

        The site is built beside DIR and swapped in at the end: a failure leaves the previous \
        report intact. --salvage reports a damaged or unfinished trace from the blocks that \
        survive, and says what was lost. DIR must be new, empty, or a report VirtLab made. Pages work from disk \
        (file://) and from any web path; nothing is loaded from the network. Templates come from \
        --templates, $VIRTLAB_TEMPLATES, or the Templates folder of the checkout.

        Examples:
          virtlab report traces/fork-heavy-shadow.vlt -o report
          virtlab report a.vlt b.vlt c.vlt -o compare
          virtlab report run.vlt --window 2.5ms:2.6ms -o detail

        The run page's explorer zooms from the whole run to single events when the trace has at \
        most \(ExplorerData.rawLimit) events; a longer trace's page carries \(ExplorerData.buckets) columns per lane, and \
        --window FROM:TO (times in ns, or with µs, ms, s) writes a page whose explorer holds that \
        stretch at full detail (the trace's index makes it a range read; the explorer shows the \
        command for the stretch in view).
        """
    )

    @Argument(help: "One or more .vlt traces.")
    var traces: [String]

    @Option(name: .shortAndLong, help: "Folder for the report.")
    var output: String

    @OptionGroup var templateOptions: TemplatesOption
    var templates: String? { templateOptions.templates }

    @Flag(help: "Replace -o DIR even when it holds files VirtLab did not write there (everything in it is deleted).")
    var force = false

    @OptionGroup var salvageOption: SalvageOption
    var salvage: Bool { salvageOption.salvage }

    @Option(help: "Several traces: the run the others are measured against (its scenario name; default the first).")
    var baseline: String?

    @Option(help: "One trace: the explorer shows only FROM:TO of simulated time (ns, or with µs, ms, s), at full detail.")
    var window: String?

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
        if traces.count > 64 { throw ValidationError("at most 64 traces in one comparison (got \(traces.count))") }
        if let window {
            guard traces.count == 1 else { throw ValidationError("--window goes with one trace") }
            _ = try Self.parseWindow(window)
        }
    }

    /// "2.5ms:2.6ms", "1000:5000" (ns) → a range of nanoseconds.
    static func parseWindow(_ text: String) throws -> ClosedRange<UInt64> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        func time(_ s: Substring) -> UInt64? {
            let t = s.trimmingCharacters(in: .whitespaces)
            for (unit, scale) in [("ns", 1.0), ("µs", 1e3), ("us", 1e3), ("ms", 1e6), ("s", 1e9)] where t.hasSuffix(unit) {
                guard let v = Double(t.dropLast(unit.count)), v.isFinite, v >= 0, v * scale < 1.8e19 else { return nil }
                return UInt64((v * scale).rounded())
            }
            guard let v = Double(t), v.isFinite, v >= 0, v < 1.8e19 else { return nil }
            return UInt64(v.rounded())
        }
        guard parts.count == 2, let a = time(parts[0]), let b = time(parts[1]), a < b else {
            throw ValidationError("--window \(text): give FROM:TO with FROM before TO, in ns or with a unit (µs, ms, s), e.g. 2.5ms:2.6ms")
        }
        return a...b
    }

    func run() throws {
        let site = try Site(target: output, templates: try TemplateSet(folder: templates), inputs: traces, force: force)
        do {
            if traces.count == 1 {
                _ = try RunReport.build(trace: traces[0], site: site, page: "index.html", nav: [NavLink(href: "index.html", label: "Run", current: true)],
                                        figurePrefix: "run", salvage: salvage, window: try window.map(Self.parseWindow))
            } else {
                try ComparisonReport.build(traces: traces, site: site, salvage: salvage,
                                           command: "virtlab report " + traces.map(shellQuote).joined(separator: " ") + " -o " + shellQuote(output),
                                           parameters: { header in ResolvedScenario.rows(header).map { ($0.key, $0.value.description) } }, baseline: baseline)
            }
            try site.commit()
        } catch {
            site.abandon()
            throw error
        }
        print(output + "/index.html")
    }
}
