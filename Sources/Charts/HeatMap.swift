#if canImport(Glibc)
import Glibc
#endif

/// A grid of values 0…1 coloured with viridis (perceptually uniform, readable in greyscale),
/// with a colour bar.
package struct HeatMap: Chart {
    package var title: String
    package var xLabel: String
    package var yLabel: String
    /// Column labels (e.g. rounds) and one label per row (e.g. its page range), first row at the top.
    package var columns: [String]
    package var rowLabels: [String]
    /// values[row][column] in 0…1.
    package var values: [[Double]]
    package var valueLabel: String

    package init(title: String, xLabel: String, yLabel: String, columns: [String], rowLabels: [String], values: [[Double]], valueLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.columns = columns
        self.rowLabels = rowLabels
        self.values = values
        self.valueLabel = valueLabel
    }

    package var isEmpty: Bool { columns.isEmpty || values.isEmpty }

    /// What a cell (or a band of rows in one column) holds: "round 3, 0–16 MiB: dirty share 0.25"
    /// or, for a band, its rows' range with the mean and the highest.
    func cellLabel(_ c: Int, _ rows: Range<Int>) -> String {
        let cells = rows.map { $0 < values.count && c < values[$0].count ? values[$0][c] : .nan }.filter { !$0.isNaN }
        let head = "\(xLabel) \(columns[c]), \(yLabel) \(rowLabels[rows.lowerBound])"
        guard rows.count > 1 else { return head + ": \(valueLabel) \(exactText(cells.first ?? .nan))" }
        let mean = cells.reduce(0, +) / Double(max(cells.count, 1))
        return head + " to \(rowLabels[rows.upperBound - 1]): \(valueLabel) mean \(exactText(mean)), highest \(exactText(cells.max() ?? .nan))"
    }

    /// Viridis at t in 0…1 (matplotlib's colormap, interpolated from 9 stops).
    package static func viridis(_ t: Double) -> RGB {
        let stops: [UInt32] = [0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725]
        let x = min(max(t.isNaN ? 0 : t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2), f = x - Double(i)
        let a = RGB(hex: stops[i]), b = RGB(hex: stops[i + 1])
        return RGB(a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f)
    }

    package func draw(_ p: Plot) {
        let t = p.theme
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title)
        let barWidth = p.font * 1.2
        let barLabels = ["0", "0.5", "1"].map { p.canvas.measure($0, size: p.font).width }.max()!
        let right = p.width - barWidth - barLabels - p.font * 2.5
        let labelWidth = max(p.canvas.measure(rowLabels.first ?? "", size: p.font).width, p.canvas.measure(rowLabels.last ?? "", size: p.font).width)
            - p.font * 1.5
        let left = p.font * 2 + labelWidth
        let bottom = p.height - p.font * 4
        let cellW = (right - left) / Double(columns.count), cellH = (bottom - top) / Double(values.count)
        for (r, row) in values.enumerated() {
            for (c, v) in row.enumerated() {
                p.canvas.fill(x: left + Double(c) * cellW, y: top + Double(r) * cellH, width: cellW + 0.5, height: cellH + 0.5, color: Self.viridis(v))
            }
        }
        // Hover areas: single cells, or bands of neighbouring rows when cells would pass 400.
        let band = max(1, Int((Double(values.count * columns.count) / 400).rounded(.up)))
        for c in columns.indices {
            for r0 in stride(from: 0, to: values.count, by: band) {
                let rows = r0..<min(values.count, r0 + band)
                p.canvas.hotspot(x: left + Double(c) * cellW, y: top + Double(r0) * cellH, width: cellW, height: cellH * Double(rows.count),
                                 label: cellLabel(c, rows))
            }
        }
        // Row labels at the top and bottom, column labels thinned to fit.
        p.canvas.text(rowLabels.first ?? "", x: left - p.font * 0.4, y: top + p.font, size: p.font, color: t.muted, align: 1)
        p.canvas.text(rowLabels.last ?? "", x: left - p.font * 0.4, y: bottom, size: p.font, color: t.muted, align: 1)
        precondition(rowLabels.count == values.count, "one label per row")
        p.canvas.text(yLabel, x: p.font, y: (top + bottom) / 2, size: p.font, color: t.foreground, align: 0.5, rotate: true)
        let every = max(1, Int((Double(columns.count) * p.font * 3 / (right - left)).rounded(.up)))
        for (c, label) in columns.enumerated() where c % every == 0 {
            p.canvas.text(label, x: left + (Double(c) + 0.5) * cellW, y: bottom + p.font * 1.4, size: p.font, color: t.muted, align: 0.5)
        }
        p.canvas.text(xLabel, x: (left + right) / 2, y: p.height - p.font * 0.8, size: p.font, color: t.foreground, align: 0.5)
        // Colour bar.
        let bx = right + p.font, steps = 64
        for i in 0..<steps {
            let v = 1 - Double(i) / Double(steps - 1)
            p.canvas.fill(x: bx, y: top + Double(i) * (bottom - top) / Double(steps), width: barWidth, height: (bottom - top) / Double(steps) + 0.5, color: Self.viridis(v))
        }
        for (v, label) in [(1.0, "1"), (0.5, "0.5"), (0.0, "0")] {
            p.canvas.text(label, x: bx + barWidth + p.font * 0.3, y: top + (1 - v) * (bottom - top) + p.font * 0.35, size: p.font, color: t.muted, align: 0)
        }
    }

    package func caption() -> String {
        guard !isEmpty else { return "\(title): no data." }
        let rows = Double(values.count)
        let means: [Double] = (0..<columns.count).map { (c: Int) -> Double in values.reduce(0.0) { (sum: Double, row: [Double]) in sum + row[c] } / rows }
        let totals: [Double] = values.map { (row: [Double]) -> Double in row.reduce(0, +) }
        let hot = totals.indices.max { totals[$0] < totals[$1] }!
        let head = "\(title). \(sentence(valueLabel)) per \(yLabel) (rows) and \(xLabel) (columns)"
        return "\(head); the mean falls from \(String(format3: means.first!)) in \(columns.first!) to \(String(format3: means.last!)) in \(columns.last!); the hottest row is \(rowLabels[hot]). Viridis colour scale from 0 to 1."
    }

    package func altText() -> String {
        guard !isEmpty else { return "\(title): an empty heat map, there is no data." }
        let perColumn = columns.indices.map { c -> String in
            let hot = values.filter { $0[c] > 0.5 }.count
            return "\(columns[c]): \(hot) of \(values.count) rows above one half"
        }
        return "Heat map, \(title): " + perColumn.joined(separator: "; ") + "."
    }
}

extension String {
    init(format3 v: Double) {
        let r = (v * 1_000).rounded() / 1_000
        self = String(r)
    }
}
