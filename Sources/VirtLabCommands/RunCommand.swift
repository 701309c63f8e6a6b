import Course
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
        let path = output ?? Runs.defaultPath(for: s.name)
        try Runs.checkCost(s, writingTo: path, confirmed: yes, quiet: quiet)
        let progress = TerminalProgress(label: s.name, quiet: quiet)
        let (events, metrics) = try Runs.simulate(s, to: path, progress: progress.reporter)
        progress.finish()
        guard !quiet else { return }
        let size = regularFileSize(path) ?? 0
        print("wrote \(path): \(events) events, \(size) bytes (seed \(s.seed))")
        for m in metrics.prefix(8) { print("  \(m.name) = \(Format.number(m.value)) \(m.unit)") }
    }
}
