import SafeOutput
import Vocabulary
import Charts
import Reports
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

extension Sweeps {
    /// Writes the plan: the base scenario and the axes with explicit values (so --collect rebuilds it exactly).
    package static func writePlan(_ plan: SweepPlan, dir: String) throws {
        try OutputFile.write(text: plan.base.text, to: "\(dir)/base.yaml")
        try OutputFile.write(text: planSpec(plan), to: "\(dir)/sweep.tsv")
    }

    /// The plan's repetitions, seed and axes with explicit values, as sweep.tsv holds them.
    package static func planSpec(_ plan: SweepPlan) -> String {
        var spec = "repeat\t\(plan.repeats)\nseed\t\(plan.base.seed)\n"
        for a in plan.axes {
            spec += "\(a.logarithmic ? "vary-log" : "vary")\t\(a.key)=\(a.values.map(\.description).joined(separator: ","))\n"
        }
        return spec
    }

    /// Rebuilds the plan of a sweep folder.
    package static func loadPlan(_ dir: String) throws -> (SweepPlan, Scenario) {
        guard let baseBytes = readFile("\(dir)/base.yaml"), let specBytes = readFile("\(dir)/sweep.tsv"),
              let spec = String(validating: specBytes, as: UTF8.self) else {
            throw CourseError.badInput("\(dir) is not a sweep folder (no base.yaml and sweep.tsv); run `virtlab sweep … -o \(dir)` or --emit-jobs first")
        }
        var base = try ScenarioDecoder.decode(bytes: baseBytes, source: "\(dir)/base.yaml")
        var repeats = 1
        var axes: [SweepPlan.Axis] = []
        for line in spec.split(separator: "\n") {
            let f = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard f.count == 2 else { continue }
            switch f[0] {
            case "repeat": repeats = Int(f[1]) ?? 1
            case "seed": base.seed = UInt64(f[1]) ?? base.seed
            case "vary", "vary-log":
                var axis = try SweepPlan.axis(f[1], topic: base.topic)
                axis.logarithmic = f[0] == "vary-log"
                axes.append(axis)
            default: break
            }
        }
        return (try SweepPlan(base: base, axes: axes, repeats: repeats, maxRuns: Int.max), base)
    }

    /// One `virtlab run` line per run, plus a Slurm array script that runs line $SLURM_ARRAY_TASK_ID.
    package static func emitJobs(_ plan: SweepPlan, dir: String, file: String) throws {
        try makeDirectory("\(dir)/scenarios")
        let exe = selfExecutable()
        var lines = ""
        var written = Set<Int>()
        for run in plan.runs {
            let scenarioPath = "\(dir)/scenarios/p\(run.point).yaml"
            if written.insert(run.point).inserted { try OutputFile.write(text: run.scenario.text, to: scenarioPath) }
            lines += "\(shellQuote(exe)) run \(shellQuote(scenarioPath)) -o \(shellQuote("\(dir)/\(run.traceName)")) --seed \(run.seed) --quiet\n"
        }
        try OutputFile.write(text: lines, to: file)
        let script = """
        #!/bin/bash
        # Slurm job array for a VirtLab sweep: one task per line of \(file).
        # Submit with: sbatch \(file).sbatch   then, when all tasks are done:
        #   virtlab sweep --collect \(dir)
        #SBATCH --job-name=virtlab-sweep
        #SBATCH --array=1-\(plan.runs.count)
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(dir)/slurm-%A_%a.out
        set -euo pipefail
        line=$(sed -n "${SLURM_ARRAY_TASK_ID}p" \(shellQuote(file)))
        eval "$line"

        """
        try OutputFile.write(text: script, to: "\(file).sbatch")
    }

    /// Metrics of every run from the traces in the folder; lists the runs that are missing.
    package static func collectResults(_ plan: SweepPlan, dir: String) throws -> [[Metric]] {
        var out: [[Metric]] = [], missing: [String] = []
        for run in plan.runs {
            if let m = verified("\(dir)/\(run.traceName)", seed: run.seed, text: run.scenario.text) { out.append(m) } else {
                missing.append(run.traceName)
                out.append([])
            }
        }
        guard missing.isEmpty else {
            throw CourseError.badInput("\(missing.count) of \(counted(plan.runs.count, "run")) \(missing.count == 1 ? "has" : "have") no finished trace yet (first: \(missing.prefix(3).joined(separator: ", "))); run their jobs, then collect again")
        }
        return out
    }

