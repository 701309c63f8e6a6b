import TraceFormat

/// Series for figures, computed from a trace in one streaming pass each.
package enum FigureData {
    /// Events per kind, largest first (name, count).
    package static func eventCounts(_ reader: TraceReader) throws -> [(String, Double)] {
        let (stats, _) = try TraceStatistics.gather(reader)
        return stats.countsByKind.sorted { $0.count > $1.count }.map { ($0.name, Double($0.count)) }
    }

    /// Exits per reason with their total handling time (reason, count, total ns), most frequent first.
    package static func exitReasons(_ reader: TraceReader) throws -> [(String, Double, Double)] {
        let (stats, _) = try TraceStatistics.gather(reader)
        return stats.exitReasons.map { ($0.reason, Double($0.count), Double($0.totalNs)) }
    }

    /// The last two rounds' dirty sets and their overlap (the writable working set): (round, dirtied
    /// in the round before, dirtied in it, dirtied in both), nil with fewer than two rounds.
    package static func lastRoundOverlap(_ reader: TraceReader) throws -> (Int, Double, Double, Double)? {
        guard let kind = reader.header.schema.kind(named: "round"), let r = kind.fieldIndex("round"),
              let d = kind.fieldIndex("pages_dirtied"), let both = kind.fieldIndex("pages_redirtied") else { return nil }
        var rows: [(Int, Double, Double)] = []
        try reader.scan { e in if e.kind == kind.id { rows.append((Int(e.fields[r]), Double(e.fields[d]), Double(e.fields[both]))) } }
        guard rows.count >= 2 else { return nil }
        let a = rows[rows.count - 2], b = rows[rows.count - 1]
        return (b.0, a.1, b.1, b.2)
    }

    /// Pre-copy rounds: (round, pages sent, pages dirtied during it).
    package static func rounds(_ reader: TraceReader) throws -> [(Double, Double, Double)] {
        guard let kind = reader.header.schema.kind(named: "round"),
              let r = kind.fieldIndex("round"), let s = kind.fieldIndex("pages_sent"), let d = kind.fieldIndex("pages_dirtied") else { return [] }
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

    /// The distribution of an interval kind's durations as a CDF: (duration ns, share ≤ it), ≤ `points` steps.
    package static func durationCDF(_ reader: TraceReader, kind name: String, points: Int = 200) throws -> [(Double, Double)] {
        guard let kind = reader.header.schema.kind(named: name), let d = kind.durationIndex else { return [] }
        var values: [UInt64] = []
        try reader.scan { e in if e.kind == kind.id { values.append(e.fields[d]) } }
        guard !values.isEmpty else { return [] }
        values.sort()
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
        guard let kind = reader.header.schema.kind(named: "dirty_map") else { return ([], 0, []) }
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

    /// An interval kind's durations in `bins` equal-width bins: (bin start ns, bin end ns, count).
    package static func durationHistogram(_ reader: TraceReader, kind name: String, bins: Int = 20) throws -> [(Double, Double, Double)] {
        guard let kind = reader.header.schema.kind(named: name), let d = kind.durationIndex else { return [] }
        var lo = UInt64.max, hi: UInt64 = 0
        try reader.scan { e in if e.kind == kind.id { lo = min(lo, e.fields[d]); hi = max(hi, e.fields[d]) } }
        guard lo <= hi else { return [] }
        let width = max(1, Double(hi - lo + 1) / Double(bins))
        var counts = [Double](repeating: 0, count: bins)
        try reader.scan { e in
            if e.kind == kind.id { counts[min(bins - 1, Int(Double(e.fields[d] - lo) / width))] += 1 }
        }
        return (0..<bins).map { (Double(lo) + Double($0) * width, Double(lo) + Double($0 + 1) * width, counts[$0]) }
    }

    /// Summary metrics by name.
    package static func metrics(_ reader: TraceReader) -> [String: Double] {
        var out: [String: Double] = [:]
        for m in reader.summary ?? [] { out[m.name] = m.value }
        return out
    }
}
