import Reports
import SafeOutput
import ArgumentParser
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

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
          virtlab run tlb-thrash-nested -o thrash.vlt --seed 7
        """
    )

    @Argument(help: "A scenario file (YAML/JSON) or a preset name.")
    var scenario: String

    @Option(name: .shortAndLong, help: "Trace to write (default: Traces/NAME.vlt when ./Traces exists, else ./NAME.vlt).")
    var output: String?

    @Option(help: "Seed for every random choice (overrides the scenario's seed).")
    var seed: UInt64?

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    @Flag(help: "Run even when the estimate says the run is large (over 2 GB of trace or 2 minutes) or the disk looks too small.")
    var yes = false

    func run() throws {
        var s = try ScenarioSource.load(scenario)
        if let seed { s.seed = seed }
        let path = output ?? Self.defaultPath(for: s.name)
        try Self.checkCost(s, writingTo: path, confirmed: yes, quiet: quiet)
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
    /// - Parameter durable: sync the trace to disk before it takes its name (a lone `run`); the
    ///   course syncs its whole site once, and a sweep rerun verifies and redoes lost traces.
    static func simulate(_ s: Scenario, to path: String, progress: RunProgress = .silent, durable: Bool = true) throws -> (UInt64, [Metric]) {
        let header = try Runner.header(for: s, files: diskReader)
        let out = try OutputFile.open(path, durable: durable)
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

    /// Estimates the run (a pilot of a few milliseconds) and refuses a large one without `--yes`,
    /// saying what it would cost; says so too when the trace would not fit on the disk.
    static func checkCost(_ s: Scenario, writingTo path: String, confirmed: Bool, quiet: Bool) throws {
        let cost = try RunCost.estimate(s, files: diskReader)
        let free = freeBytes(near: path)
        let tooBig = free.map { cost.bytes > Double($0) } ?? false
        guard cost.isLarge || tooBig else { return }
        let lower = cost.sizeKey.map { "lower \($0) (now \(cost.size))" } ?? "make the run smaller"
        let disk = tooBig ? "; the file system holding \(path) has only \(Format.metric(Double(free!), unit: "bytes")) free" : ""
        if confirmed {
            if !quiet { writeStandardError("virtlab: \(s.name): \(cost.summary)\(disk)\n") }
            return
        }
        let what = cost.isLarge ? "is a large run" : "would not fit"
        throw CommandError.badInput("\(s.name) \(what): \(cost.summary)\(disk). Add --yes to run it anyway, or \(lower).")
    }

    /// Free bytes on the file system that will hold `path`, when it can be asked.
    static func freeBytes(near path: String) -> UInt64? {
        var st = statvfs()
        let (dir, _) = splitPath(path)
        guard statvfs(dir.isEmpty ? "." : dir, &st) == 0 else { return nil }
        return UInt64(st.f_bavail) * UInt64(st.f_frsize)
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
