/// A figure's size: pixels for screens and slides, or a physical size for print (in points,
/// 1/72 inch, with type in points so it stays legible at that size).
package struct FigureSize: Equatable, Sendable {
    /// Canvas units: pixels, or points when `physical`.
    package var width: Int
    package var height: Int
    package var physical: Bool
    /// Set for `slides`: type and lines as the slides theme has them, whatever the colours.
    package var slideType = false

    package init(width: Int, height: Int, physical: Bool, slideType: Bool = false) {
        self.width = width
        self.height = height
        self.physical = physical
        self.slideType = slideType
    }

    /// Named sizes: `slides` (1920×1080 px, 16:9), `paper-1col` (3.5 × 2.4 in, one column of a
    /// two-column paper), `paper-2col` (7 × 3.5 in, the full text width).
    package static let named: [(name: String, size: FigureSize)] = [
        ("slides", FigureSize(width: 1_920, height: 1_080, physical: false, slideType: true)),
        ("paper-1col", FigureSize(width: 252, height: 173, physical: true)),
        ("paper-2col", FigureSize(width: 504, height: 252, physical: true)),
    ]

    /// Points per unit of the units `--size` accepts.
    static let units: [(String, Double)] = [("in", 72), ("mm", 72 / 25.4), ("cm", 72 / 2.54), ("pt", 1)]

    /// Parses `slides`, `paper-1col`, `paper-2col`, or `WxH` with an optional unit on the
    /// whole (`800x480`, `800x480px`, `3.5x2.5in`, `89x60mm`, `252x180pt`).
    /// - Throws: `ChartError.badSizeSpec` saying what is allowed.
    package static func parse(_ spec: String) throws -> FigureSize {
        if let n = named.first(where: { $0.name == spec }) { return n.size }
        let s = spec.lowercased()
        var unit: (String, Double)? = nil
        var body = Substring(s)
        for u in units where s.hasSuffix(u.0) {
            unit = u
            body = body.dropLast(u.0.count)
        }
        if unit == nil, s.hasSuffix("px") { body = body.dropLast(2) }
        let parts = body.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Double(parts[0]), let h = Double(parts[1]), w.isFinite, h.isFinite, w > 0, h > 0 else {
            throw ChartError.badSizeSpec(spec)
        }
        let factor = unit?.1 ?? 1
        let width = Int((w * factor).rounded()), height = Int((h * factor).rounded())
        guard (16...16_384).contains(width), (16...16_384).contains(height) else { throw ChartError.badSizeSpec(spec) }
        return FigureSize(width: width, height: height, physical: unit != nil)
    }

    /// The theme at this size: physical sizes set type at 8 pt (9 pt titles) and 1 pt lines.
    package func theme(_ base: Theme) -> Theme {
        var t = base
        t.width = width
        t.height = height
        if physical {
            t.fontSize = 8
            t.titleSize = 9
            t.lineWidth = 1
        } else if slideType {
            let slides = Theme.named(.slides)
            t.fontSize = slides.fontSize
            t.titleSize = slides.titleSize
            t.lineWidth = slides.lineWidth
        }
        return t
    }
}
