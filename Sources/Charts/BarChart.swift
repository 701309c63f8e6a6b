/// Grouped or stacked bars: one group per category, one bar (or segment) per series.
package struct BarChart: Chart {
    package var title: String
    package var categories: [String]
    package var series: [(name: String, values: [Double])]
    package var stacked: Bool
    package var unit: AxisUnit
    package var valueLabel: String
    package var logScale: Bool
    /// A sentence the caption ends with (what the data alone does not say).
    package var note: String?

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

    /// No bars to draw. Bars that are all zero are not empty: zero is their answer (a native run
    /// has no exits), and the figure draws them at the baseline, each marked "0".
    package var isEmpty: Bool { categories.isEmpty || series.isEmpty }

    /// Every bar is zero: a figure that only says "none" (a run page leaves it out).
    package var allZero: Bool { series.allSatisfy { $0.values.allSatisfy { $0 == 0 } } }

    package func draw(_ p: Plot) {
        let t = p.theme
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title)
        let legendWidth = p.legend(series.map(\.name), top: top) { i, x, y, s in
            p.canvas.hatch(x: x, y: y, width: s, height: s, color: t.palette[i % t.palette.count], background: t.background, pattern: i)
        }
        let totals = categories.indices.map { c in series.reduce(0) { $0 + $1.values[c] } }
        let values = stacked ? totals : series.flatMap(\.values)
        let axis = ValueAxis(values, log: logScale, includeZero: !logScale, whole: unit.isWhole)
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
                p.canvas.hotspot(x: x, y: min(y0, y1), width: max(barWidth - 1, 1), height: abs(y0 - y1), label: barLabel(c, s))
                if !stacked && v == 0 {
                    // A zero is a result, not a missing bar: say so on the figure.
                    p.canvas.text("0", x: x + barWidth / 2, y: y0 - p.font * 0.3, size: p.font * 0.8, color: t.muted, align: 0.5)
                }
                base += v
            }
            for (line, text) in labelLines(name, width: groupWidth, p).enumerated() {
                p.canvas.text(text, x: gx + groupWidth * 0.4, y: bottom + p.font * (1.4 + 1.15 * Double(line)), size: p.font,
                              color: t.foreground, align: 0.5)
            }
        }
    }

    /// What one bar is, exactly: "shadow — overhead vs native: 80.25 %" ("category, series — …"
    /// with several series).
    func barLabel(_ c: Int, _ s: Int) -> String {
        let who = series.count > 1 ? "\(categories[c]), \(series[s].name)" : categories[c]
        return "\(who) — " + valueWords(valueLabel.isEmpty ? series[s].name : valueLabel, unit.exact(series[s].values[c]), colon: true)
    }

    /// A category label in one line, or broken at the space or hyphen nearest its middle into two
    /// when it is too wide for its group; each line is then shortened with "…" if it still is.
    func labelLines(_ s: String, width: Double, _ p: Plot) -> [String] {
        guard p.canvas.measure(s, size: p.font).width > width * 0.98 else { return [s] }
        let chars = Array(s)
        let breaks = chars.indices.filter { chars[$0] == " " || chars[$0] == "-" }
        guard let at = breaks.min(by: { abs($0 - chars.count / 2) < abs($1 - chars.count / 2) }) else { return [truncated(s, to: width, p)] }
        let first = String(chars[...at]).trimmingSuffix(" "), second = String(chars[(at + 1)...])
        return [truncated(first, to: width, p), truncated(second, to: width, p)]
    }

    func truncated(_ s: String, to width: Double, _ p: Plot) -> String {
        p.canvas.fit(s, width: width * 0.98, size: p.font, keep: 2)
    }

    package func caption() -> String {
        guard !isEmpty else { return "\(title): no data." }
        // Stacked: the totals per category; grouped: every single bar, named by category and series.
        var bars: [(String, Double)] = []
        if stacked || series.count == 1 {
            bars = categories.indices.map { c in (categories[c], series.reduce(0) { $0 + $1.values[c] }) }
        } else {
            for c in categories.indices { for serie in series { bars.append(("\(categories[c]) — \(serie.name)", serie.values[c])) } }
        }
        let top = bars.map(\.1).max()!, low = bars.map(\.1).min()!
        /// The bars at `value`, named: all of them up to three ("a, b and c"), else how many.
        func at(_ value: Double) -> String {
            let names = bars.filter { $0.1 == value }.map(\.0)
            return (names.count <= 3 ? listed(names) : "\(names.count) bars") + " (\(unit.label(value)))"
        }
        var s = "\(title). \(stacked ? "Stacked" : "Grouped") bars of \(valueLabel) for \(categories.count == 1 ? "1 category" : "\(categories.count) categories")"
        if series.count > 1 { s += " and \(series.count) series (\(series.map(\.name).joined(separator: ", ")))" }
        s += top == low ? "; all \(unit.label(top))." : "; highest \(at(top)), lowest \(at(low))."
        if logScale { s += " Logarithmic axis." }
        if let note { s += " " + note }
        return s
    }

    package func dataTable() -> DataTable? {
        guard !isEmpty else { return nil }
        return DataTable(columns: [valueLabel.isEmpty ? "" : valueLabel] + series.map(\.name),
                         rows: categories.indices.map { c in (categories[c], series.map { exactText($0.values[c]) }) })
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

extension String {
    func trimmingSuffix(_ c: Character) -> String {
        var s = self
        while s.last == c { s.removeLast() }
        return s
    }
}
