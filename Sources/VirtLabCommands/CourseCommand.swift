import ArgumentParser
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab course`: the main job. Until the charts and reports land, it runs every preset,
/// keeps the traces, and writes an index page that lists them and their results honestly.
struct CourseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Run every built-in preset and build the course site into a folder (what `make demo` runs).",
        discussion: """
        Writes OUTPUT/traces/PRESET.vlt for every preset and OUTPUT/index.html listing each run \
        with its results. Figures and topic pages are not rendered yet; the page says so.

        Example:
          virtlab course -o output
        """
    )

    @Option(name: .shortAndLong, help: "Folder for the site.")
    var output = "output"

    @Flag(name: .shortAndLong, help: "No progress lines.")
    var quiet = false

    func run() throws {
        try makeDirectory(output)
        try makeDirectory(output + "/traces")
        var rows: [(Preset, UInt64, Int, [Metric])] = []
        for preset in Preset.all {
            let s = try preset.scenario()
            let path = "\(output)/traces/\(preset.name).vlt"
            let (events, metrics) = try RunCommand.simulate(s, to: path)
            rows.append((preset, events, regularFileSize(path) ?? 0, metrics))
            if !quiet { writeStandardError("ran \(preset.name): \(events) events\n") }
        }
        let index = "\(output)/index.html"
        try AtomicFile.write(index) { temp in
            let out = try FileHandleOutput.create(temp)
            out.write(Self.page(rows))
            try out.flush()
        }
        print(index)
    }

    static func page(_ rows: [(Preset, UInt64, Int, [Metric])]) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>VirtLab course runs</title>
        <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
        table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:left}
        td.n{text-align:right;font-variant-numeric:tabular-nums}.note{background:#fff3cd;padding:.5rem 1rem}</style>
        </head>
        <body>
        <h1>VirtLab course runs</h1>
        <p class="note">Figures not yet rendered: this page lists the simulated runs and their results only.
        Topic pages and figures arrive with the charts and reports features.</p>

        """
        for (preset, events, bytes, metrics) in rows {
            html += "<h2>\(escape(preset.name)) <small>(\(escape(preset.topic.rawValue)))</small></h2>\n"
            html += "<p>\(escape(preset.summary))</p>\n"
            html += "<p>Trace: <a href=\"traces/\(escape(preset.name)).vlt\">traces/\(escape(preset.name)).vlt</a> — \(events) events, \(bytes) bytes. "
            html += "Reproduce: <code>virtlab run \(escape(preset.name)) --seed \(preset.seed)</code></p>\n"
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
