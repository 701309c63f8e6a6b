import SafeOutput
import Vocabulary
import Analysis
import Charts
import TraceFormat

/// What a run page found in its trace, for comparison and topic pages.
package struct RunSummary: Sendable {
    package var name: String
    package var topic: String
    package var description: String
    package var seed: UInt64
    package var metrics: [Metric]
    package var exits: [ExitReasonRow]
    package var figures: [FigureRef]
    /// The run page, relative to the site root.
    package var page: String
    /// The scenario's resolved values by dotted key (defaults included), when the caller knows
    /// them (the course: lessons print and check them).
    package var parameters: [String: ScenarioParameter] = [:]

    package subscript(metric name: String) -> Double? { metrics.first { $0.name == name }?.value }
    package subscript(metric name: MetricName) -> Double? { self[metric: name.rawValue] }
    package func unit(_ name: String) -> String? { metrics.first { $0.name == name }?.unit }
}

/// A resolved scenario value as a lesson reads it.
package enum ScenarioParameter: Sendable, Equatable {
    case number(Double)
    case text(String)
}

/// Run pages: one trace → its scenario, results, exit-reason table, every figure of its topic,
/// and how to make the same trace again.
package enum RunReport {
    /// The figure kinds a run page shows (the event-count bars only when the topic has nothing else).
    static func pageKinds(_ topic: String) -> [ChartKind] {
        let kinds = FigureCatalog.kinds(for: topic).filter { $0 != .eventCounts }
        return kinds.isEmpty ? [.eventCounts] : kinds
    }

    /// Builds the run page of `trace` at `page` (relative to the site root), its figures in
    /// `figures/` named `figurePrefix-KIND`. `command` reproduces the trace; nil writes the
    /// scenario beside the page and gives a `virtlab run` of that file. `traceHref` links the
    /// trace when it is part of the site.
    package static func build(trace: String, site: Site, page: String, nav: [NavLink], figurePrefix: String,
                              command: String? = nil, traceHref: String? = nil, salvage: Bool = false, slides: Bool = false,
                              redacted: Bool = false, window: ClosedRange<UInt64>? = nil) throws -> RunSummary {
        let reader = try TraceReader(path: trace, mode: salvage ? .salvage : .strict)
        let source = FigureSource(reader)
        let (stats, scan) = try source.statistics()
        let h = reader.header
        let name = h[metadata: "scenario_name"] ?? "trace"
        let topic = h[metadata: "topic"] ?? ""
        let root = rootPrefix(of: page)

        var figures: [FigureRef] = []
        // A page and its figures never say "unreadable" where a digest belongs: failing to read
        // the trace again here is a failure of the build.
        guard let sha256 = SHA256.hex(file: trace) else {
            throw ReportError.internalFailure("cannot read \(trace) again to compute its SHA-256")
        }
        // Each figure names the `virtlab render` command that draws it again: of the trace the
        // site carries when it does (`traceHref`; paths from the site's folder, so a site's
        // bytes do not depend on where it was built), else of the trace as given.
        let stamp = FigureStamp.TraceSource(path: traceHref ?? trace, header: h, sha256: sha256)
        let finalDir = traceHref == nil ? "\(site.target)/figures" : "figures"
        for kind in pageKinds(topic) {
            let chart = try FigureCatalog.chart(kind, source)
            // Nothing to draw, or bars that are all zero (the key results already say 0).
            if chart.isEmpty || (chart as? BarChart)?.allZero == true { continue }
            figures.append(try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: "\(figurePrefix)-\(kind.rawValue)",
                                                 source: (stamp, kind.rawValue, finalDir), slides: slides, shelf: slides ? site.charts : nil))
        }

        // The explorer's data beside the page (a script: pages opened from disk cannot fetch files).
        let tracePath = traceHref ?? trace
        let script = try ExplorerData.script(reader, id: figurePrefix, window: window,
                                             command: "virtlab report \(Format.shellWord(tracePath)) -o \(safeName(name))-window --window")
        try site.write(text: script, to: "explorer/\(figurePrefix).js")
        let explorer = ExplorerRef(traceId: figurePrefix, dataScript: "explorer/\(figurePrefix).js",
                                   windowNote: window.map { "the window \(Format.duration(Double($0.lowerBound))) – \(Format.duration(Double($0.upperBound))) of the run, at full detail" })

        var summary = Table(columns: ["Property", "Value"], alignNumbers: false)
        summary.add("Scenario", [name])
        summary.add("Topic", [topic.isEmpty ? "unknown" : topic])
        summary.add("Seed", [String(h.seed)])
        summary.add("Simulated time", [Format.duration(Double(stats.spanNs))])
        summary.add("Events", [Format.grouped(String(stats.events))])
        summary.add("Trace size", [Format.metric(Double(reader.fileSize), unit: "bytes")])
        summary.add("Complete", [reader.footer != nil && reader.summary != nil ? "yes (closed with index and results)" : "no: the run did not finish"])
        if salvage {
            let events = scan.eventsLostKnown ? "\(scan.eventsLost) events" : scan.eventsLost == 0 ? "an unknown number of events" : "at least \(scan.eventsLost) events"
            summary.add("Damage", [scan.damage.isEmpty && reader.footerProblem == nil ? "none found"
                                   : "skipped \(scan.damage.count) damaged region\(scan.damage.count == 1 ? "" : "s"): \(scan.blocksLost) block\(scan.blocksLost == 1 ? "" : "s") "
                                   + "and \(events) lost; the figures show what survived"])
        }

        var key = Table(caption: "The \(topic.isEmpty ? "run" : topic + " topic")'s key results", columns: ["Result", "Value"])
        for name in FigureCatalog.keyMetrics(topic) {
            guard let m = reader.summary?.first(where: { $0.name == name.rawValue }) else { continue }
            key.add(MetricLabel.text(m.name, unit: m.unit), [Format.metricWithUnit(m.value, unit: m.unit)])
        }
        var metrics = Table(caption: "Every result recorded in the trace, exact", columns: ["Metric", "Value", "Unit"])
        for m in reader.summary ?? [] { metrics.add(m.name, [Format.number(m.value), m.unit]) }
        let exitRows = stats.exitReasons
        let exits = exitRows.isEmpty ? nil : exitTable(exitRows, caption: exitCaption(exitRows, summary: reader.summary ?? []))

        let (dir, file) = splitPath(page)
        // The page's own stem where the caller made it unique (comparisons), else the scenario's name:
        // names such as "a/b" and "a\u{0}b" must not share one reproduction file.
        let stem = file == "index.html" ? safeName(name) : String(file.dropLast(file.hasSuffix(".html") ? 5 : 0))
        var reproduce = command
        if reproduce == nil, !redacted, let text = h[metadata: "scenario"] {
            try site.write(text: text, to: "\(dir)\(stem).yaml")
            reproduce = "virtlab run \(stem).yaml --seed \(h.seed) -o \(stem).vlt"
        }
        let repro = Reproduction(command: reproduce ?? "virtlab run SCENARIO --seed \(h.seed)", seed: String(h.seed),
                                 version: h.writerVersion, formatVersion: String(TraceLayout.formatVersion),
                                 tracePath: traceHref ?? "", traceName: traceHref.map { splitPath($0).1 } ?? trace,
                                 traceSize: Format.metric(Double(reader.fileSize), unit: "bytes"), sha256: sha256,
                                 scenario: h[metadata: "scenario"] ?? "(not recorded)")
        let model = RunPage(title: name, root: root, nav: nav, version: VirtLabVersion.current, heading: "Run: \(name)",
                            description: h[metadata: "description"] ?? "", summary: summary, key: key.rows.isEmpty ? nil : key,
                            metrics: metrics, metricCount: metrics.rows.count, exits: exits,
                            figures: figures, hasFigures: !figures.isEmpty, repro: redacted ? nil : repro, explorer: explorer)
        try site.page(model, template: "run", to: page)
        return RunSummary(name: name, topic: topic, description: h[metadata: "description"] ?? "", seed: h.seed,
                          metrics: reader.summary ?? [], exits: exitRows, figures: figures, page: page)
    }

    /// What the exit table counts when the run warmed up first: the table has every exit in the
    /// trace, the key results' "VM exits" only the measured accesses' (a warmed nested-paging
    /// run shows "VM exits 0" there beside 131,331 EPT violations here). Nil without a warm-up.
    static func exitCaption(_ rows: [ExitReasonRow], summary: [Metric]) -> String? {
        func value(_ name: MetricName) -> UInt64? { summary.first { $0.name == name.rawValue }.map { UInt64(max($0.value, 0)) } }
        func n(_ v: UInt64) -> String { Format.grouped(String(v)) }
        guard let warm = value(.warmupVmExits), warm > 0 else { return nil }
        let total = rows.reduce(0) { $0 + $1.count }
        let all = "\(n(total)) exit\(total == 1 ? "" : "s") in the trace"
        guard let measured = value(.vmExits) else { return "\(all), \(n(warm)) of them during the warm-up." }
        if total == warm + measured {
            return "\(all): \(n(warm)) during the warm-up (every page touched once before measuring) "
                + "and \(n(measured)) in the measured accesses, the key results' VM exits."
        }
        return "\(all), the warm-up's (\(n(warm))) included; the key results' VM exits (\(n(measured))) count the measured accesses alone."
    }

    /// The perf-kvm-stat style table.
    static func exitTable(_ rows: [ExitReasonRow], caption: String? = nil) -> Table {
        var t = Table(caption: caption, columns: ["Reason", "Exits", "% of exits", "Total time", "% of time", "Min", "Mean", "p50", "p95", "Max"])
        for r in rows {
            t.add(r.reason, [Format.grouped(String(r.count)), String(format4: r.percentOfExits, digits: 2) + " %", Format.duration(Double(r.totalNs)),
                             String(format4: r.percentOfTime, digits: 2) + " %", Format.duration(Double(r.minNs)),
                             Format.duration(r.meanNs), Format.duration(Double(r.p50Ns)), Format.duration(Double(r.p95Ns)),
                             Format.duration(Double(r.maxNs))])
        }
        return t
    }

    /// "../" per folder level of a page path, so links work from any sub-path and from disk.
    package static func rootPrefix(of page: String) -> String {
        String(repeating: "../", count: page.filter { $0 == "/" }.count)
    }

    /// A file-name-safe form of a scenario name.
    package static func safeName(_ s: String) -> String {
        let kept = s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" }
        let name = String(kept).trimmingLeadingDots()
        return name.isEmpty ? "run" : String(name.prefix(80))
    }
}

extension String {
    func trimmingLeadingDots() -> String { String(drop { $0 == "." }) }
}
