#if canImport(Glibc)
import Glibc
#endif

/// Two sets drawn with areas proportional to their sizes and to their overlap (for numbers, not
/// members): for example the pages dirtied in two consecutive pre-copy rounds, whose overlap is
/// the writable working set.
package struct AreaVennChart: Chart {
    package var title: String
    package var names: (String, String)
    package var sizes: (Double, Double)
    package var overlap: Double
    package var unit: AxisUnit
    package var note: String?

    package init(title: String, names: (String, String), sizes: (Double, Double), overlap: Double, unit: AxisUnit = .count, note: String? = nil) {
        self.title = title
        self.names = names
        self.sizes = sizes
        self.overlap = min(overlap, min(sizes.0, sizes.1))
        self.unit = unit
        self.note = note
    }

    package var isEmpty: Bool { sizes.0 <= 0 && sizes.1 <= 0 }

    /// Area of the lens of two circles of radii r1, r2 whose centres are d apart.
    package static func lensArea(_ r1: Double, _ r2: Double, _ d: Double) -> Double {
        if d >= r1 + r2 { return 0 }
        if d <= abs(r1 - r2) { return Double.pi * pow(min(r1, r2), 2) }
        let a = r1 * r1 * acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1))
        let b = r2 * r2 * acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2))
        let c = 0.5 * ((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2)).squareRoot()
        return a + b - c
    }

    /// The centre distance that makes the lens area `target` (bisection; the area falls as d grows).
    package static func distance(_ r1: Double, _ r2: Double, lens target: Double) -> Double {
        var lo = abs(r1 - r2), hi = r1 + r2
        if target <= 0 { return hi }
        if target >= lensArea(r1, r2, lo) { return lo }
        for _ in 0..<80 {
            let mid = (lo + hi) / 2
            if lensArea(r1, r2, mid) > target { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    package func draw(_ p: Plot) {
        let t = p.theme
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title)
        let bottom = p.height - p.font * (note == nil ? 4 : 6)
        // Scale: the two circles side by side (worst case, no overlap) fit the width and height.
        let r1u = (max(sizes.0, 0) / Double.pi).squareRoot(), r2u = (max(sizes.1, 0) / Double.pi).squareRoot()
        let du = Self.distance(r1u, r2u, lens: overlap)
        let spanU = max(r1u + du + r2u, 2 * max(r1u, r2u), 1e-9)
        let scale = min(p.width * 0.8 / spanU, (bottom - top) * 0.9 / (2 * max(r1u, r2u, 1e-9)))
        let r1 = r1u * scale, r2 = r2u * scale, d = du * scale
        let cy = (top + bottom) / 2
        let x1 = p.width / 2 - (r1 + d + r2) / 2 + r1, x2 = x1 + d
        p.canvas.circle(x: x1, y: cy, r: r1, fill: t.palette[0], alpha: 0.25, stroke: t.palette[0], width: t.lineWidth)
        p.canvas.circle(x: x2, y: cy, r: r2, fill: t.palette[1], alpha: 0.25, stroke: t.palette[1], width: t.lineWidth)
        p.canvas.text(names.0, x: x1, y: cy - r1 - p.font * 0.6, size: p.font * 1.05, color: t.palette[0], align: 0.5, bold: true)
        // The second name sits to the right of its circle, outside both.
        p.canvas.text(names.1, x: max(x2 + r2, x1 + r1) + p.font * 0.5, y: cy - r2 * 0.5, size: p.font * 1.05, color: t.palette[1], align: 0, bold: true)
        // Counts in each region when it is wide enough, else beside it.
        let leftOnly = unit.label(sizes.0 - overlap), rightOnly = unit.label(sizes.1 - overlap), both = unit.label(overlap)
        let lensLeft = x2 - r2, lensRight = x1 + r1
        let leftX = ((x1 - r1) + max(lensLeft, x1 - r1)) / 2, rightX = (min(lensRight, x2 + r2) + (x2 + r2)) / 2
        // A region too thin for its number gets it outside, next to it.
        if p.canvas.measure(leftOnly, size: p.font).width < (max(lensLeft, x1 - r1) - (x1 - r1)) * 0.9 {
            p.canvas.text(leftOnly, x: leftX, y: cy + p.font * 0.35, size: p.font, color: t.foreground, align: 0.5)
        } else {
            p.canvas.text("\(leftOnly) only", x: x1 - r1 - p.font * 0.5, y: cy + p.font * 0.35, size: p.font, color: t.foreground, align: 1)
        }
        if p.canvas.measure(rightOnly, size: p.font).width < ((x2 + r2) - min(lensRight, x2 + r2)) * 0.9 {
            p.canvas.text(rightOnly, x: rightX, y: cy + p.font * 0.35, size: p.font, color: t.foreground, align: 0.5)
        } else {
            p.canvas.text("\(rightOnly) only", x: max(x2 + r2, x1 + r1) + p.font * 0.5, y: cy + r2 * 0.5 + p.font * 0.35, size: p.font,
                          color: t.foreground, align: 0)
        }
        if overlap > 0 {
            let lensWidth = lensRight - lensLeft
            if p.canvas.measure(both, size: p.font).width < lensWidth * 0.9 {
                p.canvas.text(both, x: (lensLeft + lensRight) / 2, y: cy + p.font * 0.35, size: p.font, color: t.foreground, align: 0.5, bold: true)
            } else {
                p.canvas.text("both: \(both)", x: (lensLeft + lensRight) / 2, y: bottom + p.font * 1.2, size: p.font, color: t.foreground, align: 0.5, bold: true)
            }
        }
        if let note { p.canvas.text(note, x: p.width / 2, y: p.height - p.font * 1.2, size: p.font, color: t.muted, align: 0.5) }
    }

    package func caption() -> String {
        guard !isEmpty else { return "\(title): no data." }
        let share = sizes.1 > 0 ? overlap / sizes.1 * 100 : 0
        return "\(title). Areas proportional: \(names.0) \(unit.label(sizes.0)), \(names.1) \(unit.label(sizes.1)), both \(unit.label(overlap)) (\(Int(share.rounded())) % of the second)."
            + (note.map { " \($0)" } ?? "")
    }

    package func altText() -> String {
        guard !isEmpty else { return "\(title): an empty diagram, there is no data." }
        return "Area-proportional Venn diagram, \(title): \(names.0) \(unit.label(sizes.0)), \(names.1) \(unit.label(sizes.1)), overlapping in \(unit.label(overlap))."
    }
}
