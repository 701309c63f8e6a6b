import Course
import ArgumentParser
import Charts
import Export
import Reports
import SafeOutput

/// `virtlab provenance FILE`: where a figure came from, read from the file itself.
struct ProvenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provenance",
        abstract: "Print where a figure (PNG, SVG or PDF) came from and the command that draws it again.",
        discussion: """
        Every figure VirtLab writes carries its provenance: the VirtLab version, the scenario, \
        seed and trace (with its SHA-256), and the command that regenerates it — in PNG iTXt \
        chunks, SVG <metadata>, or the PDF's keywords. The command, run with the same VirtLab \
        version on the same trace, writes the same bytes.

        Example:
          virtlab provenance exits.png
        """
    )

    @Argument(help: "A figure file written by VirtLab.")
    var file: String

    @Flag(help: "Print a JSON object instead of lines.")
    var json = false

    func run() throws {
        guard let bytes = readFile(file) else { throw CommandError.badInput("\(file): cannot read it") }
        guard let p = FigureProvenance.read(bytes) else {
            throw CommandError.badInput("\(file) has no VirtLab provenance (a PNG, SVG or PDF figure written by VirtLab 0.1.0 or later carries it)")
        }
        if json {
            print("{" + p.entries.map { "\(ExportText.json($0.key)): \(ExportText.json($0.value))" }.joined(separator: ", ") + "}")
            return
        }
        let width = p.entries.map(\.key.count).max() ?? 0
        for (k, v) in p.entries where k != "command" {
            print(k + String(repeating: " ", count: width - k.count) + "  " + Format.terminalSafe(v))
        }
        if let command = p["command"] {
            print("\nregenerate:\n  " + Format.terminalSafe(command))
            // A site's figures name their trace from the site's folder.
            if let trace = p["trace"], !trace.hasPrefix("/") {
                let figures = splitPath(file).0
                let site = figures.hasSuffix("figures/") ? String(figures.dropLast("figures/".count)) : ""
                if !fileExists(trace), !site.isEmpty, fileExists(site + trace) {
                    print("  (in the site's folder: cd \(Format.shellWord(String(site.dropLast()).isEmpty ? "." : String(site.dropLast()))))")
                }
            }
        }
    }
}
