#if canImport(Glibc)
import Glibc
#endif

/// A two- or three-set Venn diagram whose regions list their members (or count them when the
/// list does not fit its region), with one region optionally highlighted and a verdict line.
package struct VennChart: Chart {
    package var title: String
    package var sets: [String]
    /// Region → members, keyed by the sorted indices of the sets the region is inside (e.g. [0, 1]).
    package var regions: [[Int]: [String]]
    /// Members outside every set.
    package var outside: [String]
    package var outsideLabel: String
    package var highlight: [Int]?
    package var verdict: String?

    package init(title: String, sets: [String], regions: [[Int]: [String]], outside: [String] = [], outsideLabel: String = "neither",
                 highlight: [Int]? = nil, verdict: String? = nil) {
        precondition(sets.count == 2 || sets.count == 3)
        self.title = title
        self.sets = sets
        self.regions = regions
        self.outside = outside
        self.outsideLabel = outsideLabel
        self.highlight = highlight
        self.verdict = verdict
    }

    package var isEmpty: Bool { regions.values.allSatisfy(\.isEmpty) && outside.isEmpty }

    /// Circle centres and radius in a unit frame, and each region's label anchor and box width.
    var layout: (centres: [(Double, Double)], radius: Double, anchors: [[Int]: (Double, Double, Double)]) {
        if sets.count == 2 {
            return ([(-0.42, 0), (0.42, 0)], 0.72,
                    [[0]: (-0.72, 0, 0.5), [1]: (0.72, 0, 0.5), [0, 1]: (0, 0, 0.5)])
        }
        return ([(-0.38, -0.25), (0.38, -0.25), (0, 0.4)], 0.62,
                [[0]: (-0.66, -0.42, 0.45), [1]: (0.66, -0.42, 0.45), [2]: (0, 0.72, 0.6),
                 [0, 1]: (0, -0.52, 0.35), [0, 2]: (-0.4, 0.22, 0.3), [1, 2]: (0.4, 0.22, 0.3), [0, 1, 2]: (0, 0, 0.3)])
    }

    package func draw(_ p: Plot) {
        let t = p.theme
        p.canvas.fill(x: 0, y: 0, width: p.width, height: p.height, color: t.background)
        let top = p.title(title)
        let bottom = p.height - (verdict == nil ? p.font : p.font * 3) - (outside.isEmpty ? 0 : p.font * 2.4)
        let size = min(p.width * 0.55, bottom - top)
        let cx = p.width / 2, cy = (top + bottom) / 2
        let unit = size / 2.4
        let l = layout
        let highlightColor = RGB(hex: 0xD55E00)
        for (i, c) in l.centres.enumerated() {
            let color = t.palette[i % t.palette.count]
            p.canvas.circle(x: cx + c.0 * unit, y: cy + c.1 * unit, r: l.radius * unit, fill: color, alpha: 0.16, stroke: color, width: t.lineWidth)
        }
        if let h = highlight, h.count == 1, sets.count == 2 {
            let a = l.centres[h[0]], b = l.centres[1 - h[0]]
            p.canvas.fillDifference(ax: cx + a.0 * unit, ay: cy + a.1 * unit, bx: cx + b.0 * unit, by: cy + b.1 * unit,
                                    r: l.radius * unit, color: highlightColor, alpha: 0.3)
        }
        // Set names above or beside their circles.
        for (i, c) in l.centres.enumerated() {
            let y = sets.count == 3 && i == 2 ? cy + (c.1 + l.radius) * unit + p.font * 1.3 : cy + (c.1 - l.radius) * unit - p.font * 0.5
            p.canvas.text(sets[i], x: cx + c.0 * unit, y: y, size: p.font * 1.1, color: t.palette[i % t.palette.count], align: 0.5, bold: true)
        }
        for (key, a) in l.anchors.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let members = regions[key] ?? []
            let color = key == highlight ? highlightColor : t.foreground
            let span: (Double) -> (Double, Double)
            if sets.count == 2 {
                // The region's horizontal extent at height dy from the centre line, from the circle geometry.
                let ax = cx + l.centres[0].0 * unit, bx = cx + l.centres[1].0 * unit, r = l.radius * unit
                let margin = p.font * 0.5
                span = { dy in
                    let h = (r * r - dy * dy).squareRoot()
                    switch key {
                    case [0]: return (ax - h + margin, bx - h - margin)
                    case [1]: return (ax + h + margin, bx + h - margin)
                    default: return (bx - h + margin, ax + h - margin)
                    }
                }
            } else {
                let w = a.2 * unit
                span = { _ in (cx + a.0 * unit - w / 2, cx + a.0 * unit + w / 2) }
            }
            label(members, centreY: cy + a.1 * unit, lineCentre: cy, span: span, color: color, p)
        }
        var y = bottom + p.font * 1.2
        if !outside.isEmpty {
            let text = "\(outsideLabel) (\(outside.count)): " + outside.joined(separator: ", ")
            p.canvas.text(fit(text, width: p.width * 0.92, p), x: p.width / 2, y: y, size: p.font * 0.9, color: t.muted, align: 0.5)
            y += p.font * 2
        }
        if let v = verdict {
            p.canvas.text(v, x: p.width / 2, y: y + p.font * 0.4, size: p.font * 1.1, color: highlight != nil ? highlightColor : t.foreground, align: 0.5, bold: true)
        }
    }

    /// Members wrapped to the region's width line by line; a count when they do not fit inside it.
    /// `span(dy)` gives the region's horizontal extent `dy` below the circles' centre line.
    func label(_ members: [String], centreY: Double, lineCentre: Double, span: (Double) -> (Double, Double), color: RGB, _ p: Plot) {
        let size = p.font * 0.85
        let step = size * 1.25
        func draw(_ rows: [String]) -> Bool {
            let start = centreY - Double(rows.count - 1) * step / 2
            var placed: [(String, Double, Double)] = []
            for (i, r) in rows.enumerated() {
                let y = start + Double(i) * step
                let dy = max(abs(y - size * 0.8 - lineCentre), abs(y + size * 0.2 - lineCentre))
                let (lo, hi) = span(dy)
                guard hi > lo, p.canvas.measure(r, size: size).width <= hi - lo else { return false }
                placed.append((r, (lo + hi) / 2, y))
            }
            for (r, x, y) in placed { p.canvas.text(r, x: x, y: y, size: size, color: color, align: 0.5) }
            return true
        }
        guard !members.isEmpty else {
            _ = draw(["—"])
            return
        }
        // Try narrower and narrower wrapping (more lines) until every line fits its part of the region.
        let (lo, hi) = span(0)
        var width = hi - lo
        while width > size * 3 {
            var rows: [String] = []
            var row = ""
            for m in members {
                let candidate = row.isEmpty ? m : row + ", " + m
                if row.isEmpty || p.canvas.measure(candidate, size: size).width <= width { row = candidate } else { rows.append(row); row = m }
            }
            rows.append(row)
            if draw(rows) { return }
            width *= 0.85
        }
        _ = draw(["\(members.count)"]) || draw(["\(members.count) instr."])
    }

    func fit(_ s: String, width: Double, _ p: Plot) -> String {
        p.canvas.fit(s, width: width, size: p.font * 0.9, keep: 9)
    }

    package func caption() -> String {
        var parts: [String] = []
        for key in regions.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let name = key.map { sets[$0] }.joined(separator: " ∩ ")
            parts.append("\(name) only: \(regions[key]!.count)")
        }
        var s = "\(title). Sets \(sets.joined(separator: ", ")); " + parts.joined(separator: "; ")
        if !outside.isEmpty { s += "; \(outsideLabel): \(outside.count)" }
        if let v = verdict { s += ". \(v)" }
        return s + "."
    }

    package func altText() -> String {
        var parts: [String] = []
        for key in regions.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) where !(regions[key] ?? []).isEmpty {
            parts.append("in \(key.map { sets[$0] }.joined(separator: " and ")) only: " + regions[key]!.joined(separator: ", "))
        }
        if !outside.isEmpty { parts.append("\(outsideLabel): " + outside.joined(separator: ", ")) }
        return "Venn diagram, \(title): " + parts.joined(separator: "; ") + (verdict.map { ". \($0)" } ?? "") + "."
    }
}
