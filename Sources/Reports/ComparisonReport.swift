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
            let base = RunReport.safeName(reader.header[metadata: "scenario_name"] ?? "run")
            // Unique among all pages so far: names "a", "a-3", "a" must not share a page.
            var stem = base, n = runs.count + 1
            while used.contains(stem) {
                stem = "\(base)-\(n)"
                n += 1
            }
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
        // Topics in first-seen order. One topic: its key metrics, run by run. Several: each topic's
        // key metrics among its own runs (a memory overhead and a migration downtime share no axis).
        var topics: [String] = []
        for r in runs where !topics.contains(r.topic) { topics.append(r.topic) }
        func bars(_ group: [RunSummary], key: String, title: String, name: String) throws {
            guard group.contains(where: { $0[metric: key] != nil }) else { return }
            let unit = units[key] ?? ""
            let chart = BarChart(title: title, categories: group.map(\.name), series: [(key, group.map { $0[metric: key] ?? 0 })],
                                 unit: axisUnit(unit), valueLabel: unit.isEmpty ? key : "\(key) (\(unit))")
            if chart.isEmpty { return }
            figures.append(try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: name))
        }
        var description = "Runs: " + names.joined(separator: ", ") + ". Each name links to the run's own page."
        if topics.count == 1 {
            for key in FigureCatalog.keyMetrics(topics[0]) {
                try bars(runs, key: key, title: "\(key.replacingOccurrences(of: "_", with: " ")) by run", name: "compare-\(key)")
            }
        } else {
            let counts = topics.map { t in "\(t) ×\(runs.filter { $0.topic == t }.count)" }
            description += " The runs are of different topics (\(counts.joined(separator: ", "))): each topic's key results are charted among "
                + "its own runs, and the table lists every metric, with – where a run has none."
            for topic in topics {
                let group = runs.filter { $0.topic == topic }
                guard group.count > 1 else { continue }
                for key in FigureCatalog.keyMetrics(topic) {
                    try bars(group, key: key, title: "\(key.replacingOccurrences(of: "_", with: " ")) — \(topic) runs", name: "compare-\(topic)-\(key)")
                }
            }
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
                              description: description,
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
