import CCairo

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

/// An owning wrapper over one Cairo surface and its context: both destroyed exactly once, and
/// every status checked. Drawing coordinates are in pixels whatever the format.
package final class Canvas {
    package let width: Int
    package let height: Int
    package let format: FigureFormat
    private let surface: OpaquePointer
    private let context: OpaquePointer
    private var pngScale: Double
    private let path: String
    private var finished = false

    /// Creates a surface that writes to `path` (SVG and PDF stream to it; PNG is written at `finish`).
    /// - Parameter scale: PNG pixel density (2 for @2x); vector formats ignore it.
    package init(width: Int, height: Int, format: FigureFormat, path: String, scale: Double = 1) throws {
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
            s = cairo_svg_surface_create(path, w, h)
            if let s { cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX) }
        case .pdf:
            s = cairo_pdf_surface_create(path, w, h)
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
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw ChartError.cairo(operation: "create a context", status: "no memory")
        }
        context = cr
        if format == .png { cairo_scale(cr, scale, scale) }
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Fills a rectangle.
    package func fill(x: Double, y: Double, width: Double, height: Double, color: RGB) {
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    /// Draws text with its baseline starting at (x, y).
    package func text(_ s: String, x: Double, y: Double, size: Double, color: RGB) {
        cairo_set_source_rgb(context, color.r, color.g, color.b)
        cairo_set_font_size(context, size)
        cairo_move_to(context, x, y)
        cairo_show_text(context, s)
    }

    /// Completes the figure and writes it; the canvas cannot be drawn on afterwards.
    /// - Throws: `ChartError.cairo` with Cairo's status when drawing or writing failed.
    package func finish() throws {
        guard !finished else { return }
        finished = true
        try check(cairo_status(context), "draw the figure")
        if format == .png {
            try check(cairo_surface_write_to_png(surface, path), "write \(path)")
        }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "finish \(path)")
        if format == .svg { try SVGIdentifiers.canonicalize(path: path) }
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(e) = self { return e }
        return nil
    }
}