    /// Where a sweep's page sits: standalone (its folder is the site) or inside the course site.
    package struct PageContext {
        var templates: TemplateSet
        /// The sweep folder relative to the site root ("" when standalone, "sweeps/NAME/" in the course).
        var sitePath = ""
        var nav: [NavLink] = []
        var title: String?
        /// The command shown to reproduce the sweep (default: a `virtlab sweep` of DIR/base.yaml).
        var command: String?

        package init(templates: TemplateSet, sitePath: String = "", nav: [NavLink] = [], title: String? = nil, command: String? = nil) {
            self.templates = templates
            self.sitePath = sitePath
            self.nav = nav
            self.title = title
            self.command = command
        }
    }

    /// Writes results.csv, a figure per key metric and numeric axis, and index.html through the
    /// sweep template; returns the figures (the first is the first key metric against the first axis).
    @discardableResult
    package static func report(_ plan: SweepPlan, dir: String, results: [[Metric]], page: PageContext) throws -> [FigureRef] {
        let keys = FigureCatalog.keyMetrics(plan.base.topic.rawValue).map(\.rawValue)
        func value(_ run: Int, _ name: String) -> Double? { results[run].first { $0.name == name }?.value }
        func unit(_ name: String) -> String { results.lazy.compactMap { $0.first { $0.name == name }?.unit }.first ?? "" }
        var csv = (["run", "point", "repetition", "seed"] + plan.axes.map(\.key) + keys.map { "\($0) [\(unit($0))]" })
            .map(Format.csv).joined(separator: ",") + "\n"
        for run in plan.runs {
            var cells = [run.traceName, String(run.point), String(run.repetition), String(run.seed)]
            cells += run.parameters.map { Format.csv($0.value.description) }
            cells += keys.map { value(run.index, $0).map(Format.json) ?? "" }
            csv += cells.joined(separator: ",") + "\n"
        }
        try OutputFile.write(text: csv, to: "\(dir)/results.csv")
        // Each metric against the first axis and against every other numeric axis.
        let xAxes = plan.axes.indices.filter { i in
            i == 0 || plan.axes[i].values.allSatisfy { if case .text = $0 { false } else { true } }
        }
        func shown(_ v: ScenarioValue) -> String { if case let .real(d) = v { Format.number(d) } else { v.description } }
        let axes = plan.axes.map { "\($0.key) ∈ {\($0.values.map(shown).joined(separator: ", "))}" }.joined(separator: " × ")
        var command = "virtlab sweep \(shellQuote(dir + "/base.yaml"))"
        for a in plan.axes { command += " --vary \(shellQuote("\(a.key)=\(a.values.map(\.description).joined(separator: ","))"))" }
        if plan.repeats > 1 { command += " --repeat \(plan.repeats)" }
        command += " -o \(shellQuote(dir))"
        var figures: [FigureRef] = [], sections: [Section] = []
        for key in keys {
            let u = unit(key)
            var section = Section(id: key, heading: MetricLabel.text(key, unit: u) + (u.isEmpty ? "" : " (\(u))"))
            for xi in xAxes {
                let name = xi == 0 ? key : "\(key)-by-\(plan.axes[xi].key.split(separator: ".").last!)"
                let chart = chart(plan, metric: key, unit: unit(key), x: xi, value: value)
                let figure = try FigureFiles.write(chart, dir: "\(dir)/figures", refDir: page.sitePath + "figures/", name: name, command: page.command ?? command)
                figures.append(figure)
                section.figures.append(figure)
            }
            sections.append(section)
        }
        if page.sitePath.isEmpty {
            for style in page.templates.styles { try OutputFile.write(style.bytes, to: "\(dir)/\(style.name)") }
        }

        let title = page.title ?? "Sweep: \(plan.base.name)"
        let model = SweepPage(title: title, root: RunReport.rootPrefix(of: page.sitePath + "index.html"), nav: page.nav,
                              version: VirtLabVersion.current, heading: title, description: plan.base.description,
                              shape: "\(counted(plan.runs.count, "run")): \(axes)"
                                + (plan.repeats > 1 ? ", \(plan.repeats) repetitions each with their own seeds (whiskers: min–max, lines: means)." : "."),
                              sections: sections, command: page.command ?? command)
        try OutputFile.write(text: try page.templates.render(model, page: "sweep"), to: "\(dir)/index.html")
        return figures
    }

