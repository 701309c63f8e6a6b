/// A page walk drawn as a grid of memory references: one row per table being translated, one
/// column per level read, each reference numbered in the order it is made. Cells of the first
/// kind (the nested table) and of the second (the guest's own entries) get their own colours;
/// the legend below says which is which and the summary line gives the count.
package struct WalkGridChart: Chart {
    package var title: String
    package var rowLabels: [String]
    package var columnLabels: [String]
    /// The references in order: (row, column).
    package var steps: [(row: Int, column: Int)]
    /// Columns below this are the first kind of reference; the others the second.
    package var firstKindColumns: Int
    /// What the two colours mean.
    package var legend: (String, String)
    package var summary: String

    package init(title: String, rowLabels: [String], columnLabels: [String], steps: [(row: Int, column: Int)], firstKindColumns: Int,
                 legend: (String, String), summary: String) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.steps = steps
        self.firstKindColumns = firstKindColumns
        self.legend = legend
        self.summary = summary
    }

    package var isEmpty: Bool { steps.isEmpty }

    /// `color` laid over the background at `alpha`.
    static func tint(_ color: RGB, over background: RGB, _ alpha: Double) -> RGB {
        RGB(background.r + (color.r - background.r) * alpha, background.g + (color.g - background.g) * alpha,
            background.b + (color.b - background.b) * alpha)
    }

    package func draw(_ p: Plot) {
        let t = p.theme
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title) + p.font * 3.2
        let labelWidth = (rowLabels.map { p.canvas.measure($0, size: p.font).width }.max() ?? 0) + p.font
        let bottom = p.height - p.font * 7
        let rows = Double(max(rowLabels.count, 1)), cols = Double(max(columnLabels.count, 1))
        let cell = min((p.width * 0.94 - labelWidth) / cols, (bottom - top) / rows)
        let left = (p.width - labelWidth - cell * cols) / 2 + labelWidth
        let kinds = [t.palette[0], t.palette[1]]
        // Column headings, row labels, the grid.
        // Headings on two lines (first word, then the rest), shrunk if a cell is still too narrow.
        let lines = columnLabels.map { label -> [String] in
            guard let space = label.firstIndex(of: " ") else { return [label] }
            return [String(label[..<space]), String(label[label.index(after: space)...])]
        }
        let widest = lines.flatMap { $0 }.map { p.canvas.measure($0, size: p.font * 0.92).width }.max() ?? 0
        let headSize = p.font * 0.92 * min(1, cell * 0.9 / max(widest, 1))
        for (c, parts) in lines.enumerated() {
            for (i, part) in parts.enumerated() {
                p.canvas.text(part, x: left + (Double(c) + 0.5) * cell, y: top - p.font * 0.5 - Double(parts.count - 1 - i) * headSize * 1.15,
                              size: headSize, color: kinds[c < firstKindColumns ? 0 : 1], align: 0.5, bold: true)
            }
        }
        for (r, label) in rowLabels.enumerated() {
            p.canvas.text(label, x: left - p.font * 0.6, y: top + (Double(r) + 0.5) * cell + p.font * 0.35, size: p.font, color: t.foreground, align: 1)
        }
        for (i, s) in steps.enumerated() {
            let x = left + Double(s.column) * cell, y = top + Double(s.row) * cell
            let kind = s.column < firstKindColumns ? 0 : 1
            p.canvas.fill(x: x + 2, y: y + 2, width: cell - 4, height: cell - 4, color: Self.tint(kinds[kind], over: t.background, 0.22))
            p.canvas.text(String(i + 1), x: x + cell / 2, y: y + cell / 2 + p.font * 0.5, size: min(p.font * 1.5, cell * 0.42),
                          color: t.foreground, align: 0.5, bold: true)
        }
        for r in 0...rowLabels.count {
            let y = top + Double(r) * cell
            p.canvas.line(left, y, left + cell * cols, y, color: t.grid, width: 1)
        }
        for c in 0...columnLabels.count {
            let x = left + Double(c) * cell
            p.canvas.line(x, top, x, top + cell * rows, color: c == firstKindColumns ? t.muted : t.grid, width: c == firstKindColumns ? 2 : 1)
        }
        // Legend and summary.
        var y = top + cell * rows + p.font * 2
        for (k, text) in [legend.0, legend.1].enumerated() {
            let w = p.canvas.measure(text, size: p.font).width + p.font * 1.6
            let x = (p.width - w) / 2
            p.canvas.fill(x: x, y: y - p.font * 0.8, width: p.font, height: p.font, color: Self.tint(kinds[k], over: t.background, 0.6))
            p.canvas.text(text, x: x + p.font * 1.6, y: y, size: p.font, color: t.foreground, align: 0)
            y += p.font * 1.5
        }
        p.canvas.text(summary, x: p.width / 2, y: y + p.font * 0.3, size: p.font * 1.05, color: t.foreground, align: 0.5, bold: true)
    }

    package func caption() -> String {
        "\(title). \(steps.count) memory references, numbered in the order they are made. In the first colour — \(legend.0); "
            + "in the second — \(legend.1). \(summary)."
    }

    package func altText() -> String {
        let perRow = rowLabels.indices.map { r in "\(rowLabels[r]): references \(steps.enumerated().filter { $0.element.row == r }.map { String($0.offset + 1) }.joined(separator: ", "))" }
        return "Grid of a page walk's \(steps.count) memory references. " + perRow.joined(separator: "; ") + "."
    }
}
