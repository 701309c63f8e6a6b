import ArgumentParser
import Charts
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab course`: the main job. Until the reports land, it runs every preset, keeps the
/// traces, renders each run's main figure (and the instruction-set Venn diagrams) in PNG, SVG
/// and PDF, and writes an index page that lists runs, figures and results honestly.
struct CourseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Run every built-in preset and build the course site into a folder (what `make demo` runs).",
        discussion: """
        Writes OUTPUT/traces/PRESET.vlt for every preset, OUTPUT/figures/NAME.{png,svg,pdf} \
        (each run's main figure, PNG at 2×, and a Venn diagram per instruction-set profile), \
        and OUTPUT/index.html listing each run with its figure and results. Topic pages and \
        comparison figures are not built yet; the page says so.

        Example:
          virtlab course -o output
        """
    )

    @Option(name: .shortAndLong, help: "Folder for the site.")
    var output = "output"

    @Option(help: "Folder whose sweep-*.yaml files run as the site's experiments.")
    var sweeps = "Traces/scenarios"

    @Flag(name: .shortAndLong, help: "No progress lines.")
    var quiet = false

    func run() throws {
        try makeDirectory(output)
        try makeDirectory(output + "/traces")
        try makeDirectory(output + "/figures")
        var rows: [Row] = []
        for preset in Preset.all {
            let s = try preset.scenario()
            let path = "\(output)/traces/\(preset.name).vlt"
            let (events, metrics) = try RunCommand.simulate(s, to: path)
            let reader = try TraceReader(path: path)
            // The topic's first figure that has data for this run (a native run has no exits to show).
            var kind = "", chart: (any Chart)?
            for k in RenderCommand.kinds(for: preset.topic.rawValue) {
                let c = try RenderCommand.chart(k, reader)
                if !c.isEmpty { kind = k; chart = c; break }
            }
            guard let chart else { continue }
            try Self.renderAll(chart, to: "\(output)/figures", name: "\(preset.name)-\(kind)")
            rows.append(Row(preset: preset, events: events, bytes: regularFileSize(path) ?? 0, metrics: metrics,
                            figure: "\(preset.name)-\(kind)", caption: chart.caption(), alt: chart.altText()))
            if !quiet { writeStandardError("ran \(preset.name): \(events) events\n") }
        }
        var venns: [(String, String, String)] = []
        for profile in ShippedProfiles.names {
            let chart = RenderCommand.venn(try ShippedProfiles.profile(profile)!)
            try Self.renderAll(chart, to: "\(output)/figures", name: "venn-\(profile)")
            venns.append(("venn-\(profile)", chart.caption(), chart.altText()))
        }
        var experiments: [Experiment] = []
        for file in Self.sweepFiles(in: sweeps) {
            let name = String(file.dropFirst("sweep-".count).dropLast(".yaml".count))
            let (plan, description) = try SweepCommand.plan("\(sweeps)/\(file)")
            let figures = try SweepCommand.runLocally(plan, dir: "\(output)/sweeps/\(name)", quiet: true)
            let headline = SweepCommand.keyMetrics(plan.base.topic)[plan.base.topic == .memory ? 0 : 1]
            let figure = figures.first { $0.name == headline } ?? figures[0]
            experiments.append(Experiment(name: name, file: file, description: description ?? name, runs: plan.runs.count,
                                          figure: figure.name, alt: figure.alt))
            if !quiet { writeStandardError("swept \(file): \(plan.runs.count) runs\n") }
        }
        let index = "\(output)/index.html"
        try AtomicFile.write(text: Self.page(rows, venns: venns, experiments: experiments), to: index)
        print(index)
    }

    /// A shipped sweep run for the site.
    struct Experiment {
        var name: String
        var file: String
        var description: String
        var runs: Int
        var figure: String
        var alt: String
    }

    /// `sweep-*.yaml` in a folder, sorted (none if the folder is missing).
    static func sweepFiles(in dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix("sweep-"), name.hasSuffix(".yaml") { names.append(name) }
        }
        return names.sorted()
    }

    /// One course run: what was simulated and where its figure is.
    struct Row {
        var preset: Preset
        var events: UInt64
        var bytes: Int
        var metrics: [Metric]
        var figure: String
        var caption: String
        var alt: String
    }

    /// Writes a figure as SVG (for the page), PNG at 2× and PDF (for slides) into `folder`.
    static func renderAll(_ chart: any Chart, to folder: String, name: String) throws {
        for (format, scale) in [(Charts.FigureFormat.svg, 1.0), (.png, 2.0), (.pdf, 1.0)] {
            let path = "\(folder)/\(name).\(format.rawValue)"
            try AtomicFile.write(path) { temp in
                try FigureRenderer.render(chart, format: format, theme: .named(.paper), path: temp, scale: scale)
            }
        }
    }

    static func figure(_ name: String, caption: String, alt: String) -> String {
        "<figure><img src=\"figures/\(escape(name)).svg\" alt=\"\(escape(alt))\" width=\"800\" height=\"480\">"
            + "<figcaption>\(escape(caption)) <a href=\"figures/\(escape(name)).png\">PNG</a> · <a href=\"figures/\(escape(name)).pdf\">PDF</a></figcaption></figure>\n"
    }

    static func page(_ rows: [Row], venns: [(String, String, String)], experiments: [Experiment] = []) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>VirtLab course runs</title>
        <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
        table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:left}
        td.n{text-align:right;font-variant-numeric:tabular-nums}.note{background:#fff3cd;padding:.5rem 1rem}
        figure{margin:1rem 0}img{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#444}</style>
        </head>
        <body>
        <h1>VirtLab course runs</h1>
        <p class="note">Interim page: each run below shows its main figure and its results. Topic pages,
        comparison figures and timelines arrive with the reports feature.</p>
        <h2>Popek and Goldberg: which instructions are privileged, which sensitive</h2>

        """
        for (name, caption, alt) in venns { html += figure(name, caption: caption, alt: alt) }
        if !experiments.isEmpty { html += "<h2>Experiments: parameter sweeps</h2>\n" }
        for e in experiments {
            let base = "sweeps/\(escape(e.name))"
            html += "<h3><a href=\"\(base)/index.html\">\(escape(e.description))</a></h3>\n"
            html += "<p>\(e.runs) runs. Results: <a href=\"\(base)/results.csv\">results.csv</a>. "
            html += "Reproduce: <code>virtlab sweep Traces/scenarios/\(escape(e.file)) -o \(base)</code></p>\n"
            html += "<figure><img src=\"\(base)/figures/\(escape(e.figure)).svg\" alt=\"\(escape(e.alt))\" width=\"800\" height=\"480\"></figure>\n"
        }
        for row in rows {
            let (preset, events, bytes, metrics) = (row.preset, row.events, row.bytes, row.metrics)
            html += "<h2>\(escape(preset.name)) <small>(\(escape(preset.topic.rawValue)))</small></h2>\n"
            html += "<p>\(escape(preset.summary))</p>\n"
            html += "<p>Trace: <a href=\"traces/\(escape(preset.name)).vlt\">traces/\(escape(preset.name)).vlt</a> — \(events) events, \(bytes) bytes. "
            html += "Reproduce: <code>virtlab run \(escape(preset.name)) --seed \(preset.seed)</code></p>\n"
            html += figure(row.figure, caption: row.caption, alt: row.alt)
            html += "<table><thead><tr><th scope=\"col\">result</th><th scope=\"col\">value</th><th scope=\"col\">unit</th></tr></thead><tbody>\n"
            for m in metrics {
                html += "<tr><td>\(escape(m.name))</td><td class=\"n\">\(escape(Format.number(m.value)))</td><td>\(escape(m.unit))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        return html + "</body>\n</html>\n"
    }
}

/// Minimal HTML escaping for text and attribute values.
func escape(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// Creates a directory (and its parents) if missing.
func makeDirectory(_ path: String) throws {
    var built = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
        built += part + "/"
        if mkdir(built, 0o755) != 0 && errno != EEXIST {
            throw CommandError.badInput("cannot create the folder \(built): \(String(cString: strerror(errno)))")
        }
    }
}
