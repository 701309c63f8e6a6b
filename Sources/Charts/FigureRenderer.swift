/// Renders a chart to a file in one format and theme.
package enum FigureRenderer {
    /// Writes the figure to `path` (atomically, every write checked; see `OutputFile`).
    /// - Parameters:
    ///   - scale: PNG pixel density (2 for @2x).
    /// - Throws: `ChartError` for a bad size or a Cairo failure, `OutputError` when the file
    ///   cannot be written (nothing is left at `path` then).
    package static func render(_ chart: any Chart, format: FigureFormat, theme: Theme, path: String,
                               width: Int? = nil, height: Int? = nil, scale: Double = 1) throws {
        let canvas = try draw(chart, format: format, theme: theme, path: path, width: width, height: height, scale: scale)
        try canvas.finish()
    }

    /// The figure's file contents, without writing anything.
    package static func bytes(_ chart: any Chart, format: FigureFormat, theme: Theme,
                              width: Int? = nil, height: Int? = nil, scale: Double = 1) throws -> [UInt8] {
        try draw(chart, format: format, theme: theme, path: "", width: width, height: height, scale: scale).finishBytes()
    }

    private static func draw(_ chart: any Chart, format: FigureFormat, theme: Theme, path: String,
                             width: Int?, height: Int?, scale: Double) throws -> Canvas {
        let w = width ?? theme.width, h = height ?? theme.height
        let canvas = try Canvas(width: w, height: h, format: format, path: path, scale: scale)
        let plot = Plot(canvas: canvas, theme: theme, width: Double(w), height: Double(h))
        if chart.isEmpty { plot.noData(chart.title) } else { chart.draw(plot) }
        return canvas
    }
}
