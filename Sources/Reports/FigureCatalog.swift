import Vocabulary
import Analysis
import Charts
import TraceFormat

/// Every chart VirtLab draws, by the name `--chart` takes. A switch over it is exhaustive, so
/// a new kind is a compile error wherever it must be handled.
package enum ChartKind: String, CaseIterable, Sendable {
    case exitReasons = "exit-reasons", cycles, outcomes, latencyCDF = "latency-cdf", latencyHistogram = "latency-histogram"
    case rounds, stages, remaining, heatmap, wwsVenn = "wws-venn", timeline, eventCounts = "event-counts"
    /// Not from a trace: an instruction-set profile's Popek–Goldberg diagram, and the 2-D page walk.
    case venn, walk2D = "2d-walk"
    /// Only in lessons: a metric across runs as bars, and a sweep's headline figure.
    case bars, sweep
}

/// The figures a trace of each topic offers, built from the trace alone.
package enum FigureCatalog {
    /// The topic's key metrics for results.csv and the report.
    package static func keyMetrics(_ topic: String) -> [MetricName] {
        // A trace of a topic this version does not know: no key metrics, not another topic's.
        Topic(rawValue: topic)?.reporting.keyMetrics ?? []
    }

    /// The chart kinds a trace of a topic offers: the topic's own, then what any trace offers
    /// (the timeline and the event counts) — only those for a topic this version does not know.
    package static func kinds(for topic: String) -> [ChartKind] {
        (Topic(rawValue: topic)?.reporting.chartKinds ?? []) + [.timeline, .eventCounts]
    }

    /// Builds a chart from a trace.
    package static func chart(_ kind: ChartKind, _ reader: TraceReader) throws -> any Chart {
        try chart(kind, FigureSource(reader))
    }

    /// Builds a chart from a trace whose passes are shared with the page's other figures.
    package static func chart(_ kind: ChartKind, _ source: FigureSource) throws -> any Chart {
        let reader = source.reader
        let topic = reader.header[metadata: "topic"] ?? ""
        let name = reader.header[metadata: "scenario_name"] ?? "trace"
        guard kinds(for: topic).contains(kind) else {
            throw ReportError.badInput("no chart '\(kind.rawValue)' for a \(topic.isEmpty ? "trace of unknown topic" : topic + " trace"); available: "
                                        + kinds(for: topic).map(\.rawValue).joined(separator: ", "))
        }
        let m = FigureData.metrics(reader)
        switch kind {
        case .latencyHistogram:
            let latencies = try source.durations(EventKindName.ioRequest.rawValue)
            let bins = FigureData.durationHistogram(latencies)
            var chart = BarChart(title: "Request latency histogram — \(name)", categories: bins.map { AxisUnit.nanoseconds.label($0.0) },
                                 series: [("requests", bins.map(\.2))], unit: .count, valueLabel: "requests")
            chart.note = uniformLatencyNote(latencies)
            return chart
        case .wwsVenn:
            guard let o = try FigureData.lastRoundOverlap(reader) else {
                return AreaVennChart(title: "Writable working set — \(name)", names: ("", ""), sizes: (0, 0), overlap: 0)
            }
            return AreaVennChart(title: "Pages dirtied in rounds \(o.0 - 1) and \(o.0) — \(name)",
                                 names: ("round \(o.0 - 1)", "round \(o.0)"), sizes: (o.1, o.2), overlap: o.3, unit: .pages,
                                 note: "The overlap is the writable working set: pages dirtied round after round.")
        case .heatmap:
            let map = try FigureData.dirtyMap(reader)
            let pages = m[MetricName.memoryPages].flatMap { $0 >= 0 && $0 < 1e15 ? Int($0) : nil } ?? 0
            let mib = { (r: Int) -> Int in pages * r / max(map.regions, 1) * 4 / 1_024 }
            let rows = (0..<map.regions).map { "\(mib($0))–\(mib($0 + 1)) MiB" }
            return HeatMap(title: "Where each round's dirty pages are — \(name)", xLabel: "round", yLabel: "memory",
                           columns: map.rounds.map { "\($0)" }, rowLabels: rows, values: map.values,
                           valueLabel: "share of pages dirtied")
        case .timeline:
            return TimelineChart(title: "Timeline — \(name)", timeline: try TimelineReducer.reduce(reader, buckets: 1_000))
        case .stages:
            return TimelineChart(title: "Migration stages — \(name)", timeline: try FigureData.stages(reader))
        case .eventCounts:
            let counts = FigureData.eventCounts(try source.statistics().0)
            return BarChart(title: "Events by kind — \(name)", categories: counts.map(\.0), series: [("events", counts.map(\.1))],
                            unit: .count, valueLabel: "events", logScale: true)
        case .exitReasons:
            let rows = FigureData.exitReasons(try source.statistics().0)
            return BarChart(title: "VM exits by reason — \(name)", categories: rows.map(\.0), series: [("exits", rows.map(\.1))],
                            unit: .count, valueLabel: "exits")
        case .cycles:
            // This run's cycles split by where they went, beside the same workload run natively,
            // split the same way (a native run walks page tables and runs its kernel too; the
            // VMM is the one part it has none of).
            let parts: [(String, native: Double, run: Double)] = [
                ("translation", m[MetricName.nativeTranslationCycles] ?? 0, m[MetricName.translationCycles] ?? 0),
                ("guest kernel", m[MetricName.nativeGuestKernelCycles] ?? 0, m[MetricName.guestKernelCycles] ?? 0),
                ("VMM", 0, m[MetricName.vmmCycles] ?? 0),
            ]
            let rest = max(0, (m[MetricName.totalCycles] ?? 0) - parts.reduce(0) { $0 + $1.run })
            let nativeRest = max(0, (m[MetricName.nativeCycles] ?? 0) - parts.reduce(0) { $0 + $1.native })
            return BarChart(title: "Where the cycles go — \(name)", categories: ["native", "this run"],
                            series: parts.map { ($0.0, [$0.native, $0.run]) } + [("other work", [nativeRest, rest])],
                            stacked: true, unit: .count, valueLabel: "cycles")
        case .outcomes:
            let names: [(MetricName, String)] = [(.emulated, "trapped + emulated"), (.translated, "translated"), (.hypercalls, "hypercalls"),
                         (.hardwareExits, "VM exits"), (.equivalenceViolations, "wrong effect")]
            return BarChart(title: "What the VMM did with sensitive instructions — \(name)", categories: names.map(\.1),
                            series: [("instructions", names.map { m[$0.0] ?? 0 })], unit: .count, valueLabel: "instructions")
        case .latencyCDF:
            let latencies = try source.durations(EventKindName.ioRequest.rawValue)
            var chart = LineChart(title: "Request latency distribution — \(name)", xLabel: "latency", yLabel: "share of requests ≤ latency",
                                  xUnit: .nanoseconds, series: [("requests", FigureData.durationCDF(latencies))])
            chart.note = uniformLatencyNote(latencies)
            return chart
        case .rounds:
            let rounds = try FigureData.rounds(reader)
            var chart = LineChart(title: "Pre-copy rounds — \(name)", xLabel: "round", yLabel: "pages", xUnit: .count, yUnit: .pages, logY: true,
                                  series: [("sent in the round", rounds.map { ($0.0, $0.1) }), ("dirtied during it", rounds.map { ($0.0, max($0.2, 1)) })])
            chart.note = firstRoundNote(first: rounds.first?.1, pages: m[MetricName.memoryPages])
            return chart
        case .remaining:
            let pts = try FigureData.counter(reader, kind: EventKindName.migrationCounters.rawValue, field: FieldName.pagesRemaining.rawValue)
            return LineChart(title: "Pages still to move — \(name)", xLabel: "simulated time", yLabel: "pages", xUnit: .nanoseconds, yUnit: .pages,
                             series: [("remaining", pts)])
        case .venn, .walk2D:
            // Never offered for a trace (the guard above throws first): drawn from a profile or a memory configuration.
            throw ReportError.badInput("the \(kind.rawValue) chart is drawn from --isa PROFILE or the memory configuration, not from a trace's events")
        case .bars, .sweep:
            throw ReportError.badInput("the \(kind.rawValue) chart is drawn from several runs, in a lesson file (docs/lessons.md) or by virtlab sweep")
        }
    }

    /// Round 1 sends every page — unless pages the guest dirtied again before their turn were
    /// skipped (they would be sent twice): say so wherever round 1 is drawn short.
    static func firstRoundNote(first: Double?, pages: Double?) -> String? {
        guard let first, let pages, pages > 0, first < pages else { return nil }
        return "Round 1 sent \(Format.metric(first, unit: "count")) of the VM's \(Format.metric(pages, unit: "count")) pages: with skip_redirtied, a page "
            + "the guest writes again before its turn in the round is skipped and sent in a later round instead of twice (Xen's skip list)."
    }

    /// When (nearly) every request took the same time, say why: a step is not a broken chart.
    static func uniformLatencyNote(_ latencies: DurationHistogram) -> String? {
        guard latencies.count >= 100 else { return nil }
        let p1: UInt64, p99: UInt64
        if let sorted = latencies.exactSorted {
            (p1, p99) = (sorted[sorted.count / 100], sorted[sorted.count - 1 - sorted.count / 100])
        } else {
            (p1, p99) = (latencies.percentile(0.01), latencies.percentile(0.99))
        }
        guard p1 == p99 else { return nil }
        return "At least 98 % of the requests took exactly \(AxisUnit.nanoseconds.label(Double(p1))): a closed loop keeps a fixed number "
            + "in flight and the model's service times are fixed, so each request waits behind the same queue. Random arrivals spread "
            + "latency out (the I/O load sweep: virtlab sweep Traces/scenarios/sweep-io-load.yaml)."
    }
}

extension Dictionary where Key == String, Value == Double {
    /// A trace's result by its vocabulary name.
    subscript(_ name: MetricName) -> Double? { self[name.rawValue] }
}
