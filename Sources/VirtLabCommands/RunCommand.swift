import Reports
import SafeOutput
import ArgumentParser
import Simulation
import TraceFormat

/// `virtlab run`: simulate a scenario into a trace.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate a scenario file or built-in preset and write a binary trace (.vlt).",
        discussion: """
        SCENARIO is a YAML or JSON file, or the name of a preset (`virtlab scenarios list`). \
        The trace is written to a temporary file and renamed into place only when the run \
        succeeds. Same scenario and seed → byte-identical trace.

        Example:
          virtlab run native-random -o random.vlt --seed 7
        """
    )

    @Argument(help: "A scenario file (YAML/JSON) or a preset name.")
    var scenario: String

    @Option(name: .shortAndLong, help: "Trace to write (default: Traces/NAME.vlt when ./Traces exists, else ./NAME.vlt).")
    var output: String?

    @Option(help: "Seed for every random choice (overrides the scenario's seed).")
    var seed: UInt64?

    @Flag(name: .shortAndLong, help: "No progress bar and no summary.")
    var quiet = false

    func run() throws {
        var s = try ScenarioSource.load(scenario)
        if let seed { s.seed = seed }
        let path = output ?? Self.defaultPath(for: s.name)
        let progress = TerminalProgress(label: s.name, quiet: quiet)
        let (events, metrics) = try Self.simulate(s, to: path, progress: progress.reporter)
        progress.finish()
        guard !quiet else { return }
        let size = regularFileSize(path) ?? 0
        print("wrote \(path): \(events) events, \(size) bytes (seed \(s.seed))")
        for m in metrics.prefix(8) { print("  \(m.name) = \(Format.number(m.value)) \(m.unit)") }
    }

    /// Runs a scenario into `path` atomically.
    /// - Returns: the number of events and the results summary.
    static func simulate(_ s: Scenario, to path: String, progress: RunProgress = .silent) throws -> (UInt64, [Metric]) {
        let header = try Runner.header(for: s, files: diskReader)
        let out = try OutputFile.open(path)
        do {
            let writer = try TraceWriter(sink: out, header: header)
            let metrics = try Runner.run(s, writer: writer, progress: progress, files: diskReader)
            let events = writer.eventCount
            try writer.close(summary: metrics) // syncs and renames the file into place
            return (events, metrics)
        } catch {
            out.abandon()
            throw error
        }
    }

    /// Reads files a scenario names (user instruction-set profiles), from the working directory.
    static let diskReader: Runner.FileReader = { path in
        guard let size = regularFileSize(path), size <= ScenarioDecoder.maxBytes, let bytes = readFile(path) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    static func defaultPath(for name: String) -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return (isDirectory("Traces") ? "Traces/" : "") + (safe.isEmpty ? "run" : safe) + ".vlt"
    }
}
