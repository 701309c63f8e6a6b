/// Writes a figure's SVG directly, element by element, as `Canvas` draws: shapes as `rect`,
/// `path` and `circle`, and every label, tick, title and legend as a real `<text>` element —
/// selectable, searchable, read by screen readers, editable after import into PowerPoint,
/// Keynote or Inkscape. Text is placed where Cairo lays it out and carries the width Cairo
/// measured (`textLength`, glyphs and spacing adjusted), so the layout holds when the viewer
/// substitutes a font for DejaVu Sans. Cairo still measures the text; it still draws PNG and
/// PDF. (Cairo's own SVG surface writes each glyph as a path symbol: no text, and three times
/// the bytes; see docs/architecture.md.)
///
/// Coordinates are written with at most two decimals; nothing depends on time or process
/// state, so the same drawing gives the same bytes.
final class SVGWriter {
    private var body: [UInt8] = []
    private let width: Int, height: Int
    private var clips = 0
    /// Text for `<title>`/`<desc>` and `<metadata>`, set before `finish`.
    var title: String?
    var description: String?
    var metadata: [(String, String)] = []
    static let fontFamily = "DejaVu Sans, Verdana, Arial, sans-serif"

    /// The unit of the width and height attributes: "" (pixels) or "pt" for print sizes.
    private let unit: String

    init(width: Int, height: Int, unit: String = "") {
        self.width = width
        self.height = height
        self.unit = unit
        body.reserveCapacity(16_384)
    }

    // MARK: - Elements

    func rect(x: Double, y: Double, width: Double, height: Double, fill: RGB, opacity: Double = 1) {
        emit("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"\(hex(fill))\"\(opacityAttribute("fill-opacity", opacity))/>\n")
    }

    func stroke(_ points: [(Double, Double)], color: RGB, width: Double, dash: [Double], roundJoin: Bool, opacity: Double = 1) {
        guard let first = points.first else { return }
        var d = "M\(n(first.0)) \(n(first.1))"
        for p in points.dropFirst() { d += "L\(n(p.0)) \(n(p.1))" }
        var attributes = " fill=\"none\" stroke=\"\(hex(color))\" stroke-width=\"\(n(width))\""
        if !dash.isEmpty { attributes += " stroke-dasharray=\"\(dash.map(n).joined(separator: " "))\"" }
        if roundJoin { attributes += " stroke-linejoin=\"round\"" }
        attributes += opacityAttribute("stroke-opacity", opacity)
        emit("<path d=\"\(d)\"\(attributes)/>\n")
    }

    /// An invisible area with a `<title>`: viewers show the words on hover.
    func hotspot(x: Double, y: Double, width: Double, height: Double, label: String) {
        emit("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#000\" fill-opacity=\"0\"><title>\(Self.escape(label))</title></rect>\n")
    }

    /// Separate straight segments as one path (hatching: one element, not one per line).
    func segments(_ segs: [((Double, Double), (Double, Double))], color: RGB, width: Double, opacity: Double = 1) {
        guard !segs.isEmpty else { return }
        var d = ""
        // Relative line-tos on whole pixels: a hatch's segments share one offset, and a texture
        // needs no sub-pixel placement (the bench's hatched bar chart: 71 KB as separate paths
        // with two decimals, 22 KB as one, 16 KB like this; matplotlib's is 21 KB).
        func whole(_ v: Double) -> String { v.isFinite ? String(Int64(max(-1e9, min(1e9, v)).rounded())) : "0" }
        for (a, b) in segs { d += "M\(whole(a.0)) \(whole(a.1))l\(whole(b.0 - a.0)) \(whole(b.1 - a.1))" }
        emit("<path d=\"\(d)\" fill=\"none\" stroke=\"\(hex(color))\" stroke-width=\"\(n(width))\"\(opacityAttribute("stroke-opacity", opacity))/>\n")
    }

    func polygon(_ points: [(Double, Double)], fill: RGB) {
        guard let first = points.first else { return }
        var d = "M\(n(first.0)) \(n(first.1))"
        for p in points.dropFirst() { d += "L\(n(p.0)) \(n(p.1))" }
        emit("<path d=\"\(d)Z\" fill=\"\(hex(fill))\"/>\n")
    }

