/// Renders a chart to a file in one format and theme.
package enum FigureRenderer {
    /// Writes the figure to `path` (atomically, every write checked; see `OutputFile`).
    /// - Parameters:
    ///   - scale: PNG pixel density (2 for @2x).
    /// - Throws: `ChartError` for a bad size or a Cairo failure, `OutputError` when the file
    ///   cannot be written (nothing is left at `path` then).
    package static func render(_ chart: any Chart, format: FigureFormat, theme: Theme, path: String,
                               width: Int? = nil, height: Int? = nil, scale: Double = 1, provenance: FigureProvenance = .init()) throws {
        let canvas = try draw(chart, format: format, theme: theme, path: path, width: width, height: height, scale: scale)
        canvas.provenance = provenance
        try canvas.finish()
    }

    /// The figure's file contents, without writing anything.
    package static func bytes(_ chart: any Chart, format: FigureFormat, theme: Theme,
                              width: Int? = nil, height: Int? = nil, scale: Double = 1, provenance: FigureProvenance = .init()) throws -> [UInt8] {
        let canvas = try draw(chart, format: format, theme: theme, path: "", width: width, height: height, scale: scale)
        canvas.provenance = provenance
        return try canvas.finishBytes()
    }

    /// The file's contents and the marks that carry a value (for a page's hover areas).
    package static func bytesAndHotspots(_ chart: any Chart, format: FigureFormat, theme: Theme, scale: Double = 1,
                                         provenance: FigureProvenance = .init()) throws -> (bytes: [UInt8], hotspots: [Hotspot]) {
        let canvas = try draw(chart, format: format, theme: theme, path: "", width: nil, height: nil, scale: scale)
        canvas.provenance = provenance
        return (try canvas.finishBytes(), canvas.hotspots)
    }

    /// The file's contents and every string drawn on it, in order.
    package static func bytesAndTexts(_ chart: any Chart, format: FigureFormat, theme: Theme,
                                      width: Int? = nil, height: Int? = nil) throws -> (bytes: [UInt8], texts: [String]) {
        let canvas = try draw(chart, format: format, theme: theme, path: "", width: width, height: height, scale: 1)
        return (try canvas.finishBytes(), canvas.drawnTexts)
    }

    /// The file's contents at a named or physical size (`FigureSize`); PNGs at `dpi` for physical sizes.
    package static func bytes(_ chart: any Chart, format: FigureFormat, theme: Theme, size: FigureSize, dpi: Double = 300,
                              scale: Double = 1, provenance: FigureProvenance = .init()) throws -> [UInt8] {
        let t = size.theme(theme)
        let canvas = try draw(chart, format: format, theme: t, path: "", width: t.width, height: t.height,
                              scale: size.physical ? dpi / 72 : scale, physical: size.physical)
        canvas.provenance = provenance
        return try canvas.finishBytes()
    }

    private static func draw(_ chart: any Chart, format: FigureFormat, theme: Theme, path: String,
                             width: Int?, height: Int?, scale: Double, physical: Bool = false) throws -> Canvas {
        let w = width ?? theme.width, h = height ?? theme.height
        let canvas = try Canvas(width: w, height: h, format: format, path: path, scale: scale, physical: physical)
        let plot = Plot(canvas: canvas, theme: theme, width: Double(w), height: Double(h))
        canvas.describe(title: chart.title, description: chart.altText())
        if chart.isEmpty { plot.noData(chart.title) } else { chart.draw(plot) }
        return canvas
    }
}
