import Course
import ArgumentParser
import Export
import SafeOutput
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab query`: SQL over traces (SQLite; the work is in Export's `TraceQuery`).
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run an SQL query over one trace or many (a sweep folder works) with SQLite.",
        discussion: """
        The traces are loaded into an SQLite database — one table per event kind, plus runs, \
        metadata, results, scenario, kinds and exit_reasons; every table has a `run` column \
        naming the trace. Only the event kinds the query reads are loaded (the SQL is checked \
        against the traces' schemas first), and the database is cached under \
        ~/.cache/virtlab/query ($VIRTLAB_CACHE_DIR, $XDG_CACHE_HOME) by the traces' names, \
        sizes and checksums, so the next query of the same traces skips the load. The query \
        runs read-only. docs/analysis.md lists the tables and a dozen queries worth knowing.

        Examples:
          virtlab query t.vlt "SELECT reason, exits, mean_ns FROM exit_reasons"
          virtlab query sweep-dir "SELECT run, value FROM results WHERE metric = 'downtime_ns'" --format csv
          virtlab query t.vlt "SELECT vcpu, reason, COUNT(*) FROM vm_exit GROUP BY vcpu, reason"
        """
    )

    @Argument(help: ArgumentHelp("Traces or folders of traces, then the SQL.", valueName: "trace-or-folder… sql"))
    var arguments: [String]

    @Option(help: "How to print the rows.")
    var format: TraceQuery.Format = .table

    @Option(name: .customLong("sql-file"), help: "Read the SQL from this file (then every argument is a trace or folder).")
    var sqlFile: String?

    @Flag(help: "Build a fresh database in the temporary folder and remove it afterwards.")
    var noCache = false

    @OptionGroup var salvageOption: SalvageOption
    var salvage: Bool { salvageOption.salvage }

    @Option(name: .shortAndLong, help: "File to write (default: standard output).")
    var output: String?

    func run() throws {
        var traces = arguments
        let sql: String
        if let sqlFile {
            guard let bytes = readFile(sqlFile), let text = String(validating: bytes, as: UTF8.self) else {
                throw ExportError.badInput("--sql-file \(sqlFile): cannot read it as UTF-8 text")
            }
            sql = text
        } else {
            guard traces.count >= 2 else {
                throw ExportError.badInput("give the traces (or a sweep folder) and then the SQL, e.g. virtlab query t.vlt \"SELECT * FROM results\"")
            }
            sql = traces.removeLast()
        }
        let inputs = try TraceQuery.inputs(traces)
        let db = try TraceQuery.database(for: inputs, sql: sql, salvage: salvage, useCache: !noCache)
        defer { if db.temporary { unlink(db.path) } }
        try OutputFile.writing(output ?? "-") { file in
            let out = FileHandleOutput(file)
            try TraceQuery.run(sql, database: db.path, format: format, to: out)
            try out.flush()
        }
    }
}

extension TraceQuery.Format: ExpressibleByArgument {}
