import CCairo

/// One slide of a lecture deck: a title, then text (a subtitle, paragraphs or bullets) and/or
/// a figure, and the speaker notes. Decks are built from a topic page (Reports) and written
/// as PDF here (Cairo) or as PowerPoint by Reports.
package struct DeckSlide: Sendable {
    package var title: String
    package var subtitle: String?
    package var paragraphs: [String] = []
    package var bullets: [String] = []
    /// The figure as PNG bytes (and its SVG for PowerPoint), with its alt text.
    package var figurePNG: [UInt8]?
    package var figureSVG: [UInt8]?
    package var figureAlt: String = ""
    /// The chart itself: the PDF deck draws it as vectors in the slide theme's type.
    package var chart: (any Chart)?
    package var notes: String = ""

    package init(title: String, subtitle: String? = nil, paragraphs: [String] = [], bullets: [String] = [],
                 figurePNG: [UInt8]? = nil, figureSVG: [UInt8]? = nil, figureAlt: String = "", chart: (any Chart)? = nil, notes: String = "") {
        self.title = title
        self.subtitle = subtitle
        self.paragraphs = paragraphs
        self.bullets = bullets
        self.figurePNG = figurePNG
        self.figureSVG = figureSVG
        self.figureAlt = figureAlt
        self.chart = chart
        self.notes = notes
    }
}

