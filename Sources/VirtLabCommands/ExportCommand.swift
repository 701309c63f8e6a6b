import Course
import ArgumentParser
import Export
import SafeOutput
import TraceFormat

/// `virtlab export`: a trace in another tool's format (the work is in the Export module).
struct ExportCommand: ParsableCommand {
    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl, chrome, sqlite, npz
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a trace to CSV, JSON Lines, Chrome trace JSON (Perfetto UI), an SQLite database or NumPy arrays (.npz).",
        discussion: """
        Streams: memory stays bounded whatever the trace size. CSV has one row per event and one \
        column per field name in the schema (empty where a kind lacks the field). Chrome JSON \
        opens in https://ui.perfetto.dev: intervals are complete events on one track per vCPU \
        (or per category), instants are instant events, counters are counter tracks.

        sqlite: one table per event kind (enum fields as text, intervals with start_ns), plus \
        runs, metadata, results, scenario (every key's effective value), kinds and exit_reasons; \
        see docs/analysis.md, or query traces directly with `virtlab query`. npz: one NumPy \
        array per column, KIND/FIELD (enum codes with KIND/FIELD.categories); numpy.load reads \
        it, and the Python package (python/) turns it into DataFrames.

        Examples:
          virtlab export t.vlt --format csv -o t.csv
          virtlab export t.vlt --format sqlite -o t.db
          virtlab export t.vlt --format npz --kind vm_exit -o exits.npz
        """
    )

    @Argument(help: "A .vlt trace.")
    var trace: String

    @Option(help: "Output format.")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: "File to write (default: standard output; sqlite needs a file).")
    var output: String?

    @Option(name: .customLong("kind"), help: "Only events of this kind (repeat for several; default: all). Not for sqlite.")
    var kinds: [String] = []

    @OptionGroup var salvageOption: SalvageOption
    var salvage: Bool { salvageOption.salvage }

    func run() throws {
        let reader = try TraceReader(path: trace, mode: salvage ? .salvage : .strict)
        let positions = try Self.positions(of: kinds, in: reader.header)
        switch format {
        case .sqlite:
            guard kinds.isEmpty else { throw ExportError.badInput("--kind does not apply to sqlite: the database holds every kind (select with SQL)") }
            guard let output else { throw ExportError.badInput("an SQLite database is a file: name it with -o FILE.db") }
            try TraceQuery.build(try TraceQuery.inputs([trace]), salvage: salvage, key: nil, to: output)
        case .npz:
            try OutputFile.writing(output ?? "-") { file in try NPZExport.write(reader, positions: positions, to: file) }
        case .csv, .jsonl, .chrome:
            let text = TextExport.Format(rawValue: format.rawValue)!
            try OutputFile.writing(output ?? "-") { file in
                let out = FileHandleOutput(file)
                try TextExport.export(reader, format: text, to: out, positions: positions)
                try out.flush()
            }
        }
    }

    /// Schema positions of the named kinds (nil for all); an unknown name lists the kinds there are.
    static func positions(of names: [String], in header: TraceHeader) throws -> Set<Int>? {
        guard !names.isEmpty else { return nil }
        let kinds = header.schema.kinds
        return Set(try names.map { name in
            guard let p = kinds.firstIndex(where: { $0.name == name }) else {
                throw ExportError.badInput("--kind \(name): this trace has no such event kind; it has \(kinds.map(\.name).joined(separator: ", "))")
            }
            return p
        })
    }
}
