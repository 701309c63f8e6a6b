import Analysis

/// Lanes over simulated time, drawn from a per-pixel reduction: interval-heavy buckets as bars
/// whose height is the busy fraction, instants as ticks, counters as min–max envelopes; colour
/// is the bucket's dominant event kind.
package struct TimelineChart: Chart {
    package var title: String
    package var timeline: Timeline

    package init(title: String, timeline: Timeline) {
        self.title = title
        self.timeline = timeline
    }

    package var isEmpty: Bool { timeline.events == 0 || timeline.lanes.isEmpty }

    package func draw(_ p: Plot) {
        let t = p.theme
        let tl = timeline
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title)
        // Kinds that dominate some bucket get a colour and a legend entry.
        var used: [Int] = []
        for lane in tl.lanes where lane.kind == .events {
            for d in lane.dominant where d >= 0 && !used.contains(Int(d)) { used.append(Int(d)) }
        }
        used.sort()
        let colour = { (kind: Int) -> RGB in t.palette[(used.firstIndex(of: kind) ?? 0) % t.palette.count] }
        let legendWidth = p.legend(used.map { tl.kindNames[$0] }, top: top) { i, x, y, s in
            p.canvas.fill(x: x, y: y, width: s, height: s, color: t.palette[i % t.palette.count])
        }
        let labelWidth = (tl.lanes.map { p.canvas.measure($0.name, size: p.font).width }.max() ?? 0) + p.font
        let left = labelWidth + p.font * 0.5
        let right = p.width - legendWidth - p.font
        let bottom = p.height - p.font * 3.5
        let laneHeight = (bottom - top) / Double(tl.lanes.count)
        let columns = right - left
        let xOf = { (b: Int) -> Double in left + Double(b) / Double(tl.buckets) * columns }
        let colWidth = max(1, columns / Double(tl.buckets))
        _ = colWidth
        for (i, lane) in tl.lanes.enumerated() {
            let y0 = top + Double(i) * laneHeight, y1 = y0 + laneHeight * 0.85
            p.canvas.text(lane.name, x: left - p.font * 0.5, y: (y0 + y1) / 2 + p.font * 0.35, size: p.font, color: t.foreground, align: 1)
            p.canvas.line(left, y1, right, y1, color: t.grid, width: 1)
            switch lane.kind {
            case .events:
                // Each run of neighbouring columns with the same dominant kind becomes one filled step
                // outline (busy share as height; instants as a fixed-height band): vector output
                // follows the number of colour changes, not of columns or events.
                var runStart = -1, runKind: Int16 = -2
                var outline: [(Double, Double)] = []
                func flush(_ end: Int) {
                    guard runStart >= 0 else { return }
                    outline.append((xOf(end), y1))
                    outline.insert((xOf(runStart), y1), at: 0)
                    p.canvas.fillPolygon(outline, color: colour(Int(runKind)))
                    outline.removeAll(keepingCapacity: true)
                    runStart = -1
                }
                for b in 0..<tl.buckets {
                    guard lane.count[b] > 0 || lane.busy[b] > 0 else { flush(b); continue }
                    let busy = lane.busy[b] / tl.bucketNs
                    let h = busy > 0.001 ? max(2, (busy * 8).rounded() / 8 * (y1 - y0)) : (y1 - y0) * 0.65
                    if runStart < 0 || lane.dominant[b] != runKind {
                        flush(b)
                        runStart = b
                        runKind = lane.dominant[b]
                    }
                    let top = y1 - h
                    if let last = outline.last, last.1 == top { outline[outline.count - 1].0 = xOf(b + 1) } else {
                        outline.append((xOf(b), top))
                        outline.append((xOf(b + 1), top))
                    }
                }
                flush(tl.buckets)
            case .counter:
                guard let (lo, hi) = Self.range(lane) else { continue }
                let scale = { (v: Double) -> Double in y1 - Self.counterHeight(v, lo: lo, hi: hi) * (y1 - y0) * 0.9 }
                var points: [(Double, Double)] = []
                for b in 0..<tl.buckets where !lane.high[b].isNaN {
                    if abs(scale(lane.low[b]) - scale(lane.high[b])) >= 1.5 {
                        p.canvas.line(xOf(b) + colWidth / 2, scale(lane.low[b]), xOf(b) + colWidth / 2, scale(lane.high[b]), color: t.muted, width: 1)
                    }
                    points.append((xOf(b) + colWidth / 2, scale(lane.high[b])))
                }
                p.canvas.polyline(Self.simplify(points), color: t.foreground, width: max(1, t.lineWidth / 2))
            }
        }
        // Time axis.
        let span = Double(tl.end - tl.start)
        let ticks = NiceTicks.linear(0, span, maxTicks: 7).filter { $0 <= span }
        for v in ticks {
            let x = left + v / span * columns
            p.canvas.line(x, bottom, x, bottom + p.font * 0.4, color: t.muted, width: 1)
            p.xTickLabel(AxisUnit.nanoseconds.label(v), x: x, y: bottom + p.font * 1.5)
        }
        p.canvas.line(left, bottom, right, bottom, color: t.muted, width: 1)
        p.canvas.text("simulated time", x: (left + right) / 2, y: p.height - p.font * 0.8, size: p.font, color: t.foreground, align: 0.5)
    }

    /// The smallest and largest value a counter lane holds (nil when it holds none).
    static func range(_ lane: Timeline.Lane) -> (Double, Double)? {
        let values = zip(lane.low, lane.high).flatMap { [$0, $1] }.filter { !$0.isNaN }
        guard let lo = values.min(), let hi = values.max() else { return nil }
        return (lo, hi)
    }

    /// Where a counter's value sits in its lane, 0 (bottom) to 1: scaled between the lane's
    /// smallest and largest values; a lane that never changes is drawn at the bottom when it
    /// stays at zero (no exits at all) and across the middle otherwise.
    static func counterHeight(_ v: Double, lo: Double, hi: Double) -> Double {
        hi > lo ? (v - lo) / (hi - lo) : (hi == 0 ? 0 : 0.5)
    }

    /// Drops points that lie within half a pixel of the straight line between their neighbours
    /// (a steady counter becomes a few segments).
    static func simplify(_ points: [(Double, Double)]) -> [(Double, Double)] {
        guard points.count > 2 else { return points }
        var out = [points[0]]
        for i in 1..<(points.count - 1) {
            let a = out[out.count - 1], b = points[i], c = points[i + 1]
            let dx = c.0 - a.0
            let expected = dx == 0 ? b.1 : a.1 + (c.1 - a.1) * (b.0 - a.0) / dx
            if abs(expected - b.1) > 0.5 { out.append(b) }
        }
        out.append(points[points.count - 1])
        return out
    }

    package func caption() -> String {
        let tl = timeline
        guard !isEmpty else { return "\(title): no data." }
        var s = "\(title). \(counted(tl.events, "event")) on \(counted(tl.lanes.count, "lane")) over \(AxisUnit.nanoseconds.label(Double(tl.end - tl.start))) of simulated time"
        if tl.eventsPerBucket > 1 {
            s += "; reduced to \(tl.buckets) columns (about \(AxisUnit.count.label(tl.eventsPerBucket.rounded())) events per pixel): bar height is the busy share, colour the most frequent kind"
        }
        return s + "."
    }

    package func altText() -> String {
        let tl = timeline
        guard !isEmpty else { return "\(title): an empty timeline, there is no data." }
        let parts = tl.lanes.map { lane -> String in
            let n = lane.count.reduce(0) { $0 + Int($1) }
            if lane.kind == .counter {
                // What the counter did, not only how often it was read.
                guard let (lo, hi) = Self.range(lane) else { return "\(lane.name): no samples" }
                let values = lo == hi ? "all \(AxisUnit.count.label(lo))" : "from \(AxisUnit.count.label(lo)) to \(AxisUnit.count.label(hi))"
                return "\(lane.name): \(counted(n, "sample")), \(values)"
            }
            let longest = lane.longest.max() ?? 0
            return "\(lane.name): \(counted(n, "event"))" + (longest > 0 ? ", longest \(AxisUnit.nanoseconds.label(Double(longest)))" : "")
        }
        return "Timeline, \(title): " + parts.joined(separator: "; ") + "."
    }
}