/// A deck as a 16:9 PDF (13.33 × 7.5 in, one page per slide) through Cairo's PDF surface:
/// titles and text as real text, figures as their PNG scaled into the slide; and a handout
/// PDF with each slide's speaker notes.
package enum DeckPDF {
    static let width = 960.0, height = 540.0

    /// The slides, one page each.
    package static func slides(_ slides: [DeckSlide], title: String, provenance: FigureProvenance) throws -> [UInt8] {
        try document(title: title, provenance: provenance) { cr in
            for (i, s) in slides.enumerated() {
                drawSlide(cr, s, number: i + 1, of: slides.count)
                cairo_show_page(cr)
            }
        }
    }

    /// The speaker notes, one page per slide that has notes: its number, title and notes.
    package static func handout(_ slides: [DeckSlide], title: String, provenance: FigureProvenance) throws -> [UInt8] {
        try document(title: title + " — speaker notes", provenance: provenance) { cr in
            for (i, s) in slides.enumerated() where !s.notes.isEmpty {
                let theme = Theme.named(.paper)
                background(cr, theme)
                var y = 60.0
                y = text(cr, "Slide \(i + 1) of \(slides.count): \(s.title)", x: 48, y: y, width: width - 96, size: 22, bold: true, color: theme.foreground)
                _ = text(cr, s.notes, x: 48, y: y + 16, width: width - 96, size: 16, bold: false, color: theme.foreground)
                cairo_show_page(cr)
            }
        }
    }

    private static func document(title: String, provenance: FigureProvenance, _ body: (OpaquePointer) -> Void) throws -> [UInt8] {
        let stream = ByteStream()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteStream.write, Unmanaged.passUnretained(stream).toOpaque(), width, height) else {
            throw ChartError.cairo(operation: "create a PDF deck", status: "no memory")
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "create a PDF deck")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "VirtLab")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        if !provenance.entries.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, provenance.pdfKeywords) }
        guard let cr = cairo_create(surface) else { throw ChartError.cairo(operation: "draw a PDF deck", status: "no memory") }
        defer { cairo_destroy(cr) }
        body(cr)
        try check(cairo_status(cr), "draw the PDF deck")
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "finish the PDF deck")
        return stream.bytes
    }

    private static func background(_ cr: OpaquePointer, _ theme: Theme) {
        cairo_set_source_rgb(cr, theme.background.r, theme.background.g, theme.background.b)
        cairo_paint(cr)
    }

    static func drawSlide(_ cr: OpaquePointer, _ s: DeckSlide, number: Int, of count: Int) {
        let theme = Theme.named(.paper)
        background(cr, theme)
        let margin = 48.0
        let isTitleSlide = number == 1
        var y = isTitleSlide ? 190.0 : 28.0
        y = text(cr, s.title, x: margin, y: y, width: width - 2 * margin, size: isTitleSlide ? 36 : 28, bold: true, color: theme.foreground)
        if let sub = s.subtitle { y = text(cr, sub, x: margin, y: y + 18, width: width - 2 * margin, size: 22, bold: false, color: theme.muted) }
        for p in s.paragraphs { y = text(cr, p, x: margin, y: y + 16, width: width - 2 * margin, size: 18, bold: false, color: theme.foreground) }
        for b in s.bullets {
            _ = text(cr, "•", x: margin, y: y + 16, width: 20, size: 20, bold: false, color: theme.palette[0])
            y = text(cr, b, x: margin + 26, y: y + 16, width: width - 2 * margin - 26, size: 20, bold: false, color: theme.foreground)
        }
        if let chart = s.chart {
            // The chart at 1920×1080 with slide type, scaled into the space below the text.
            let top = y + 8, bottom = height - 20
            let scale = min((width - 2 * margin) / 1_920, (bottom - top) / 1_080)
            cairo_save(cr)
            cairo_translate(cr, (width - 1_920 * scale) / 2, top)
            cairo_scale(cr, scale, scale)
            let canvas = Canvas(borrowing: cr, width: 1_920, height: 1_080)
            let theme = FigureSize.named[0].size.theme(.named(.paper))
            let plot = Plot(canvas: canvas, theme: theme, width: 1_920, height: 1_080)
            if chart.isEmpty { plot.noData(chart.title) } else { chart.draw(plot) }
            cairo_restore(cr)
        } else if let png = s.figurePNG, let image = PNGImage.surface(png) {
            defer { cairo_surface_destroy(image) }
            let iw = Double(cairo_image_surface_get_width(image)), ih = Double(cairo_image_surface_get_height(image))
            let top = y + 12, bottom = height - 30
            let scale = min((width - 2 * margin) / iw, (bottom - top) / ih)
            let w = iw * scale
            cairo_save(cr)
            cairo_translate(cr, (width - w) / 2, top)
            cairo_scale(cr, scale, scale)
            cairo_set_source_surface(cr, image, 0, 0)
            cairo_paint(cr)
            cairo_restore(cr)
        }
        _ = text(cr, "\(number) / \(count)", x: width - margin - 60, y: height - 14, width: 60, size: 10, bold: false, color: theme.muted)
    }

    /// Draws `s` wrapped to `width` from the top `y` (the first line's top); returns the y below the last line.
    @discardableResult
    static func text(_ cr: OpaquePointer, _ s: String, x: Double, y: Double, width: Double, size: Double, bold: Bool, color: RGB) -> Double {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
        cairo_set_source_rgb(cr, color.r, color.g, color.b)
        var line = y + size
        for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            for word in paragraph.split(separator: " ") {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if advance(cr, candidate) <= width || current.isEmpty {
                    current = candidate
                } else {
                    cairo_move_to(cr, x, line)
                    cairo_show_text(cr, current)
                    line += size * 1.3
                    current = String(word)
                }
            }
            cairo_move_to(cr, x, line)
            cairo_show_text(cr, current)
            line += size * 1.3
        }
        return line - size * 1.3 + size * 0.35
    }

    static func advance(_ cr: OpaquePointer, _ s: String) -> Double {
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, s, &e)
        return e.x_advance
    }
}

/// A PNG in memory as a Cairo image surface (for painting figures into decks).
enum PNGImage {
    final class Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ b: [UInt8]) { bytes = b }
    }

    static func surface(_ png: [UInt8]) -> OpaquePointer? {
        let reader = Reader(png)
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let r = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
            guard r.offset + Int(length) <= r.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            r.bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress! + r.offset, count: Int(length)) }
            r.offset += Int(length)
            return CAIRO_STATUS_SUCCESS
        }
        let s = withExtendedLifetime(reader) { cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque()) }
        guard let s, cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            if let s { cairo_surface_destroy(s) }
            return nil
        }
        return s
    }
}
