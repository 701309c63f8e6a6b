#if canImport(Glibc)
import Glibc
#endif

/// What every chart kind provides: its drawing, a caption and alt text computed from its data.
package protocol Chart: Sendable {
    var title: String { get }
    /// True when there is nothing to plot; the figure then says "no data" instead.
    var isEmpty: Bool { get }
    func draw(_ plot: Plot)
    func caption() -> String
    func altText() -> String
    /// The numbers drawn, exactly, as a table — for screen readers, copying and checking; nil
    /// when the chart has no table (a timeline, a heat map).
    func dataTable() -> DataTable?
}

extension Chart {
    package func dataTable() -> DataTable? { nil }
}

/// A chart's numbers as a table: a header row, then a label and cells per row, and what the rows
/// leave out when they are a choice of the points ("200 of 612 points: …").
package struct DataTable: Sendable {
    package var columns: [String]
    package var rows: [(label: String, cells: [String])]
    package var note: String?
}

/// A number as a data table shows it: exact for whole numbers, else up to six significant digits.
package func exactText(_ v: Double) -> String {
    guard v.isFinite else { return v.description }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    let text = String(v)
    guard text.count > 12 else { return text }
    // Six significant digits.
    let magnitude = Int((log10(abs(v))).rounded(.down))
    let scale = pow(10.0, Double(max(0, 5 - magnitude)))
    return String((v * scale).rounded() / scale)
}

/// A figure's frame: theme, canvas and the rectangle left for the data once title, axes and
/// legend (always outside the data area) have taken their room.
package struct Plot {
    package let canvas: Canvas
    package let theme: Theme
    package let width: Double
    package let height: Double

    package var font: Double { theme.fontSize }

    /// Draws the title (shrunk until it fits the width, measured in the bold face it is drawn in)
    /// and returns the y below it.
    func title(_ s: String) -> Double {
        var size = theme.titleSize
        while size > 8, canvas.measure(s, size: size, bold: true).width > width * 0.96 { size *= 0.92 }
        let s = canvas.fit(s, width: width * 0.96, size: size, keep: 8, bold: true)
        canvas.text(s, x: width / 2, y: theme.titleSize * 1.4, size: size, color: theme.foreground, align: 0.5, bold: true)
        return theme.titleSize * 2.2
    }

    /// A tick's label centred under it, but never past the figure's right edge: the last tick
    /// of a chart without a legend sits at the edge, and half its label would be cut off.
    func xTickLabel(_ label: String, x: Double, y: Double) {
        let half = canvas.measure(label, size: font).width / 2
        canvas.text(label, x: min(x, width - font * 0.25 - half), y: y, size: font, color: theme.muted, align: 0.5)
    }

    /// A legend column at the right edge; returns its width (0 with fewer than two entries).
    /// `swatch` draws the key for entry i in a box at (x, y, size).
    func legend(_ names: [String], top: Double, swatch: (Int, Double, Double, Double) -> Void) -> Double {
        guard names.count > 1 else { return 0 }
        let size = font
        let w = (names.map { canvas.measure($0, size: font).width }.max() ?? 0) + size * 2.6
        let x = width - w
        for (i, n) in names.enumerated() {
            let y = top + Double(i) * font * 1.8
            swatch(i, x, y, size)
            canvas.text(n, x: x + size * 1.6, y: y + size * 0.85, size: font, color: theme.foreground, align: 0)
        }
        return w
    }

    /// Writes a "no data" figure.
    func noData(_ title: String) {
        canvas.fill(x: 0, y: 0, width: width, height: height, color: theme.background)
        _ = self.title(title)
        canvas.text("no data in this trace for this figure", x: width / 2, y: height / 2, size: font * 1.2, color: theme.muted, align: 0.5)
    }
}

