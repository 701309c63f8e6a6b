import Analysis
import Vocabulary
import Charts
import TraceFormat

/// `virtlab report T1 T2 …`: a page per run and one page that sets them side by side.
package enum ComparisonReport {
    /// Builds DIR/index.html (the comparison) and DIR/runs/NAME.html (each run).
    /// - Parameters:
    ///   - parameters: a trace's resolved scenario as (key, value) in the scenario's key order
    ///     (the command layer decodes it); the page leads with the keys whose values differ.
    ///   - baseline: the run the others are measured against (its name; default the first).
    package static func build(traces: [String], site: Site, salvage: Bool = false, command: String,
                              parameters: (TraceHeader) -> [(String, String)] = { _ in [] }, baseline: String? = nil) throws {
        var runs: [RunSummary] = []
        var used: Set<String> = []
        var configs: [[(String, String)]] = []
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
            configs.append(parameters(reader.header))
            var run = try RunReport.build(trace: trace, site: site, page: "runs/\(stem).html", nav: nav(runs: true), figurePrefix: stem,
                                           salvage: salvage)
            for (k, v) in configs[configs.count - 1] { run.parameters[k] = Double(v).map { .number($0) } ?? .text(v) }
            if run.name != stem { run.name = "\(run.name) (\(stem))" }
            runs.append(run)
        }
        let names = runs.map(\.name)
        var base = 0
        if let baseline {
            guard let i = runs.firstIndex(where: { $0.name == baseline || $0.name.hasPrefix(baseline + " (") }) else {
                throw ReportError.badInput("--baseline \(baseline): no such run; the runs are \(names.joined(separator: ", "))")
            }
            base = i
        }
        var runTable = Table(caption: "The runs compared", columns: ["Run", "Topic", "Seed", "What was simulated"])
        for r in runs { runTable.add(r.name, href: r.page, [r.topic, String(r.seed), r.description]) }
        var model = try page(runs, runTable: runTable, names: names, site: site, command: command)
        model.differences = differences(runs, configs: configs)
        model.differenceNote = differenceNote(configs, differing: model.differences?.rows.count ?? 0)
        model.keyResults = keyResults(runs, baseline: base, configs: configs)
        model.explorers = runs.map { r in ExplorerRef(traceId: r.page.dropFirst("runs/".count).dropLast(".html".count).description,
                                                      dataScript: "explorer/\(r.page.dropFirst("runs/".count).dropLast(".html".count)).js", windowNote: nil) }
        try site.page(model, template: "comparison", to: "index.html")
    }

    /// The scenario keys whose values differ between the runs (name, description and seed aside).
    static func differences(_ runs: [RunSummary], configs: [[(String, String)]]) -> Table? {
        var order: [String] = []
        for c in configs { for (k, _) in c where !order.contains(k) { order.append(k) } }
        let skip: Set<String> = ["name", "description", "seed"]
        var t = Table(caption: "What differs: the scenario keys whose values are not the same in every run", columns: ["Key"] + runs.map(\.name))
        for key in order where !skip.contains(key) {
            let values = configs.map { c in c.first { $0.0 == key }?.1 ?? "–" }
            guard Set(values).count > 1 else { continue }
            t.add(key, values)
        }
        return t.rows.isEmpty ? nil : t
    }

    static func differenceNote(_ configs: [[(String, String)]], differing: Int) -> String {
        guard !configs.contains(where: \.isEmpty) else { return "Some traces do not record their scenario, so what differs cannot be listed." }
        let seeds = Set(configs.map { c in c.first { $0.0 == "seed" }?.1 ?? "" })
        if differing == 0 {
            return seeds.count > 1 ? "The runs share every scenario key but the seed: the differences below are the spread of repetitions."
                : "The runs have the same scenario and seed."
        }
        return "\(differing) of \(configs[0].count) scenario keys differ" + (seeds.count > 1 ? ", and so do the seeds." : "; the seed is the same.")
    }

    /// The key results with plain labels and units, each run against the baseline; runs that
    /// are repetitions (the same keys but the seed) show their spread, and a difference between
    /// configurations says whether it exceeds that spread.
    static func keyResults(_ runs: [RunSummary], baseline: Int, configs: [[(String, String)]]) -> Table? {
        var topics: [String] = []
        for r in runs where !topics.contains(r.topic) { topics.append(r.topic) }
        let keys = topics.flatMap { FigureCatalog.keyMetrics($0).map(\.rawValue) }.filter { k in runs.contains { $0[metric: k] != nil } }
        guard !keys.isEmpty else { return nil }
        let b = runs[baseline]
        var t = Table(caption: "Key results; each run against the baseline, \(b.name)", columns: ["Result"] + runs.map(\.name))
        // Repetitions: runs whose keys match but for name, description and seed.
        func config(_ i: Int) -> String { configs[i].filter { !["name", "description", "seed"].contains($0.0) }.map { "\($0.0)=\($0.1)" }.joined(separator: ";") }
        let groups = Dictionary(grouping: runs.indices, by: config)
        let repeated = groups.values.contains(where: { $0.count > 1 }) && groups.count > 1
        if repeated { t.columns.append("Versus repetitions") }
        for key in keys {
            let unit = runs.first { $0[metric: key] != nil }?.unit(key) ?? ""
            var cells: [String] = []
            for (i, r) in runs.enumerated() {
                guard let v = r[metric: key] else { cells.append("–"); continue }
                var cell = Format.metricWithUnit(v, unit: unit)
                if i != baseline, let bv = b[metric: key], unit != "bool" {
                    if bv != 0 { cell += " (\(Format.number((v / bv * 100).rounded() / 100))×)" } else if v != 0 { cell += " (baseline 0)" }
                }
                cells.append(cell)
            }
            // Spread within repetitions, and whether the baseline's configuration differs from the others by more.
            let spreads = groups.values.filter { $0.count > 1 }.compactMap { g -> Double? in
                let vs = g.compactMap { runs[$0][metric: key] }
                return vs.count > 1 ? vs.max()! - vs.min()! : nil
            }
            if repeated, let spread = spreads.max() {
                let means = groups.values.map { g in g.compactMap { runs[$0][metric: key] }.reduce(0, +) / Double(max(g.count, 1)) }
                let gap = (means.max() ?? 0) - (means.min() ?? 0)
                t.add(MetricLabel.text(key, unit: unit), cells + [gap > spread ? "differs beyond the spread of repetitions (\(Format.metricWithUnit(spread, unit: unit)))"
                                                                       : "within the spread of repetitions (\(Format.metricWithUnit(spread, unit: unit)))"])
            } else {
                t.add(MetricLabel.text(key, unit: unit), cells + (repeated ? ["–"] : []))
            }
        }
        return t
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
            guard let chart = metricBars(group, key: key, unit: units[key] ?? "", title: title) else { return }
            figures.append(try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: name))
        }
        var description = "Runs: " + names.joined(separator: ", ") + ". Each name links to the run's own page."
        if topics.count == 1 {
            for key in FigureCatalog.keyMetrics(topics[0]).map(\.rawValue) {
                try bars(runs, key: key, title: "\(MetricLabel.text(key, unit: units[key] ?? "")) by run", name: "compare-\(key)")
            }
        } else {
            let counts = topics.map { t in "\(t) ×\(runs.filter { $0.topic == t }.count)" }
            description += " The runs are of different topics (\(counts.joined(separator: ", "))): each topic's key results are charted among "
                + "its own runs, and the table lists every metric, with – where a run has none."
            for topic in topics {
                let group = runs.filter { $0.topic == topic }
                guard group.count > 1 else { continue }
                for key in FigureCatalog.keyMetrics(topic).map(\.rawValue) {
                    try bars(group, key: key, title: "\(MetricLabel.text(key, unit: units[key] ?? "")) — \(topic) runs", name: "compare-\(topic)-\(key)")
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

    /// One metric across runs as bars: a bar for each run that has the metric (a run without it
    /// gets no bar — a zero bar would say it measured zero — and the caption names it); nil when
    /// no run has it or every value is zero.
    static func metricBars(_ group: [RunSummary], key: String, unit: String, title: String) -> BarChart? {
        let have = group.filter { $0[metric: key] != nil }
        guard !have.isEmpty else { return nil }
        let label = MetricLabel.text(key, unit: unit)
        var chart = BarChart(title: title, categories: have.map(\.name), series: [(label, have.map { $0[metric: key]! })],
                             unit: axisUnit(unit), valueLabel: unit.isEmpty ? label : "\(label) (\(unit))")
        let without = group.filter { $0[metric: key] == nil }.map(\.name)
        if !without.isEmpty { chart.note = "\(listed(without)) \(without.count == 1 ? "has" : "have") no \(label)." }
        // Every run at zero compares nothing: the table beside says so.
        return chart.isEmpty || chart.allZero ? nil : chart
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
