/// Grouped or stacked bars: one group per category, one bar (or segment) per series.
package struct BarChart: Chart {
    package var title: String
    package var categories: [String]
    package var series: [(name: String, values: [Double])]
    package var stacked: Bool
    package var unit: AxisUnit
    package var valueLabel: String
    package var logScale: Bool

    package init(title: String, categories: [String], series: [(name: String, values: [Double])], stacked: Bool = false,
                 unit: AxisUnit = .plain, valueLabel: String, logScale: Bool = false) {
        self.title = title
        self.categories = categories
        self.series = series
        self.stacked = stacked
        self.unit = unit
        self.valueLabel = valueLabel
        self.logScale = logScale && !stacked
    }

    package var isEmpty: Bool { categories.isEmpty || series.isEmpty || series.allSatisfy { $0.values.allSatisfy { $0 == 0 } } }

    package func draw(_ p: Plot) {
        let t = p.theme
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title)
        let legendWidth = p.legend(series.map(\.name), top: top) { i, x, y, s in
            p.canvas.hatch(x: x, y: y, width: s, height: s, color: t.palette[i % t.palette.count], background: t.background, pattern: i)
        }
        let totals = categories.indices.map { c in series.reduce(0) { $0 + $1.values[c] } }
        let values = stacked ? totals : series.flatMap(\.values)
        let axis = ValueAxis(values, log: logScale, includeZero: !logScale)
        let bottom = p.height - p.font * 3.2
        let right = p.width - legendWidth - p.font
        let left = p.yAxis(axis, unit: unit, label: valueLabel, left: 0, top: top, bottom: bottom, right: right)
        let groupWidth = (right - left) / Double(categories.count)
        let barsPerGroup = stacked ? 1 : series.count
        let barWidth = groupWidth * 0.8 / Double(barsPerGroup)
        let y = { (v: Double) -> Double in bottom - axis.fraction(v) * (bottom - top) }
        for (c, name) in categories.enumerated() {
            let gx = left + Double(c) * groupWidth + groupWidth * 0.1
            var base = 0.0
            for (s, serie) in series.enumerated() {
                let v = serie.values[c]
                let x = stacked ? gx : gx + Double(s) * barWidth
                let y0 = stacked ? y(base) : (logScale ? bottom : y(0))
                let y1 = stacked ? y(base + v) : y(v)
                p.canvas.hatch(x: x, y: min(y0, y1), width: max(barWidth - 1, 1), height: abs(y0 - y1),
                               color: t.palette[s % t.palette.count], background: t.background, pattern: s)
                base += v
            }
            let label = truncated(name, to: groupWidth, p)
            p.canvas.text(label, x: gx + groupWidth * 0.4, y: bottom + p.font * 1.4, size: p.font, color: t.foreground, align: 0.5)
        }
    }

    func truncated(_ s: String, to width: Double, _ p: Plot) -> String {
        var out = s
        while out.count > 3, p.canvas.measure(out, size: p.font).width > width * 0.98 { out = String(out.dropLast(2)) + "…" }
        return out
    }

    package func caption() -> String {
        guard !isEmpty else { return "\(title): no data." }
        let totals = categories.indices.map { c in series.reduce(0) { $0 + $1.values[c] } }
        let top = zip(categories, totals).max { $0.1 < $1.1 }!
        let low = zip(categories, totals).min { $0.1 < $1.1 }!
        var s = "\(title). \(stacked ? "Stacked" : "Grouped") bars of \(valueLabel) for \(categories.count) categories"
        if series.count > 1 { s += " and \(series.count) series (\(series.map(\.name).joined(separator: ", ")))" }
        s += "; highest \(top.0) (\(unit.label(top.1))), lowest \(low.0) (\(unit.label(low.1)))."
        if logScale { s += " Logarithmic axis." }
        return s
    }

    package func altText() -> String {
        guard !isEmpty else { return "\(title): an empty chart, there is no data." }
        var parts: [String] = []
        for (c, name) in categories.enumerated() {
            let v = series.map { "\(series.count > 1 ? $0.name + " " : "")\(unit.label($0.values[c]))" }.joined(separator: ", ")
            parts.append("\(name): \(v)")
        }
        return "Bar chart, \(title): " + parts.joined(separator: "; ") + "."
    }
}
