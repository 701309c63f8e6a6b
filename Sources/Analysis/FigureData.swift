import TraceFormat
import Vocabulary

/// Series for figures, computed from a trace in one streaming pass each.
package enum FigureData {
    /// Events per kind, largest first (name, count).
    package static func eventCounts(_ stats: TraceStatistics) -> [(String, Double)] {
        stats.countsByKind.sorted { $0.count > $1.count }.map { ($0.name, Double($0.count)) }
    }

    /// Exits per reason with their total handling time (reason, count, total ns), most frequent first.
    package static func exitReasons(_ stats: TraceStatistics) -> [(String, Double, Double)] {
        stats.exitReasons.map { ($0.reason, Double($0.count), Double($0.totalNs)) }
    }

    /// The last two rounds' dirty sets and their overlap (the writable working set): (round, dirtied
    /// in the round before, dirtied in it, dirtied in both), nil with fewer than two rounds.
    package static func lastRoundOverlap(_ reader: TraceReader) throws -> (Int, Double, Double, Double)? {
        guard let kind = reader.header.schema.kind(.round), let r = kind.fieldIndex(FieldName.round),
              let d = kind.fieldIndex(FieldName.pagesDirtied), let both = kind.fieldIndex(FieldName.pagesRedirtied) else { return nil }
        var rows: [(Int, Double, Double)] = []
        try reader.scan { e in if e.kind == kind.id { rows.append((Int(e.fields[r]), Double(e.fields[d]), Double(e.fields[both]))) } }
        guard rows.count >= 2 else { return nil }
        let a = rows[rows.count - 2], b = rows[rows.count - 1]
        return (b.0, a.1, b.1, b.2)
    }

    /// Pre-copy rounds: (round, pages sent, pages dirtied during it).
    package static func rounds(_ reader: TraceReader) throws -> [(Double, Double, Double)] {
        guard let kind = reader.header.schema.kind(.round),
              let r = kind.fieldIndex(FieldName.round), let s = kind.fieldIndex(FieldName.pagesSent), let d = kind.fieldIndex(FieldName.pagesDirtied) else { return [] }
        var out: [(Double, Double, Double)] = []
        try reader.scan { e in if e.kind == kind.id { out.append((Double(e.fields[r]), Double(e.fields[s]), Double(e.fields[d]))) } }
        return out
    }

    /// A counter field over time (ns, value), at most `points` samples (evenly thinned).
    package static func counter(_ reader: TraceReader, kind name: String, field: String, points: Int = 2_000) throws -> [(Double, Double)] {
        guard let kind = reader.header.schema.kind(named: name), let f = kind.fieldIndex(field) else { return [] }
        var out: [(Double, Double)] = []
        try reader.scan { e in if e.kind == kind.id { out.append((Double(e.time), Double(e.fields[f]))) } }
        guard out.count > points else { return out }
        let step = Double(out.count) / Double(points)
        return (0..<points).map { out[Int(Double($0) * step)] } + [out[out.count - 1]]
    }

    /// Durations kept exactly up to this many (8 MiB); beyond it the figures are drawn from a
    /// log-linear histogram (1.6 % buckets), so a 40-million-request trace needs no more memory.
    package static let exactDurations = 1 << 20

    /// An interval kind's durations (one streaming pass, bounded memory).
    package static func durations(_ reader: TraceReader, kind name: String) throws -> DurationHistogram {
        var h = DurationHistogram(exactLimit: exactDurations)
        guard let kind = reader.header.schema.kind(named: name), let d = kind.durationIndex else { return h }
        try reader.scan { e in if e.kind == kind.id { h.record(e.fields[d]) } }
        h.sortSamples()
        return h
    }

    /// A duration distribution as a CDF: (duration ns, share ≤ it), at most about `points` steps.
    package static func durationCDF(_ h: DurationHistogram, points: Int = 200) -> [(Double, Double)] {
        if let sorted = h.exactSorted { return durationCDF(sorted: sorted, points: points) }
        let buckets = h.occupiedBuckets
        let n = Double(h.count), stride = max(1, buckets.count / points)
        var out: [(Double, Double)] = [], seen: UInt64 = 0
        for (i, b) in buckets.enumerated() {
            seen += b.count
            if i % stride == 0 || i == buckets.count - 1 {
                out.append((Double(min(max(b.low &+ b.width &- 1, h.min), h.max)), Double(seen) / n))
            }
        }
        return out
    }

    /// A duration distribution in `bins` equal-width bins: (bin start ns, bin end ns, count).
    package static func durationHistogram(_ h: DurationHistogram, bins: Int = 20) -> [(Double, Double, Double)] {
        if let sorted = h.exactSorted { return durationHistogram(sorted: sorted, bins: bins) }
        guard h.count > 0 else { return [] }
        let lo = h.min, hi = h.max
        let width = max(1, Double(hi - lo) / Double(bins) + 1 / Double(bins))
        var counts = [Double](repeating: 0, count: bins)
        for b in h.occupiedBuckets {
            let mid = min(max(b.low &+ b.width / 2, lo), hi)
            counts[min(bins - 1, Int(Double(mid - lo) / width))] += Double(b.count)
        }
        return (0..<bins).map { (Double(lo) + Double($0) * width, Double(lo) + Double($0 + 1) * width, counts[$0]) }
    }

    /// The distribution of durations already sorted ascending as a CDF: (duration ns, share ≤ it),
    /// at most `points` steps.
    package static func durationCDF(sorted values: [UInt64], points: Int = 200) -> [(Double, Double)] {
        guard !values.isEmpty else { return [] }
        let n = Double(values.count)
        let stride = max(1, values.count / points)
        var out: [(Double, Double)] = []
        var i = 0
        while i < values.count {
            out.append((Double(values[i]), Double(i + 1) / n))
            i += stride
        }
        if out.last?.1 != 1 { out.append((Double(values[values.count - 1]), 1)) }
        return out
    }

    /// The per-round dirty map: rows = memory regions, columns = rounds, value = share of the
    /// region's pages dirtied during the round.
    package static func dirtyMap(_ reader: TraceReader) throws -> (rounds: [Int], regions: Int, values: [[Double]]) {
        guard let kind = reader.header.schema.kind(.dirtyMap) else { return ([], 0, []) }
        var cells: [Int: [Int: Double]] = [:]
        var regions = 0
        try reader.scan { e in
            guard e.kind == kind.id else { return }
            let round = Int(e.fields[0]), region = Int(e.fields[1])
            regions = max(regions, region + 1)
            cells[round, default: [:]][region] = e.fields[3] == 0 ? 0 : Double(e.fields[2]) / Double(e.fields[3])
        }
        let rounds = cells.keys.sorted()
        let values = (0..<regions).map { r in rounds.map { cells[$0]?[r] ?? 0 } }
        return (rounds, regions, values)
    }

    /// Durations already sorted ascending in `bins` equal-width bins: (bin start ns, bin end ns, count).
    package static func durationHistogram(sorted values: [UInt64], bins: Int = 20) -> [(Double, Double, Double)] {
        guard let lo = values.first, let hi = values.last else { return [] }
        let width = max(1, Double(hi - lo + 1) / Double(bins))
        var counts = [Double](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, Int(Double(v - lo) / width))] += 1 }
        return (0..<bins).map { (Double(lo) + Double($0) * width, Double(lo) + Double($0 + 1) * width, counts[$0]) }
    }

    /// The stages of a migration as a Gantt chart in timeline form: one lane per stage (in the
    /// order they began), filled in every bucket the stage overlaps, coloured by stage. Empty
    /// (no lanes) when the trace has no stage events.
    package static func stages(_ reader: TraceReader, buckets: Int = 1_000) throws -> Timeline {
        let none = Timeline(start: 0, end: 1, buckets: 1, lanes: [], events: 0, kindNames: [])
        guard let kind = reader.header.schema.kind(.stage), let sf = kind.fieldIndex(FieldName.stage), let d = kind.durationIndex,
              case let .enumeration(names) = kind.fields[sf].type else { return none }
        var intervals: [(stage: Int, begin: UInt64, end: UInt64)] = []
        try reader.scan { e in
            if e.kind == kind.id { intervals.append((Int(e.fields[sf]), e.time >= e.fields[d] ? e.time - e.fields[d] : 0, e.time)) }
        }
        guard let start = intervals.map(\.begin).min(), let last = intervals.map(\.end).max() else { return none }
        let end = max(last, start == .max ? start : start + 1) // a time of 2^64−1 must not wrap
        let width = Double(end - start) / Double(buckets)
        var order: [Int] = []
        for iv in intervals.sorted(by: { ($0.begin, $0.stage) < ($1.begin, $1.stage) }) where !order.contains(iv.stage) { order.append(iv.stage) }
        var lanes: [Timeline.Lane] = []
        for (l, stage) in order.enumerated() {
            var lane = Timeline.Lane(name: String(names[stage].map { $0 == "_" ? " " : $0 }), kind: .events,
                                     count: Array(repeating: 0, count: buckets), busy: Array(repeating: 0, count: buckets),
                                     dominant: Array(repeating: -1, count: buckets), longest: Array(repeating: 0, count: buckets),
                                     low: Array(repeating: .nan, count: buckets), high: Array(repeating: .nan, count: buckets))
            for iv in intervals where iv.stage == stage {
                let first = min(buckets - 1, Int(Double(iv.begin - start) / width))
                let lastBucket = min(buckets - 1, max(first, Int((Double(iv.end - start) / width).rounded(.up)) - 1))
                for b in first...lastBucket {
                    lane.busy[b] = width
                    lane.count[b] = 1
                    lane.dominant[b] = Int16(l)
                    lane.longest[b] = max(lane.longest[b], iv.end - iv.begin)
                }
            }
            lanes.append(lane)
        }
        return Timeline(start: start, end: end, buckets: buckets, lanes: lanes, events: UInt64(intervals.count),
                        kindNames: order.map { String(names[$0].map { $0 == "_" ? " " : $0 }) })
    }

    /// Summary metrics by name.
    package static func metrics(_ reader: TraceReader) -> [String: Double] {
        var out: [String: Double] = [:]
        for m in reader.summary ?? [] { out[m.name] = m.value }
        return out
    }
}

/// A trace with the results of its dearer passes kept, so several figures of one page read the
/// file once for statistics and once per interval kind instead of once per figure.
package final class FigureSource {
    package let reader: TraceReader
    private var gathered: (TraceStatistics, ScanReport)?
    private var durations: [String: DurationHistogram] = [:]

    package init(_ reader: TraceReader) { self.reader = reader }

    /// Counts and the exit table (one pass, the first time).
    package func statistics() throws -> (TraceStatistics, ScanReport) {
        if let g = gathered { return g }
        let g = try TraceStatistics.gather(reader)
        gathered = g
        return g
    }

    /// An interval kind's durations (one pass per kind, the first time).
    package func durations(_ kind: String) throws -> DurationHistogram {
        if let d = durations[kind] { return d }
        let d = try FigureData.durations(reader, kind: kind)
        durations[kind] = d
        return d
    }
}
