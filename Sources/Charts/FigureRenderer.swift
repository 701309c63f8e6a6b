/// Renders a chart to a file in one format and theme.
package enum FigureRenderer {
    /// - Parameters:
    ///   - scale: PNG pixel density (2 for @2x).
    /// - Throws: `ChartError` for a bad size or a Cairo failure (nothing is left at `path` then).
    package static func render(_ chart: any Chart, format: FigureFormat, theme: Theme, path: String,
                               width: Int? = nil, height: Int? = nil, scale: Double = 1) throws {
        let w = width ?? theme.width, h = height ?? theme.height
        let canvas = try Canvas(width: w, height: h, format: format, path: path, scale: scale)
        let plot = Plot(canvas: canvas, theme: theme, width: Double(w), height: Double(h))
        if chart.isEmpty { plot.noData(chart.title) } else { chart.draw(plot) }
        try canvas.finish()
    }
}