    func circle(x: Double, y: Double, r: Double, fill: RGB?, fillOpacity: Double = 1, stroke: RGB? = nil, strokeWidth: Double = 1, clip: Int? = nil) {
        var a = "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\""
        a += fill.map { " fill=\"\(hex($0))\"" + opacityAttribute("fill-opacity", fillOpacity) } ?? " fill=\"none\""
        if let stroke { a += " stroke=\"\(hex(stroke))\" stroke-width=\"\(n(strokeWidth))\"" }
        if let clip { a += " clip-path=\"url(#clip\(clip))\"" }
        emit(a + "/>\n")
    }

    /// Defines a clip path of a rectangle, or of circles combined by the even-odd rule; returns its number.
    func clipRect(x: Double, y: Double, width: Double, height: Double) -> Int {
        clips += 1
        emit("<clipPath id=\"clip\(clips)\"><rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\"/></clipPath>\n")
        return clips
    }

    func clipEvenOdd(circles: [(Double, Double, Double)]) -> Int {
        clips += 1
        let d = circles.map { c in
            "M\(n(c.0 + c.2)) \(n(c.1))A\(n(c.2)) \(n(c.2)) 0 1 1 \(n(c.0 - c.2)) \(n(c.1))A\(n(c.2)) \(n(c.2)) 0 1 1 \(n(c.0 + c.2)) \(n(c.1))Z"
        }.joined()
        emit("<clipPath id=\"clip\(clips)\"><path d=\"\(d)\" clip-rule=\"evenodd\"/></clipPath>\n")
        return clips
    }

    /// Opens a group clipped by clip path `clip`; `endGroup` closes it.
    func beginGroup(clip: Int) { emit("<g clip-path=\"url(#clip\(clip))\">\n") }
    func endGroup() { emit("</g>\n") }

    /// Text whose left end of the baseline is at (x, y) — or, rotated, which reads upwards
    /// from (x, y) — `width` wide as Cairo measured it.
    func text(_ s: String, x: Double, y: Double, size: Double, color: RGB, width: Double, bold: Bool, rotate: Bool, pivot: (Double, Double)? = nil) {
        var a = "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\""
        if bold { a += " font-weight=\"bold\"" }
        a += " fill=\"\(hex(color))\""
        if rotate, let pivot { a += " transform=\"rotate(-90 \(n(pivot.0)) \(n(pivot.1)))\"" }
        if width > 0, !s.isEmpty { a += " textLength=\"\(n(width))\" lengthAdjust=\"spacingAndGlyphs\"" }
        emit(a + " xml:space=\"preserve\">\(Self.escape(s))</text>\n")
    }

    // MARK: - The document

    func finish() -> [UInt8] {
        var head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        head += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(width)\(unit)\" height=\"\(height)\(unit)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"\(Self.fontFamily)\">\n"
        if let title, !title.isEmpty { head += "<title>\(Self.escape(title))</title>\n" }
        if let description, !description.isEmpty { head += "<desc>\(Self.escape(description))</desc>\n" }
        if !metadata.isEmpty {
            head += "<metadata><virtlab:provenance xmlns:virtlab=\"https://virtlab.example/provenance\">\n"
            for (k, v) in metadata { head += "<virtlab:entry key=\"\(Self.escape(k))\">\(Self.escape(v))</virtlab:entry>\n" }
            head += "</virtlab:provenance></metadata>\n"
        }
        return Array(head.utf8) + body + Array("</svg>\n".utf8)
    }

    // MARK: - Formatting

    private func emit(_ s: String) { body.append(contentsOf: s.utf8) }

    private func opacityAttribute(_ name: String, _ v: Double) -> String { v >= 1 ? "" : " \(name)=\"\(n(v))\"" }

    /// A number with at most two decimals, no trailing zeros, no exponent.
    func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let clamped = max(-1e9, min(1e9, v))
        let hundredths = Int64((clamped * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        let whole = a / 100, frac = a % 100
        if frac == 0 { return sign + String(whole) }
        if frac % 10 == 0 { return sign + "\(whole).\(frac / 10)" }
        return sign + "\(whole)." + (frac < 10 ? "0" : "") + String(frac)
    }

    private func hex(_ c: RGB) -> String {
        func byte(_ v: Double) -> String {
            let b = Int((max(0, min(1, v)) * 255).rounded())
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }
        return "#" + byte(c.r) + byte(c.g) + byte(c.b)
    }

    static func escape(_ s: String) -> String { XMLText.escaped(s) }
}

/// XML text for the SVG and PowerPoint writers.
package enum XMLText {
    /// Text content and attribute values: `& < > "` escaped, and characters XML 1.0 forbids dropped.
    package static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                let v = u.value
                if v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || v >= 0x10000 {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
