import Course
import Export
import Reports
import Analysis
import ArgumentParser
import TraceFormat

/// `virtlab inspect`: what a trace holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a trace's header, time span, event counts, results and exit-reason table.",
        discussion: """
        The exit-reason table follows `perf kvm stat`: per reason the count, share of exits, \
        total handling time, share of time, and min/mean/p50/p95/max handling time \
        (percentiles within 1.6 %). --salvage reads a damaged trace, skipping damaged blocks, \
        and reports what was lost.

        Example:
          virtlab inspect t.vlt --json | python3 -m json.tool
        """
    )

    @Argument(help: "A .vlt trace.")
    var trace: String

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    @OptionGroup var salvageOption: SalvageOption
    var salvage: Bool { salvageOption.salvage }

    func run() throws {
        let reader = try TraceReader(path: trace, mode: salvage ? .salvage : .strict)
        let (stats, report) = try TraceStatistics.gather(reader)
        let out = FileHandleOutput(fd: 1, path: "standard output")
        try out.write(json ? Self.json(reader, stats, report) : Self.text(reader, stats, report))
        try out.flush()
    }

    static func json(_ reader: TraceReader, _ stats: TraceStatistics, _ report: ScanReport) -> String {
        let h = reader.header
        var parts: [String] = [
            "\"format_version\": \(reader.layout.version)",
            "\"writer_version\": \(JSONText.quoted(h.writerVersion))",
            "\"scenario_name\": \(JSONText.quoted(h[metadata: "scenario_name"] ?? ""))",
            "\"topic\": \(JSONText.quoted(h[metadata: "topic"] ?? ""))",
            "\"seed\": \(h.seed)",
            "\"file_bytes\": \(reader.fileSize)",
            "\"closed\": \(reader.footer != nil)",
            "\"events\": \(stats.events)",
            "\"blocks\": \(report.blocks)",
            "\"span_ns\": \(stats.spanNs)",
            "\"counts\": {" + stats.countsByKind.map { "\(JSONText.quoted($0.name)): \($0.count)" }.joined(separator: ", ") + "}",
            "\"categories\": {" + stats.countsByCategory.map { "\(JSONText.quoted($0.name)): \($0.count)" }.joined(separator: ", ") + "}",
            "\"metrics\": {" + (reader.summary ?? []).map {
                "\(JSONText.quoted($0.name)): {\"value\": \(Format.json($0.value)), \"unit\": \(JSONText.quoted($0.unit))}"
            }.joined(separator: ", ") + "}",
            "\"exit_reasons\": {" + stats.exitReasons.map {
                "\(JSONText.quoted($0.reason)): {\"count\": \($0.count), \"total_ns\": \($0.totalNs), \"min_ns\": \($0.minNs), "
                    + "\"mean_ns\": \(Format.json($0.meanNs)), \"p50_ns\": \($0.p50Ns), \"p95_ns\": \($0.p95Ns), \"max_ns\": \($0.maxNs)}"
            }.joined(separator: ", ") + "}",
        ]
        if reader.mode == .salvage {
            let damage = report.damage.map {
                "{\"offset\": \($0.offset), \"length\": \($0.length), \"error\": \(JSONText.quoted($0.error.description))}"
            }
            parts.append("\"salvage\": {\"blocks_lost\": \(report.blocksLost), \"events_lost\": \(report.eventsLost), "
                + "\"events_lost_exact\": \(report.eventsLostKnown), \"footer_problem\": "
                + (reader.footerProblem.map { JSONText.quoted($0.description) } ?? "null")
                + ", \"damage\": [" + damage.joined(separator: ", ") + "]}")
        }
        return "{" + parts.joined(separator: ", ") + "}\n"
    }

    static func text(_ reader: TraceReader, _ stats: TraceStatistics, _ report: ScanReport) -> String {
        let h = reader.header
        var out = ""
        func line(_ label: String, _ value: String) { out += Format.left(label, 11) + value + "\n" }
        // Everything from the trace goes through terminalSafe: a shared trace is untrusted.
        let safe = Format.terminalSafe
        line("trace", "\(safe(reader.path)) (\(reader.fileSize) bytes, format v\(reader.layout.version), \(safe(h.writerVersion)))")
        line("scenario", "\(safe(h[metadata: "scenario_name"] ?? "?")) (topic \(safe(h[metadata: "topic"] ?? "?")), seed \(h.seed))")
        if let d = h[metadata: "description"], !d.isEmpty { line("", safe(d)) }
        let perEvent = stats.events == 0 ? "" : String(format4: Double(reader.fileSize) / Double(stats.events), digits: 2) + " bytes/event, "
        line("span", "\(Format.duration(Double(stats.spanNs))) simulated; \(stats.events) events in \(report.blocks) blocks (\(perEvent)"
             + (reader.footer != nil ? "closed with index)" : "no footer: the run did not finish)"))
        if reader.mode == .salvage {
            line("salvage", report.damage.isEmpty && reader.footerProblem == nil ? "no damage found"
                 : "\(report.damage.count) damaged regions, \(report.blocksLost) blocks and "
                 + (report.eventsLostKnown ? "" : "at least ") + "\(report.eventsLost) events lost")
            if let f = reader.footerProblem { line("", "footer ignored: \(f.description)") }
            for d in report.damage { line("", "bytes \(d.offset)–\(d.offset + d.length): \(d.error.description)") }
        }
        out += "\nevents by category\n"
        for c in stats.countsByCategory { out += "  " + Format.left(c.name, 14) + Format.right(String(c.count), 12) + "\n" }
        out += "\nevents by kind\n"
        for k in stats.countsByKind { out += "  " + Format.left(k.name, 22) + Format.right(String(k.count), 12) + "\n" }
        if let metrics = reader.summary, !metrics.isEmpty {
            out += "\nresults\n"
            let w = metrics.map(\.name.count).max() ?? 0
            for m in metrics { out += "  " + Format.left(m.name, w) + "  " + Format.right(Format.number(m.value), 16) + " " + safe(m.unit) + "\n" }
        } else {
            out += "\nresults    none (the run did not finish)\n"
        }
        let rows = stats.exitReasons
        if rows.isEmpty {
            out += "\nexit reasons  " + (stats.hasExitKind ? "no VM exits in this trace\n" : "none: this simulator records no VM exits\n")
        } else {
            out += "\nexit reasons\n"
            let head = ["reason", "count", "exits%", "total", "time%", "min", "mean", "p50", "p95", "max"]
            var table = [head]
            for r in rows {
                table.append([r.reason, String(r.count), String(format4: r.percentOfExits, digits: 2) + "%",
                              Format.duration(Double(r.totalNs)), String(format4: r.percentOfTime, digits: 2) + "%",
                              Format.duration(Double(r.minNs)), Format.duration(r.meanNs), Format.duration(Double(r.p50Ns)),
                              Format.duration(Double(r.p95Ns)), Format.duration(Double(r.maxNs))])
            }
            let widths = (0..<head.count).map { c in table.map { $0[c].count }.max() ?? 0 }
            for row in table {
                out += "  " + row.enumerated().map { c, cell in c == 0 ? Format.left(cell, widths[c]) : Format.right(cell, widths[c]) }
                    .joined(separator: "  ") + "\n"
            }
        }
        return out
    }
}
