import Charts
import TraceFormat

/// The provenance VirtLab writes into figures (one construction for `virtlab render` and the
/// pages, so a page's figure and the render command it names give the same bytes).
package enum FigureStamp {
    /// A trace as a figure's source: its path as the command names it, header and SHA-256.
    package struct TraceSource: Sendable {
        package var path: String
        package var header: TraceHeader
        package var sha256: String

        package init(path: String, header: TraceHeader, sha256: String) {
            self.path = path
            self.header = header
            self.sha256 = sha256
        }
    }

    package static func generator(command: String? = nil) -> FigureProvenance {
        FigureProvenance([("generator", "VirtLab \(VirtLabVersion.current)")] + (command.map { [("command", $0)] } ?? []))
    }

    /// What `virtlab render` writes into a figure, with the command that repeats it.
    package static func render(trace: TraceSource?, isa: String? = nil, chart: String, walkLevels: (Int, Int)? = nil,
                               format: FigureFormat, theme: Theme.Name, width: Int? = nil, height: Int? = nil,
                               scale: Double = 1, size: String? = nil, dpi: Double? = nil, output: String) -> FigureProvenance {
        var p = generator()
        var command = ["virtlab", "render"]
        if let trace {
            for (key, value) in [("scenario", trace.header[metadata: "scenario_name"]), ("topic", trace.header[metadata: "topic"])] {
                if let value { p.entries.append((key, value)) }
            }
            p.entries.append(("seed", String(trace.header.seed)))
            p.entries.append(("trace", trace.path))
            p.entries.append(("trace_sha256", trace.sha256))
            command.append(trace.path)
        }
        if let isa {
            p.entries.append(("profile", isa))
            command += ["--isa", isa]
        }
        command += ["--chart", chart]
        if let (guest, nested) = walkLevels { command += ["--guest-levels", String(guest), "--nested-levels", String(nested)] }
        command += ["--format", format.rawValue, "--theme", theme.rawValue]
        if let width { command += ["--width", String(width)] }
        if let height { command += ["--height", String(height)] }
        if scale != 1 { command += ["--scale", Format.number(scale)] }
        if let size { command += ["--size", size] }
        if let dpi { command += ["--dpi", Format.number(dpi)] }
        command += ["-o", output]
        p.entries.append(("command", command.map(Format.shellWord).joined(separator: " ")))
        return p
    }
}