    /// The metric against axis `xi`, one line per combination of the other axes; means with min–max whiskers.
    package static func chart(_ plan: SweepPlan, metric: String, unit: String, x xi: Int = 0, value: (Int, String) -> Double?) -> any Chart {
        let x = plan.axes[xi]
        let numericX = x.values.allSatisfy { if case .text = $0 { false } else { true } }
        // One line per combination of the other varied keys (first appearance order); each run's
        // value goes into its line's bucket at its x position, in one pass over the runs.
        var groups: [String] = [], groupIndex: [String: Int] = [:]
        var buckets: [[[Double]]] = []
        // A line is named by the other keys that vary: a key given one value says nothing about
        // the line; a single varying choice needs no key ("shadow", not "mode=shadow").
        let naming = plan.axes.indices.filter { $0 != xi && plan.axes[$0].values.count > 1 }
        for r in plan.runs {
            let label = naming.map { i -> String in
                let p = r.parameters[i]
                if naming.count == 1, case .text = p.value { return p.value.description }
                return "\(p.key.split(separator: ".").last!)=\(p.value)"
            }.joined(separator: " ")
            let g = groupIndex[label] ?? {
                groupIndex[label] = groups.count
                groups.append(label)
                buckets.append(Array(repeating: [], count: x.values.count))
                return groups.count - 1
            }()
            if let position = x.values.firstIndex(of: r.parameters[xi].value), let v = value(r.index, metric) {
                buckets[g][position].append(v)
            }
        }
        var series: [(name: String, points: [(Double, Double)])] = [], spreads: [[(Double, Double)]] = []
        for (g, label) in groups.enumerated() {
            var points: [(Double, Double)] = [], spread: [(Double, Double)] = []
            for (position, vs) in buckets[g].enumerated() where !vs.isEmpty {
                let xpos: Double
                switch x.values[position] {
                case let .integer(i): xpos = Double(i)
                case let .real(d): xpos = d
                case .text: xpos = Double(position)
                }
                points.append((xpos, vs.reduce(0, +) / Double(vs.count)))
                spread.append((vs.min()!, vs.max()!))
            }
            series.append((label.isEmpty ? metric : label, points))
            spreads.append(spread)
        }
        let pretty = MetricLabel.text(metric, unit: unit)
        let axisUnit = ComparisonReport.axisUnit(unit)
        if !numericX {
            return BarChart(title: sentence("\(pretty) by \(x.key)"), categories: x.values.map(\.description),
                            series: series.map { ($0.name, $0.points.map(\.1)) }, unit: axisUnit, valueLabel: "\(pretty) (\(unit))")
        }
        // Durations, sizes and percentages carry their unit on every tick; others say it in the label.
        let labelled = [.nanoseconds, .bytes, .percent].contains(axisUnit) ? pretty : "\(pretty) (\(unit))"
        let xs = series.flatMap { $0.points.map(\.0) }
        // The axis says what the key means as well as its name ("requests per second per VM (open loop) — io.workload.rate").
        let key = plan.base.topic.keys.first { $0.path == x.key }
        // An integer key (vCPUs, processes, rounds, MiB) counts whole things: no tick between two
        // of them, written out ("1,000" MiB, not "1K").
        var integerKey = false
        if case .integer? = key?.kind { integerKey = true }
        var chart = LineChart(title: sentence("\(pretty) against \(x.key)"), xLabel: key.map { "\($0.help) — \(x.key)" } ?? x.key, yLabel: labelled,
                              xUnit: integerKey ? .whole : (xs.max() ?? 0) >= 10_000 ? .count : .plain, yUnit: axisUnit, series: series)
        chart.logX = x.logarithmic
        // Values over three decades or more (latency as a queue fills): a logarithmic y axis,
        // or the light-load values all sit on the floor.
        let ys = series.flatMap { $0.points.map(\.1) }
        if let lo = ys.min(), let hi = ys.max(), lo > 0, hi / lo >= 1_000 { chart.logY = true }
        if plan.repeats > 1 { chart.spreads = spreads }
        return chart
    }

    /// This program's own path, so job lines run the same VirtLab.
    package static func selfExecutable() -> String { executablePath() ?? "virtlab" }
}