/// A value axis: maps data to pixels, linear or logarithmic, with nice ticks.
package struct ValueAxis {
    package let low: Double
    package let high: Double
    package let ticks: [Double]
    package let log: Bool

    /// With `whole` (a unit of whole things, e.g. rounds or pages) and whole values, the ticks
    /// are whole numbers, and a single value sits alone at the axis's middle.
    ///
    /// With `tight` a logarithmic axis spans the values themselves, with the ticks inside them (or
    /// the nearest tick on either side when none fall inside), instead of whole decades (a line's
    /// axis; bars keep the decade below them as their floor).
    package init(_ values: [Double], log: Bool, includeZero: Bool, maxTicks: Int = 6, whole: Bool = false, tight: Bool = false) {
        self.log = log
        let whole = whole && !values.isEmpty && values.allSatisfy { $0 == $0.rounded() }
        if includeZero, !log, values.allSatisfy({ $0 == 0 }) {
            // Nothing but zeros (bars of a count that never happened): the baseline at the
            // bottom of an axis to 1, not in the middle of one from -1.
            (ticks, low, high) = ([0, 1], 0, 1)
            return
        }
        if whole, !log, let only = values.first, values.allSatisfy({ $0 == only }) {
            if includeZero && only != 0 {
                // The axis runs from zero to the value: whole ticks between.
                let t = NiceTicks.linear(min(only, 0), max(only, 0), maxTicks: maxTicks, whole: true)
                (ticks, low, high) = (t, t.first!, t.last!)
                return
            }
            (ticks, low, high) = ([only], only - 0.5, only + 0.5)
            return
        }
        if log {
            let positive = values.filter { $0 > 0 }
            let lo = positive.min() ?? 1, hi = positive.max() ?? 10, decades = log10(hi / lo)
            // Spanning the values, an axis over two and a half decades or less also has 2× and 5× ticks.
            let fine = NiceTicks.logarithmic(lo, hi, fine: decades <= 2.5)
            let inside = fine.filter { $0 >= lo && $0 <= hi }
            if tight, inside.count >= 2 {
                // A twenty-fifth of the span beyond each end keeps the end points' markers off the frame.
                let pad = pow(10, decades / 25)
                (ticks, low, high) = (inside, lo / pad, hi * pad)
            } else if tight {
                // Values within one step of the ticks (110K to 340K): the nearest tick on either side.
                let below = fine.last { $0 <= lo } ?? fine[0], above = fine.first { $0 >= hi } ?? fine[fine.count - 1]
                (ticks, low, high) = (fine.filter { $0 >= below && $0 <= above }, below, above)
            } else {
                let t = NiceTicks.logarithmic(lo, hi)
                (ticks, low, high) = (t, t.first!, t.last!)
            }
        } else {
            var lo = values.min() ?? 0, hi = values.max() ?? 1
            if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
            let t = NiceTicks.linear(lo, hi, maxTicks: maxTicks, whole: whole)
            if whole, !includeZero, t.first! < lo {
                // Whole things counted from their first (round 1): no tick at a round 0 that never was.
                ticks = t.filter { $0 >= lo }
                low = lo
            } else {
                ticks = t
                low = t.first!
            }
            high = t.last!
        }
    }

    /// The fraction (0…1) of the axis where `v` lies.
    package func fraction(_ v: Double) -> Double {
        if log {
            let l = Foundation_log10(max(v, low)), a = Foundation_log10(low), b = Foundation_log10(high)
            return b > a ? (l - a) / (b - a) : 0
        }
        return high > low ? (v - low) / (high - low) : 0
    }
}

@inline(__always)
func Foundation_log10(_ v: Double) -> Double { log10(v) }

extension Plot {
    /// Draws a y axis with grid lines over [top, bottom] and returns the data area's left edge.
    func yAxis(_ axis: ValueAxis, unit: AxisUnit, label: String, left: Double, top: Double, bottom: Double, right: Double) -> Double {
        let labels = unit.labels(axis.ticks)
        let labelWidth = labels.map { canvas.measure($0, size: font).width }.max() ?? 0
        let x0 = left + font * 1.8 + labelWidth + font * 0.5
        for (t, l) in zip(axis.ticks, labels) {
            let y = bottom - axis.fraction(t) * (bottom - top)
            canvas.line(x0, y, right, y, color: theme.grid, width: 1)
            canvas.text(l, x: x0 - font * 0.4, y: y + font * 0.35, size: font, color: theme.muted, align: 1)
        }
        canvas.text(label, x: left + font, y: (top + bottom) / 2, size: font, color: theme.foreground, align: 0.5, rotate: true)
        canvas.line(x0, top, x0, bottom, color: theme.muted, width: 1)
        return x0
    }
}
