/// Lines through (x, y) points, one per series, with markers (distinct shapes in greyscale)
/// and optional logarithmic y. Series with many points are drawn without markers.
package struct LineChart: Chart {
    package var title: String
    package var xLabel: String
    package var yLabel: String
    package var xUnit: AxisUnit
    package var yUnit: AxisUnit
    package var logY: Bool
    /// Logarithmic x (for log-spaced sweeps); x values must be above zero.
    package var logX = false
    /// A sentence the caption ends with (what the data alone does not say).
    package var note: String?
    package var series: [(name: String, points: [(Double, Double)])]
    /// Optional spread per point (low, high), drawn as whiskers: e.g. min and max over repetitions.
    package var spreads: [[(Double, Double)]]

    /// How many points the table and the hover areas hold. A denser line shows this many, chosen
    /// evenly along each line with its first, last, lowest and highest point; the trace holds the rest.
    package static let pointLimit = 200

    /// Per series, the indices of the points the table and the hover areas show: every point while
    /// there are `pointLimit` or fewer in all; otherwise each line's share, evenly spaced, with its
    /// first, last, lowest and highest point.
    package func shownPoints() -> [[Int]] {
        let total = series.reduce(0) { $0 + $1.points.count }
        guard total > Self.pointLimit else { return series.map { Array($0.points.indices) } }
        let share = max(4, Self.pointLimit / max(series.count, 1))
        return series.map { s in
            let n = s.points.count
            guard n > share else { return Array(s.points.indices) }
            // The extremes, then evenly spaced points (first and last among them) in the room left.
            let byValue = { (a: Int, b: Int) in s.points[a].1 < s.points[b].1 }
            var keep: Set<Int> = [s.points.indices.min(by: byValue)!, s.points.indices.max(by: byValue)!]
            let spaced = share - keep.subtracting([0, n - 1]).count
            for k in 0..<spaced { keep.insert(Int((Double(k) * Double(n - 1) / Double(spaced - 1)).rounded())) }
            return keep.sorted()
        }
    }

    /// The points as a table: one row per x, one column per series. A line of more than
    /// `pointLimit` points gives the rows `shownPoints` chooses, and the note says so.
    package func dataTable() -> DataTable? {
        let shown = shownPoints()
        var xs = Set<Double>()
        for (i, s) in series.enumerated() { for j in shown[i] { xs.insert(s.points[j].0) } }
        guard !xs.isEmpty else { return nil }
        // A series' value at an x: its first point there.
        let values: [[Double: Double]] = series.map { s in
            var m: [Double: Double] = [:]
            for p in s.points where m[p.0] == nil { m[p.0] = p.1 }
            return m
        }
        let total = series.reduce(0) { $0 + $1.points.count }
        let kept = shown.reduce(0) { $0 + $1.count }
        let note = kept < total
            ? "\(kept) of \(total) points: evenly spaced along \(series.count > 1 ? "each line" : "the line"), with \(series.count > 1 ? "each" : "its") first, last, lowest and highest"
            : nil
        return DataTable(columns: [xLabel] + series.map(\.name), rows: xs.sorted().map { x in
            ([.plain, .count, .whole].contains(xUnit) ? exactText(x) : xUnit.label(x), values.map { $0[x].map(exactText) ?? "–" })
        }, note: note)
    }

    package init(title: String, xLabel: String, yLabel: String, xUnit: AxisUnit = .plain, yUnit: AxisUnit = .plain, logY: Bool = false,
                 series: [(name: String, points: [(Double, Double)])]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xUnit = xUnit
        self.yUnit = yUnit
        self.logY = logY
        self.series = series
        spreads = []
    }

    package var isEmpty: Bool { series.allSatisfy { $0.points.isEmpty } }

    package func draw(_ p: Plot) {
        let t = p.theme
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title)
        let legendWidth = p.legend(series.map(\.name), top: top) { i, x, y, s in
            p.canvas.line(x, y + s / 2, x + s, y + s / 2, color: t.palette[i % t.palette.count], width: t.lineWidth, dash: dash(i))
            p.canvas.marker(i, x: x + s / 2, y: y + s / 2, size: s * 0.6, color: t.palette[i % t.palette.count])
        }
        let xs = series.flatMap { $0.points.map(\.0) }
        let ys = series.flatMap { $0.points.map(\.1) } + spreads.flatMap { $0.flatMap { [$0.0, $0.1] } }
        let yAxis = ValueAxis(ys, log: logY, includeZero: !logY, whole: yUnit.isWhole, tight: true)
        let xAxis = ValueAxis(xs, log: logX && xs.allSatisfy { $0 > 0 }, includeZero: false, maxTicks: 8, whole: xUnit.isWhole, tight: true)
        let bottom = p.height - p.font * 4
        let right = p.width - legendWidth - p.font * 1.5
        let left = p.yAxis(yAxis, unit: yUnit, label: yLabel, left: 0, top: top, bottom: bottom, right: right)
        for (v, label) in zip(xAxis.ticks, xUnit.labels(xAxis.ticks)) {
            let x = left + xAxis.fraction(v) * (right - left)
            p.canvas.line(x, bottom, x, bottom + p.font * 0.4, color: t.muted, width: 1)
            p.xTickLabel(label, x: x, y: bottom + p.font * 1.5)
        }
        p.canvas.line(left, bottom, right, bottom, color: t.muted, width: 1)
        // Under the plot, or across the whole figure when longer; cut with "…" only past its width.
        let xText = p.canvas.fit(xLabel, width: p.width - p.font, size: p.font, keep: 8)
        let xWidth = p.canvas.measure(xText, size: p.font).width
        let xCentre = min(max((left + right) / 2, xWidth / 2 + p.font / 2), p.width - xWidth / 2 - p.font / 2)
        p.canvas.text(xText, x: xCentre, y: p.height - p.font * 0.8, size: p.font, color: t.foreground, align: 0.5)
        for (i, s) in series.enumerated() {
            let raw = s.points.map { (left + xAxis.fraction($0.0) * (right - left), bottom - yAxis.fraction($0.1) * (bottom - top)) }
            let pts = Self.decimate(raw, columns: Int(right - left))
            let color = t.palette[i % t.palette.count]
            p.canvas.polyline(pts, color: color, width: t.lineWidth, dash: dash(i))
            if i < spreads.count {
                for (j, r) in spreads[i].enumerated() where j < raw.count && r.0 != r.1 {
                    let x = raw[j].0, ylo = bottom - yAxis.fraction(r.0) * (bottom - top), yhi = bottom - yAxis.fraction(r.1) * (bottom - top)
                    p.canvas.line(x, ylo, x, yhi, color: color, width: max(1, t.lineWidth / 2))
                    p.canvas.line(x - 4, ylo, x + 4, ylo, color: color, width: max(1, t.lineWidth / 2))
                    p.canvas.line(x - 4, yhi, x + 4, yhi, color: color, width: max(1, t.lineWidth / 2))
                }
            }
            if pts.count <= 60 { for q in pts { p.canvas.marker(i, x: q.0, y: q.1, size: t.lineWidth * 3.5, color: color) } }
        }
        // The points the table shows answer hover with their values (all of them up to `pointLimit`).
        for (i, shown) in shownPoints().enumerated() {
            for j in shown {
                let q = series[i].points[j]
                let x = left + xAxis.fraction(q.0) * (right - left), y = bottom - yAxis.fraction(q.1) * (bottom - top)
                p.canvas.hotspot(x: x - 5, y: y - 5, width: 10, height: 10, label: pointLabel(i, j))
            }
        }
    }

    /// What one point is: "nested — working set 512 MiB (536870912 B): overhead 360.5 %".
    func pointLabel(_ i: Int, _ j: Int) -> String {
        let q = series[i].points[j]
        var s = (series.count > 1 ? series[i].name + " — " : "") + "\(xLabel) \(xUnit.exact(q.0)): " + valueWords(yLabel, yUnit.exact(q.1))
        if i < spreads.count, j < spreads[i].count, spreads[i][j].0 != spreads[i][j].1 {
            s += " (from \(yUnit.exact(spreads[i][j].0)) to \(yUnit.exact(spreads[i][j].1)))"
        }
        return s
    }

    /// Keeps, per pixel column, the first, lowest, highest and last point (M4): the drawn line is
    /// the same, and its size follows the picture, not the data.
    static func decimate(_ points: [(Double, Double)], columns: Int) -> [(Double, Double)] {
        guard points.count > 4 * max(columns, 1) else { return points }
        var out: [(Double, Double)] = []
        out.reserveCapacity(4 * columns)
        var i = 0
        while i < points.count {
            let column = Int(points[i].0)
            var j = i
            var lo = i, hi = i
            while j < points.count, Int(points[j].0) == column {
                if points[j].1 < points[lo].1 { lo = j }
                if points[j].1 > points[hi].1 { hi = j }
                j += 1
            }
            for k in Set([i, lo, hi, j - 1]).sorted() { out.append(points[k]) }
            i = j
        }
        return out
    }

    func dash(_ i: Int) -> [Double] { [[], [8, 4], [2, 3], [10, 3, 2, 3]][i % 4] }

    package func caption() -> String {
        guard !isEmpty else { return "\(title): no data." }
        var s = "\(title). " + sentence("\(yLabel) against \(xLabel)")
        if series.count > 1 { s += " for " + series.map(\.name).joined(separator: ", ") }
        if logY { s += "; logarithmic y axis" }
        if logX { s += "; logarithmic x axis" }
        s += "."
        let empty = series.filter(\.points.isEmpty).map(\.name)
        if !empty.isEmpty, empty.count < series.count {
            s += " " + (empty.count == 1 ? "The line of \(empty[0]) has" : "The lines of \(listed(empty)) have") + " no points: the legend lists \(empty.count == 1 ? "it" : "them") with nothing drawn."
        }
        // A reader sees one line where the legend lists several: say which, and why.
        for names in coincidentLines() { s += " The lines of \(listed(names)) lie on top of each other: they have the same values." }
        return s + (note.map { " " + $0 } ?? "")
    }

    /// Groups of series with the same points (x equal, y within a billionth), by name, in the
    /// legend's order: drawn, they are one line.
    package func coincidentLines() -> [[String]] {
        func same(_ a: [(Double, Double)], _ b: [(Double, Double)]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { p, q in
                p.0 == q.0 && abs(p.1 - q.1) <= 1e-9 * max(1, abs(p.1), abs(q.1))
            }
        }
        var groups: [[Int]] = []
        for i in series.indices where !series[i].points.isEmpty {
            if let g = groups.firstIndex(where: { same(series[$0[0]].points, series[i].points) }) { groups[g].append(i) } else { groups.append([i]) }
        }
        return groups.filter { $0.count > 1 }.map { $0.map { series[$0].name } }
    }

    package func altText() -> String {
        guard !isEmpty else { return "\(title): an empty chart, there is no data." }
        let parts = series.map { s -> String in
            guard let first = s.points.first, let last = s.points.last else { return "\(s.name): no points" }
            guard s.points.count > 1 else { return "\(s.name): one point, \(yUnit.label(first.1)) at \(xUnit.label(first.0))" }
            let peak = s.points.max { $0.1 < $1.1 }!
            return "\(s.name): \(s.points.count) points from \(yUnit.label(first.1)) at \(xUnit.label(first.0)) to \(yUnit.label(last.1)) at \(xUnit.label(last.0)), peak \(yUnit.label(peak.1)) at \(xUnit.label(peak.0))"
        }
        return "Line chart, \(title): " + parts.joined(separator: "; ") + "."
            + coincidentLines().map { " The lines of \(listed($0)) lie on top of each other." }.joined()
    }
}
