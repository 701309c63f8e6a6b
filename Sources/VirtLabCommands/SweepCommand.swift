import SafeOutput
import ArgumentParser
import Charts
import Reports
import Dispatch
import Simulation
import Synchronization
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab sweep`: many runs of one scenario with some keys varied, in parallel, into a folder
/// with one trace per run, results.csv and a report page.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid of key values (in parallel) and tabulate and plot the results.",
        discussion: """
        --vary KEY=V1,V2,… or KEY=START:STOP:STEPS[:log], repeatable: the cartesian product runs, \
        --repeat times each with seeds derived from the base seed and the point (so results do \
        not depend on the thread count). DIR gets one trace per run, results.csv (one row per run, \
        units in the header), sweep.tsv (the plan) and index.html with a chart per key metric. \
        Rerunning into the same DIR skips runs whose trace verifies. --emit-jobs writes one \
        `virtlab run` command per line plus a Slurm array script; --collect DIR then builds the \
        table and page from the traces the jobs wrote. SCENARIO may also be a sweep file (YAML \
        with a `sweep:` section: scenario, vary, repeat).

        Example:
          virtlab sweep precopy-moderate --vary migration.workload.dirty_rate=1000:40000:8:log \\
            --vary migration.strategy=pre-copy,post-copy -o sweeps/dirty-rate
        """
    )

    @Argument(help: "A scenario file, preset name or sweep file (not needed with --collect).")
    var scenario: String?

    @Option(name: .customLong("vary"), help: "KEY=V1,V2,… or KEY=START:STOP:STEPS[:log] (repeatable).")
    var vary: [String] = []

    @Option(help: "Runs per point, each with its own seed.")
    var `repeat`: Int = 1

    @Option(name: .shortAndLong, help: "Folder for traces, results.csv and the report.")
    var output: String?

    @OptionGroup var threadOptions: ThreadsOption
    var threads: Int? { threadOptions.threads }

    @Option(help: "Refuse sweeps with more runs than this.")
    var maxRuns: Int = SweepPlan.defaultMaxRuns

    @Option(help: "Write the runs as shell commands to this file (and a Slurm script beside it) instead of running them.")
    var emitJobs: String?

    @Option(help: "Build results.csv and the report from the traces in this sweep folder.")
    var collect: String?

    @OptionGroup var templateOptions: TemplatesOption
    var templates: String? { templateOptions.templates }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    @Flag(help: "Run even when the estimate says the sweep is large (over 2 GB of traces or 2 minutes).")
    var yes = false

    @Flag(help: "Write into -o DIR even when it holds files VirtLab did not write there or another sweep: everything in DIR is deleted first.")
    var force = false

    func validate() throws {
        if maxRuns < 1 { throw ValidationError("--max-runs must be at least 1") }
        if collect == nil && scenario == nil { throw ValidationError("name a scenario (or use --collect DIR)") }
        if collect == nil && output == nil { throw ValidationError("-o DIR is required") }
    }

    func run() throws {
        if let dir = collect {
            let (plan, _) = try Self.loadPlan(dir)
            let lock = try SweepFolder.lock(dir)
            defer { withExtendedLifetime(lock) {} }
            try Self.report(plan, dir: dir, results: try Self.collectResults(plan, dir: dir),
                            page: PageContext(templates: try TemplateSet(folder: templates)))
            print("\(dir)/index.html")
            return
        }
        let plan = try makePlan()
        let dir = output!
        if emitJobs == nil { try Self.checkCost(plan, dir: dir, confirmed: yes, quiet: quiet) }
        let lock = try SweepFolder.claim(dir, plan: plan, templates: try TemplateSet(folder: templates), force: force)
        defer { withExtendedLifetime(lock) {} }
        try Self.writePlan(plan, dir: dir)
        if let jobs = emitJobs {
            try Self.emitJobs(plan, dir: dir, file: jobs)
            print(jobs)
            return
        }
        try Self.runLocally(plan, dir: dir, threads: threads, quiet: quiet, page: PageContext(templates: try TemplateSet(folder: templates)))
        print("\(dir)/index.html")
    }

    /// Runs what is not done yet on this machine and writes results.csv, the figures and index.html.
    @discardableResult
    static func runLocally(_ plan: SweepPlan, dir: String, threads: Int? = nil, quiet: Bool,
                           page: PageContext) throws -> (figures: [FigureRef], results: [[Metric]]) {
        try makeDirectory(dir)
        try writePlan(plan, dir: dir)
        let results = try execute(plan, dir: dir, threads: threads ?? coreCount(), quiet: quiet)
        return (try report(plan, dir: dir, results: results, page: page), results)
    }

    /// The plan from the arguments, or from a sweep file.
    func makePlan() throws -> SweepPlan {
        try Self.plan(scenario!, vary: vary, repeats: `repeat`, maxRuns: maxRuns).plan
    }

    /// The plan for a scenario or preset with `vary`, or for a sweep file (its axes first, then
    /// `vary`); also the sweep file's description and headline metric.
    static func plan(_ name: String, vary: [String] = [], repeats: Int = 1,
                     maxRuns: Int = SweepPlan.defaultMaxRuns) throws -> (plan: SweepPlan, description: String?, headline: String?) {
        var scenario = name, axesText = vary, repeats = repeats, description: String?, headline: String?
        var sources = vary.map { "--vary \($0)" }
        if let size = regularFileSize(name), size <= ScenarioDecoder.maxBytes, let bytes = readFile(name),
           let text = String(validating: bytes, as: UTF8.self), text.contains("sweep:") {
            let spec = try SweepFile.decode(text: text, source: name)
            scenario = spec.scenario
            // A scenario file named by the sweep file is found next to it.
            if Preset.named(scenario) == nil, !scenario.hasPrefix("/"), regularFileSize(scenario) == nil,
               let slash = name.lastIndex(of: "/"), regularFileSize(String(name[...slash]) + scenario) != nil {
                scenario = String(name[...slash]) + scenario
            }
            axesText = spec.vary + vary
            sources = spec.varySources + sources
            repeats = max(repeats, spec.repeats)
            description = spec.description
            headline = spec.headline
        }
        let base = try ScenarioSource.load(scenario)
        guard !axesText.isEmpty else { throw CommandError.badInput("give at least one --vary KEY=VALUES") }
        let axes = try axesText.map { try SweepPlan.axis($0, topic: base.topic) }
        let keys = FigureCatalog.keyMetrics(base.topic.rawValue).map(\.rawValue)
        if let h = headline, !keys.contains(h) {
            throw CommandError.badInput("\(name): sweep.headline '\(h)' is not one of the \(base.topic.rawValue) topic's key metrics: "
                                        + keys.joined(separator: ", "))
        }
        return (try SweepPlan(base: base, axes: axes, repeats: repeats, maxRuns: maxRuns, sources: sources), description, headline)
    }

    /// Estimates the sweep from pilots of up to 16 of its runs, spread over the plan, and refuses
    /// a large one without `--yes` (see `RunCost`).
    static func checkCost(_ plan: SweepPlan, dir: String, confirmed: Bool, quiet: Bool) throws {
        let picks = plan.runs.count <= 16 ? Array(plan.runs.indices)
            : Array(Set((0..<16).map { $0 * (plan.runs.count - 1) / 15 })).sorted()
        var total = RunCost(events: 0, bytes: 0, seconds: 0)
        for i in picks {
            let c = try RunCost.estimate(plan.runs[i].scenario, files: RunCommand.diskReader)
            total.events += c.events
            total.bytes += c.bytes
            total.seconds += c.seconds
        }
        let scale = Double(plan.runs.count) / Double(picks.count)
        total.events *= scale
        total.bytes *= scale
        total.seconds *= scale / Double(max(1, coreCount()))
        guard total.isLarge else { return }
        if confirmed {
            if !quiet { writeStandardError("virtlab: sweep of \(plan.runs.count) runs: \(total.summary)\n") }
            return
        }
        throw CommandError.badInput("this sweep of \(plan.runs.count) runs is large: \(total.summary) (estimated from \(picks.count) of its runs). "
                                    + "Add --yes to run it anyway, or vary fewer or smaller values.")
    }

    /// Runs every run not already done, `threads` at a time; returns each run's metrics.
    static func execute(_ plan: SweepPlan, dir: String, threads: Int, quiet: Bool) throws -> [[Metric]] {
        let total = plan.runs.count
        let results = ResultBox(count: total)
        let progress = SweepProgress(total: total, quiet: quiet)
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: max(1, threads))
        let queue = DispatchQueue(label: "virtlab.sweep", attributes: .concurrent)
        for run in plan.runs {
            slots.wait()
            group.enter()
            queue.async {
                defer { slots.signal(); group.leave() }
                let path = "\(dir)/\(run.traceName)"
                do {
                    if let done = verified(path, seed: run.seed, text: run.scenario.text) {
                        results.set(run.index, .success(done))
                    } else {
                        results.set(run.index, .success(try RunCommand.simulate(run.scenario, to: path, durable: false).1))
                    }
                } catch {
                    results.set(run.index, .failure(SweepFailure(message: "run \(run.traceName): \(error)")))
                }
                progress.done()
            }
        }
        group.wait()
        progress.finish()
        return try results.values()
    }

    /// A trace already in place that belongs to this run and reads back whole; its metrics.
    static func verified(_ path: String, seed: UInt64, text: String) -> [Metric]? {
        guard regularFileSize(path) != nil, let reader = try? TraceReader(path: path), reader.footer != nil,
              reader.header.seed == seed, reader.header[metadata: "scenario"] == text,
              (try? reader.scan { _ in }) != nil else { return nil }
        return reader.summary
    }
}

/// A run that failed inside a sweep.
struct SweepFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Per-run results written from many threads.
final class ResultBox: Sendable {
    private let slots: Mutex<[Result<[Metric], SweepFailure>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ i: Int, _ r: Result<[Metric], SweepFailure>) { slots.withLock { $0[i] = r } }

    func values() throws -> [[Metric]] {
        try slots.withLock { $0 }.map { r in
            switch r {
            case let .success(m)?: return m
            case let .failure(e)?: throw CommandError.internalFailure(e.message)
            case nil: throw CommandError.internalFailure("a sweep run did not finish")
            }
        }
    }
}

/// "runs done / total, rate, time left" on standard error when it is a terminal.
final class SweepProgress: Sendable {
    private let total: Int
    private let enabled: Bool
    private let started = monotonicSeconds()
    private let count = Mutex(0)

    init(total: Int, quiet: Bool) {
        self.total = total
        enabled = !quiet && isatty(2) == 1
    }

    func done() {
        let n = count.withLock { $0 += 1; return $0 }
        guard enabled else { return }
        let elapsed = monotonicSeconds() - started
        let rate = Double(n) / max(elapsed, 1e-9)
        let left = Double(total - n) / max(rate, 1e-9)
        writeStandardError("\rsweep \(n)/\(total) runs, \(String(format4: rate, digits: 1)) runs/s, \(Int(left.rounded())) s left ")
    }

    func finish() { if enabled { writeStandardError("\r\u{1B}[K") } }
}
