import ArgumentParser
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
        """
    )

    @Argument(help: "One or more .vlt traces.")
    var traces: [String]

    @Option(name: .shortAndLong, help: "Folder for the report.")
    var output: String

    @Option(help: "Folder with the Mustache templates and style sheets.")
    var templates: String?

    @Flag(help: "Replace -o DIR even when it holds files VirtLab did not write there (everything in it is deleted).")
    var force = false

    @Flag(help: "Report a damaged or unfinished trace from the blocks that survive (the page says what was lost).")
    var salvage = false

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
        if traces.count > 64 { throw ValidationError("at most 64 traces in one comparison (got \(traces.count))") }
    }

    func run() throws {
        let site = try Site(target: output, templates: try TemplateSet(folder: templates), inputs: traces, force: force)
        do {
            if traces.count == 1 {
                _ = try RunReport.build(trace: traces[0], site: site, page: "index.html", nav: [NavLink(href: "index.html", label: "Run", current: true)],
                                        figurePrefix: "run", salvage: salvage)
            } else {
                try ComparisonReport.build(traces: traces, site: site, salvage: salvage,
                                           command: "virtlab report " + traces.map(shellQuote).joined(separator: " ") + " -o " + shellQuote(output))
            }
            try site.commit()
        } catch {
            site.abandon()
            throw error
        }
        print(output + "/index.html")
    }
}
