import CCairo
import SafeOutput
#if canImport(Glibc)
import Glibc
#endif

/// The output formats of a figure.
package enum FigureFormat: String, CaseIterable, Sendable {
    case png, svg, pdf
}

/// An RGB colour with components in 0…1.
package struct RGB: Equatable, Sendable {
    package var r, g, b: Double
    package init(_ r: Double, _ g: Double, _ b: Double) { self.r = r; self.g = g; self.b = b }
    /// From a 0xRRGGBB literal.
    package init(hex: UInt32) {
        self.init(Double((hex >> 16) & 0xFF) / 255, Double((hex >> 8) & 0xFF) / 255, Double(hex & 0xFF) / 255)
    }
}

/// A mark's area in canvas pixels and the words for its value.
package struct Hotspot: Equatable, Sendable {
    package var x, y, width, height: Double
    package var label: String
}

/// An owning wrapper over one Cairo surface and its context: both destroyed exactly once, and
/// every status checked. Drawing coordinates are in pixels whatever the format.
package final class Canvas {
    package let width: Int
    package let height: Int
    package let format: FigureFormat
    private let surface: OpaquePointer
    private let context: OpaquePointer
    private var pngScale: Double
    /// DejaVu Sans, regular and bold, resolved once per canvas (a font lookup per label costs time).
    private let regular: OpaquePointer
    private let bold: OpaquePointer
    private let path: String
    private var finished = false
    /// PDF bytes as Cairo streams them (nothing touches the disk until `finish`).
    private let stream = ByteStream()
    /// SVG is written element by element with real text (Cairo only measures the text then).
    private let svg: SVGWriter?
    private let physical: Bool
    /// Every string drawn, in order (tests compare it with an SVG's `<text>` elements).
    package private(set) var drawnTexts: [String] = []
    /// The marks that carry a value (a bar, a point, a cell) with what that value is, in drawing
    /// order: pages lay focusable hover areas over the picture from them.
    package private(set) var hotspots: [Hotspot] = []

    /// Creates a surface that writes to `path` (SVG and PDF stream to it; PNG is written at `finish`).
    /// - Parameter scale: PNG pixel density (2 for @2x); vector formats ignore it.
    /// - Parameter physical: the canvas units are points (1/72 in): SVG says so in its size, PNG
    ///   records its resolution (`scale` × 72 dpi), PDF pages are in points anyway.
    /// Cairo and fontconfig set up their font tables on first use; doing that once, under
    /// Swift's one-time initialisation, keeps threads that draw their first figures at the same
    /// moment (a course build's runs) from racing through it.
    private static let fontsReady: Bool = {
        guard let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1) else { return false }
        defer { cairo_surface_destroy(s) }
        guard let cr = cairo_create(s) else { return false }
        defer { cairo_destroy(cr) }
        for weight in [CAIRO_FONT_WEIGHT_NORMAL, CAIRO_FONT_WEIGHT_BOLD] {
            cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, weight)
            cairo_set_font_size(cr, 13)
            var e = cairo_text_extents_t()
            cairo_text_extents(cr, "VirtLab 0123456789 µs ≥ — …", &e)
        }
        return true
    }()

    package init(width: Int, height: Int, format: FigureFormat, path: String, scale: Double = 1, physical: Bool = false) throws {
        _ = Self.fontsReady
        guard (1...16_384).contains(width), (1...16_384).contains(height) else { throw ChartError.badSize(width: width, height: height) }
        self.width = width
        self.height = height
        self.format = format
        self.path = path
        pngScale = scale
        let w = Double(width), h = Double(height)
        let s: OpaquePointer?
        switch format {
        case .png:
            s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((w * scale).rounded()), Int32((h * scale).rounded()))
        case .svg:
            // A one-pixel surface: the context measures text; the SVG writer draws.
            s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        case .pdf:
            s = cairo_pdf_surface_create_for_stream(ByteStream.write, Unmanaged.passUnretained(stream).toOpaque(), w, h)
            if let s {
                // A fixed date keeps PDFs byte-identical run to run.
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "VirtLab")
            }
        }
        guard let surface = s else { throw ChartError.cairo(operation: "create a \(format) surface", status: "no memory") }
        if let error = Result(catching: { try check(cairo_surface_status(surface), "create \(path)") }).failure {
            cairo_surface_destroy(surface)
            throw error
        }
        self.surface = surface
        svg = format == .svg ? SVGWriter(width: width, height: height, unit: physical ? "pt" : "") : nil
        self.physical = physical
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw ChartError.cairo(operation: "create a context", status: "no memory")
        }
        context = cr
        if format == .png { cairo_scale(cr, scale, scale) }
        regular = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        bold = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
        cairo_set_font_face(cr, regular)
    }

    /// A canvas that draws into another's context (a deck page), under its transformation:
    /// holds references to the context and its surface, writes no file.
    package init(borrowing cr: OpaquePointer, width: Int, height: Int) {
        _ = Self.fontsReady
        self.width = width
        self.height = height
        format = .pdf
        path = ""
        pngScale = 1
        physical = false
        svg = nil
        surface = cairo_surface_reference(cairo_get_target(cr))
        context = cairo_reference(cr)
        regular = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        bold = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
        cairo_set_font_face(cr, regular)
        finished = true // never finished into a file
    }

    deinit {
        cairo_destroy(context)
        cairo_font_face_destroy(regular)
        cairo_font_face_destroy(bold)
        cairo_surface_destroy(surface)
    }

    /// Fills a rectangle.
    package func fill(x: Double, y: Double, width: Double, height: Double, color: RGB) {
        if let svg { return svg.rect(x: x, y: y, width: width, height: height, fill: color) }
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    /// Draws text with its baseline starting at (x, y).
    package func text(_ s: String, x: Double, y: Double, size: Double, color: RGB) {
        drawnTexts.append(s)
        if let svg { return svg.text(s, x: x, y: y, size: size, color: color, width: measure(s, size: size).width, bold: false, rotate: false) }
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_set_font_size(context, size)
        cairo_move_to(context, x, y)
        cairo_show_text(context, s)
    }

    /// Strokes a straight line; with `crisp`, 1-pixel-wide horizontal and vertical lines land on pixel centres.
    package func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, color: RGB, width: Double = 1, dash: [Double] = []) {
        let odd = Int(width.rounded()) % 2 == 1
        let snap = { (v: Double) -> Double in odd ? v.rounded(.down) + 0.5 : v.rounded() }
        let (a, b): ((Double, Double), (Double, Double))
        if x0 == x1 {
            (a, b) = ((snap(x0), y0), (snap(x1), y1))
        } else if y0 == y1 {
            (a, b) = ((x0, snap(y0)), (x1, snap(y1)))
        } else {
            (a, b) = ((x0, y0), (x1, y1))
        }
        if let svg { return svg.stroke([a, b], color: color, width: width, dash: dash, roundJoin: false) }
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_set_line_width(context, width)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
        cairo_move_to(context, a.0, a.1); cairo_line_to(context, b.0, b.1)
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    /// Strokes a polyline through the points.
    package func polyline(_ points: [(Double, Double)], color: RGB, width: Double, dash: [Double] = []) {
        guard let first = points.first else { return }
        if let svg { return svg.stroke(points, color: color, width: width, dash: dash, roundJoin: true) }
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_set_line_width(context, width)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
        cairo_move_to(context, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(context, p.0, p.1) }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    /// Fills the polygon through `points`.
    package func fillPolygon(_ points: [(Double, Double)], color: RGB) {
        guard let first = points.first else { return }
        if let svg { return svg.polygon(points, fill: color) }
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_new_path(context)
        cairo_move_to(context, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(context, p.0, p.1) }
        cairo_close_path(context)
        cairo_fill(context)
    }

    /// A filled marker: a circle, square or triangle (distinguishable in greyscale).
    package func marker(_ shape: Int, x: Double, y: Double, size: Double, color: RGB) {
        if let svg {
            switch shape % 3 {
            case 0: svg.circle(x: x, y: y, r: size / 2, fill: color)
            case 1: svg.rect(x: x - size / 2, y: y - size / 2, width: size, height: size, fill: color)
            default: svg.polygon([(x, y - size / 2), (x + size / 2, y + size / 2), (x - size / 2, y + size / 2)], fill: color)
            }
            return
        }
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        switch shape % 3 {
        case 0: cairo_arc(context, x, y, size / 2, 0, 2 * Double.pi)
        case 1: cairo_rectangle(context, x - size / 2, y - size / 2, size, size)
        default:
            cairo_move_to(context, x, y - size / 2)
            cairo_line_to(context, x + size / 2, y + size / 2)
            cairo_line_to(context, x - size / 2, y + size / 2)
            cairo_close_path(context)
        }
        cairo_fill(context)
    }

    /// Fills a rectangle with diagonal hatching in `color` over `background` (greyscale-safe series).
    package func hatch(x: Double, y: Double, width: Double, height: Double, color: RGB, background: RGB, pattern: Int) {
        fill(x: x, y: y, width: width, height: height, color: color)
        guard pattern % 4 != 0, width > 2, height > 2, x.isFinite, y.isFinite else { return }
        // Only the part on the canvas is hatched: a bar from an absurd value (a damaged trace)
        // would otherwise take billions of strokes.
        let left = max(x, -10), top = max(y, -10)
        let width = min(x + width, Double(self.width) + 10) - left, height = min(y + height, Double(self.height) + 10) - top
        guard width > 2, height > 2 else { return }
        let x = left, y = top
        let spacing = 7.0
        if let svg {
            let clip = svg.clipRect(x: x, y: y, width: width, height: height)
            svg.beginGroup(clip: clip)
            var d = -height
            var segs: [((Double, Double), (Double, Double))] = []
            while d < width + height {
                switch pattern % 4 {
                case 1: segs.append(((x + d, y + height), (x + d + height, y)))
                case 2: segs.append(((x + d, y), (x + d + height, y + height)))
                default: segs.append(((x + d, y), (x + d, y + height)))
                }
                d += spacing
            }
            // One path, as Cairo strokes them in one go (overlaps do not darken: same as the PNG).
            svg.segments(segs, color: background, width: 1.5, opacity: 0.55)
            svg.endGroup()
            return
        }
        cairo_save(context)
        cairo_rectangle(context, x, y, width, height)
        cairo_clip(context)
        cairo_set_source_rgba(context, background.r, background.g, background.b, 0.55)
        cairo_set_line_width(context, 1.5)
        var d = -height
        while d < width + height {
            switch pattern % 4 {
            case 1: cairo_move_to(context, x + d, y + height); cairo_line_to(context, x + d + height, y)
            case 2: cairo_move_to(context, x + d, y); cairo_line_to(context, x + d + height, y + height)
            default: cairo_move_to(context, x + d, y); cairo_line_to(context, x + d, y + height)
            }
            d += spacing
        }
        cairo_stroke(context)
        cairo_restore(context)
    }

    /// A circle filled with a translucent colour and stroked.
    package func circle(x: Double, y: Double, r: Double, fill: RGB, alpha: Double, stroke: RGB, width: Double) {
        if let svg { return svg.circle(x: x, y: y, r: r, fill: fill, fillOpacity: alpha, stroke: stroke, strokeWidth: width) }
        cairo_new_path(context)
        cairo_arc(context, x, y, r, 0, 2 * Double.pi)
        cairo_set_source_rgba(context, fill.r, fill.g, fill.b, alpha)
        cairo_fill_preserve(context)
        cairo_set_source_rgb(context, stroke.r, stroke.g, stroke.b)
        cairo_set_line_width(context, width)
        cairo_stroke(context)
    }

    /// Fills the part of circle A outside circle B (even-odd clip), e.g. to highlight S ∖ P.
    package func fillDifference(ax: Double, ay: Double, bx: Double, by: Double, r: Double, color: RGB, alpha: Double) {
        if let svg {
            let clip = svg.clipEvenOdd(circles: [(ax, ay, r), (bx, by, r)])
            return svg.circle(x: ax, y: ay, r: r, fill: color, fillOpacity: alpha, clip: clip)
        }
        cairo_save(context)
        cairo_new_path(context)
        cairo_arc(context, ax, ay, r, 0, 2 * Double.pi)
        cairo_new_sub_path(context)
        cairo_arc(context, bx, by, r, 0, 2 * Double.pi)
        cairo_set_fill_rule(context, CAIRO_FILL_RULE_EVEN_ODD)
        cairo_clip(context)
        cairo_new_path(context)
        cairo_arc(context, ax, ay, r, 0, 2 * Double.pi)
        cairo_set_source_rgba(context, color.r, color.g, color.b, alpha)
        cairo_fill(context)
        cairo_restore(context)
    }

    /// The width and height of `s` at `size`.
    package func measure(_ s: String, size: Double) -> (width: Double, height: Double) {
        cairo_set_font_size(context, size)
        var e = cairo_text_extents_t()
        cairo_text_extents(context, s, &e)
        return (e.x_advance, size)
    }

    /// The width of `s` in the bold face (titles) or the regular one, leaving the face as it was.
    package func measure(_ s: String, size: Double, bold: Bool) -> (width: Double, height: Double) {
        cairo_save(context)
        defer { cairo_restore(context) }
        cairo_set_font_face(context, bold ? self.bold : regular)
        return measure(s, size: size)
    }

    /// The longest prefix of `s` (with "…" when cut) no wider than `width` at `size`, found by
    /// bisection: a label of 80,000 characters from a shared trace costs about twenty
    /// measurements, not forty thousand. At least `keep` characters are kept.
    package func fit(_ s: String, width: Double, size: Double, keep: Int = 1, bold: Bool = false) -> String {
        // Nothing longer than this fits on a 16,384-pixel canvas at any size VirtLab uses.
        let capped = s.count > 2_000 ? String(s.prefix(2_000)) : s
        if capped.count == s.count, measure(s, size: size, bold: bold).width <= width { return s }
        let chars = Array(capped)
        var lo = Swift.min(keep, chars.count), hi = chars.count - 1 // lo fits or is the floor; hi is the longest candidate
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if measure(String(chars[..<mid]) + "…", size: size, bold: bold).width <= width { lo = mid } else { hi = mid - 1 }
        }
        return String(chars[..<lo]) + "…"
    }

    /// Draws text anchored at (x, y): `align` 0 left, 0.5 centre, 1 right; baseline at y.
    package func text(_ s: String, x: Double, y: Double, size: Double, color: RGB, align: Double, bold: Bool = false, rotate: Bool = false) {
        drawnTexts.append(s)
        cairo_save(context)
        cairo_set_font_face(context, bold ? self.bold : regular)
        let w = measure(s, size: size).width
        if let svg {
            cairo_restore(context)
            return svg.text(s, x: x - w * align, y: y, size: size, color: color, width: w, bold: bold, rotate: rotate, pivot: (x, y))
        }
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_translate(context, x, y)
        if rotate { cairo_rotate(context, -Double.pi / 2) }
        cairo_move_to(context, -w * align, 0)
        cairo_show_text(context, s)
        cairo_restore(context)
    }

    /// Says what a drawn mark stands for ("shadow — overhead: 80 %"): a transparent area with a
    /// `<title>` in SVG (a viewer opening the file shows it on hover), and a `Hotspot` the page
    /// turns into a focusable area over the picture. PNG and PDF keep nothing.
    package func hotspot(x: Double, y: Double, width: Double, height: Double, label: String) {
        guard x.isFinite, y.isFinite, width.isFinite, height.isFinite else { return }
        // At least 8 px either way, so a thin bar or a point can be hovered.
        let w = max(width, 8), h = max(height, 8)
        let spot = Hotspot(x: x - (w - width) / 2, y: y - (h - height) / 2, width: w, height: h, label: label)
        hotspots.append(spot)
        svg?.hotspot(x: spot.x, y: spot.y, width: spot.width, height: spot.height, label: label)
    }

    /// Names the figure inside the file: SVG `<title>` and `<desc>` (read by screen readers),
    /// PDF title and subject.
    package func describe(title: String, description: String) {
        svg?.title = title
        svg?.description = description
        if format == .pdf {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, description)
        }
    }

    /// Where the figure came from, written into the file at `finish` (see `FigureProvenance`).
    package var provenance = FigureProvenance()

    /// Completes the figure and writes it to the canvas's path through `OutputFile` (atomic,
    /// every write checked); the canvas cannot be drawn on afterwards.
    /// - Throws: `ChartError.cairo` with Cairo's status when drawing failed; `OutputError` when writing did.
    package func finish() throws {
        try OutputFile.write(try finishBytes(), to: path)
    }

    /// Completes the figure and returns the file's bytes (PNG, SVG or PDF).
    package func finishBytes() throws -> [UInt8] {
        guard !finished else { throw ChartError.cairo(operation: "finish the figure", status: "already finished") }
        finished = true
        try check(cairo_status(context), "draw the figure")
        if format == .png {
            cairo_surface_flush(surface)
            guard let data = cairo_image_surface_get_data(surface) else {
                throw ChartError.cairo(operation: "read the image", status: "no pixels")
            }
            let png = try PNGEncoder.encode(width: Int(cairo_image_surface_get_width(surface)), height: Int(cairo_image_surface_get_height(surface)),
                                            stride: Int(cairo_image_surface_get_stride(surface)), pixels: UnsafePointer(data), text: provenance.pngText,
                                            dpi: physical ? pngScale * 72 : nil)
            cairo_surface_finish(surface)
            return png
        }
        if let svg {
            cairo_surface_finish(surface)
            svg.metadata = provenance.entries.map { ($0.key, $0.value) }
            return svg.finish()
        }
        if format == .pdf, !provenance.entries.isEmpty {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, provenance.pdfKeywords)
        }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "finish the \(format) file")
        return stream.bytes
    }
}

