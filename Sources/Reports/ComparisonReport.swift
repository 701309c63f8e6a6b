import Analysis
import Charts
import TraceFormat

/// `virtlab report T1 T2 …`: a page per run and one page that sets them side by side.
package enum ComparisonReport {
    /// Builds DIR/index.html (the comparison) and DIR/runs/NAME.html (each run).
    package static func build(traces: [String], site: Site, salvage: Bool = false, command: String) throws {
        var runs: [RunSummary] = []
        var used: Set<String> = []
        for trace in traces {
            let reader = try TraceReader(path: trace, mode: salvage ? .salvage : .strict)
            var stem = RunReport.safeName(reader.header[metadata: "scenario_name"] ?? "run")
            if used.contains(stem) { stem += "-\(runs.count + 1)" }
            used.insert(stem)
            var run = try RunReport.build(trace: trace, site: site, page: "runs/\(stem).html", nav: nav(runs: true), figurePrefix: stem,
                                           salvage: salvage)
            if run.name != stem { run.name = "\(run.name) (\(stem))" }
            runs.append(run)
        }
        let names = runs.map(\.name)
        var runTable = Table(caption: "The runs compared", columns: ["Run", "Topic", "Seed", "What was simulated"])
        for r in runs { runTable.add(r.name, href: r.page, [r.topic, String(r.seed), r.description]) }
        try site.page(page(runs, runTable: runTable, names: names, site: site, command: command), template: "comparison", to: "index.html")
    }

    static func nav(runs: Bool) -> [NavLink] { [NavLink(href: "index.html", label: "Comparison", current: !runs)] }

    static func page(_ runs: [RunSummary], runTable: Table, names: [String], site: Site, command: String) throws -> ComparisonPage {
        // Metric rows in first-seen order; one column per run.
        var order: [String] = [], units: [String: String] = [:]
        for r in runs {
            for m in r.metrics where units[m.name] == nil {
                order.append(m.name)
                units[m.name] = m.unit
            }
        }
        var metrics = Table(columns: ["Metric", "Unit"] + names)
        for name in order {
            metrics.add(name, [units[name] ?? ""] + runs.map { r in r[metric: name].map { Format.metric($0, unit: units[name] ?? "") } ?? "–" })
        }

        var figures: [FigureRef] = []
        let topics = Set(runs.map(\.topic))
        let keys = topics.count == 1 ? FigureCatalog.keyMetrics(topics.first!) : order.filter { n in runs.allSatisfy { $0[metric: n] != nil } }
        for key in keys where runs.contains(where: { $0[metric: key] != nil }) {
            let unit = units[key] ?? ""
            let chart = BarChart(title: "\(key.replacingOccurrences(of: "_", with: " ")) by run", categories: names,
                                 series: [(key, runs.map { $0[metric: key] ?? 0 })], unit: axisUnit(unit),
                                 valueLabel: unit.isEmpty ? key : "\(key) (\(unit))")
            if chart.isEmpty { continue }
            figures.append(try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: "compare-\(key)"))
        }
        var reasons: [String] = []
        for r in runs { for e in r.exits where !reasons.contains(e.reason) { reasons.append(e.reason) } }
        if !reasons.isEmpty {
            let chart = BarChart(title: "VM exits by reason, run by run", categories: reasons,
                                 series: runs.map { r in (r.name, reasons.map { reason in Double(r.exits.first { $0.reason == reason }?.count ?? 0) }) },
                                 unit: .count, valueLabel: "exits")
            figures.append(try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: "compare-exit-reasons"))
        }
        let title = runs.count == 1 ? runs[0].name : "\(runs.count) runs compared"
        return ComparisonPage(title: title, root: "", nav: nav(runs: false), version: VirtLabVersion.current, heading: title,
                              description: "Runs: " + names.joined(separator: ", ") + ". Each name links to the run's own page.",
                              runs: runTable, metrics: metrics, figures: figures, hasFigures: !figures.isEmpty, command: command)
    }

    /// The chart axis unit for a metric unit.
    package static func axisUnit(_ unit: String) -> AxisUnit {
        switch unit {
        case "ns": .nanoseconds
        case "bytes": .bytes
        case "%": .percent
        case "count", "cycles", "exits", "pages": .count
        default: .plain
        }
    }
}
