import TraceFormat
import Vocabulary

/// One row of the exit-reason table (the `perf kvm stat` / xenalyze view).
package struct ExitReasonRow: Equatable, Sendable {
    package var reason: String
    package var count: UInt64
    /// Share of all exits, 0…100.
    package var percentOfExits: Double
    package var totalNs: UInt64
    /// Share of all exit-handling time, 0…100.
    package var percentOfTime: Double
    package var minNs: UInt64
    package var meanNs: Double
    package var p50Ns: UInt64
    package var p95Ns: UInt64
    package var maxNs: UInt64
}

/// Counts and time statistics of a whole trace, gathered in one streaming pass.
package struct TraceStatistics: Sendable {
    package let header: TraceHeader
    package private(set) var events: UInt64 = 0
    package private(set) var firstTime: UInt64?
    package private(set) var lastTime: UInt64 = 0
    /// Events per kind, by schema position.
    package private(set) var countsByPosition: [UInt64]
    private var exitHistograms: [DurationHistogram]
    private let exitPosition: Int?
    private let reasonField: Int
    private let durationField: Int
    private let reasonNames: [String]

    /// Prepares the tallies for a trace with this header; the exit table uses the kind named
    /// `vm_exit` with an enum field `reason` and a duration field, when the schema has one.
    package init(header: TraceHeader) {
        self.header = header
        countsByPosition = [UInt64](repeating: 0, count: header.schema.kinds.count)
        let kinds = header.schema.kinds
        if let (p, r, names) = VMExitEvent.locate(in: kinds), let d = kinds[p].durationIndex {
            exitPosition = p
            reasonField = r
            durationField = d
            reasonNames = names
            exitHistograms = Array(repeating: DurationHistogram(), count: names.count)
        } else {
            exitPosition = nil
            reasonField = 0
            durationField = 0
            reasonNames = []
            exitHistograms = []
        }
    }

    /// Tallies one event.
    @inline(__always)
    package mutating func add(_ e: RawEvent) {
        events &+= 1
        if firstTime == nil { firstTime = e.time }
        lastTime = e.time
        countsByPosition[e.position] &+= 1
        if e.position == exitPosition {
            exitHistograms[Int(e.fields[reasonField])].record(e.fields[durationField])
        }
    }

    /// Reads a whole trace and tallies it.
    package static func gather(_ reader: TraceReader) throws -> (TraceStatistics, ScanReport) {
        var stats = TraceStatistics(header: reader.header)
        let report = try reader.scan { stats.add($0) }
        return (stats, report)
    }

    /// Simulated time from the first to the last event.
    package var spanNs: UInt64 { firstTime.map { lastTime - $0 } ?? 0 }

    /// Event counts by kind name, sorted by name; kinds with no events are left out.
    package var countsByKind: [(name: String, count: UInt64)] {
        zip(header.schema.kinds, countsByPosition).filter { $0.1 > 0 }.map { ($0.0.name, $0.1) }.sorted { $0.name < $1.name }
    }

    /// Event counts by category name, sorted by name.
    package var countsByCategory: [(name: String, count: UInt64)] {
        var totals: [String: UInt64] = [:]
        for (k, n) in zip(header.schema.kinds, countsByPosition) where n > 0 { totals[k.category.name, default: 0] += n }
        return totals.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }

    /// Whether the schema can hold VM exits at all.
    package var hasExitKind: Bool { exitPosition != nil }

    /// The exit-reason table, most frequent reason first (ties by name).
    package var exitReasons: [ExitReasonRow] {
        let totalCount = exitHistograms.reduce(0) { $0 + $1.count }
        let totalTime = exitHistograms.reduce(0) { $0 + $1.sum }
        var rows: [ExitReasonRow] = []
        for (name, h) in zip(reasonNames, exitHistograms) where h.count > 0 {
            rows.append(ExitReasonRow(
                reason: name, count: h.count,
                percentOfExits: 100 * Double(h.count) / Double(totalCount),
                totalNs: h.sum, percentOfTime: totalTime == 0 ? 0 : 100 * Double(h.sum) / Double(totalTime),
                minNs: h.min, meanNs: h.mean, p50Ns: h.percentile(0.5), p95Ns: h.percentile(0.95), maxNs: h.max))
        }
        return rows.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }
}

/// The span of an interval event: stamped at its end, it began `duration` earlier.
package func intervalStart(of e: RawEvent, durationField: Int) -> UInt64 {
    let d = e.fields[durationField]
    return e.time >= d ? e.time - d : 0
}