/// Bytes Cairo writes through a stream callback.
final class ByteStream {
    var bytes: [UInt8] = []

    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let me = Unmanaged<ByteStream>.fromOpaque(closure).takeUnretainedValue()
        me.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(e) = self { return e }
        return nil
    }
}

/// Reads back rendered PNGs (for tests and checks): the colour of one pixel.
package enum PNGProbe {
    /// The RGB of pixel (x, y) of a PNG file, or nil when it cannot be read.
    package static func pixel(_ path: String, x: Int, y: Int) -> RGB? {
        guard let s = cairo_image_surface_create_from_png(path) else { return nil }
        defer { cairo_surface_destroy(s) }
        guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(s) else { return nil }
        let w = Int(cairo_image_surface_get_width(s)), h = Int(cairo_image_surface_get_height(s))
        guard x >= 0, y >= 0, x < w, y < h else { return nil }
        let px = data.advanced(by: y * Int(cairo_image_surface_get_stride(s)) + x * 4)
        return RGB(Double(px[2]) / 255, Double(px[1]) / 255, Double(px[0]) / 255)
    }

    /// The share of pixels (0…1) whose colour differs by more than `threshold` (of 255) in some
    /// channel between two PNG files of the same size; nil when either cannot be read or the
    /// sizes differ. (Antialiased text differs a little between renderers; shapes should not.)
    package static func difference(_ a: String, _ b: String, threshold: Int = 64) -> Double? {
        guard let sa = cairo_image_surface_create_from_png(a) else { return nil }
        defer { cairo_surface_destroy(sa) }
        guard let sb = cairo_image_surface_create_from_png(b) else { return nil }
        defer { cairo_surface_destroy(sb) }
        guard cairo_surface_status(sa) == CAIRO_STATUS_SUCCESS, cairo_surface_status(sb) == CAIRO_STATUS_SUCCESS,
              let da = cairo_image_surface_get_data(sa), let db = cairo_image_surface_get_data(sb) else { return nil }
        let w = Int(cairo_image_surface_get_width(sa)), h = Int(cairo_image_surface_get_height(sa))
        guard w == Int(cairo_image_surface_get_width(sb)), h == Int(cairo_image_surface_get_height(sb)), w * h > 0 else { return nil }
        let strideA = Int(cairo_image_surface_get_stride(sa)), strideB = Int(cairo_image_surface_get_stride(sb))
        var large = 0
        for y in 0..<h {
            for x in 0..<w {
                let pa = da.advanced(by: y * strideA + x * 4), pb = db.advanced(by: y * strideB + x * 4)
                var worst = 0
                for c in 0..<3 { worst = max(worst, abs(Int(pa[c]) - Int(pb[c]))) }
                if worst > threshold { large += 1 }
            }
        }
        return Double(large) / Double(w * h)
    }

    /// Width and height of a PNG file.
    package static func size(_ path: String) -> (Int, Int)? {
        guard let s = cairo_image_surface_create_from_png(path) else { return nil }
        defer { cairo_surface_destroy(s) }
        guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { return nil }
        return (Int(cairo_image_surface_get_width(s)), Int(cairo_image_surface_get_height(s)))
    }
}
