import Course
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
            let (plan, _) = try Sweeps.loadPlan(dir)
            let lock = try SweepFolder.lock(dir)
            defer { withExtendedLifetime(lock) {} }
            try Sweeps.report(plan, dir: dir, results: try Sweeps.collectResults(plan, dir: dir),
                            page: Sweeps.PageContext(templates: try TemplateSet(folder: templates)))
            print("\(dir)/index.html")
            return
        }
        let plan = try makePlan()
        let dir = output!
        if emitJobs == nil { try Sweeps.checkCost(plan, dir: dir, confirmed: yes, quiet: quiet) }
        let lock = try SweepFolder.claim(dir, plan: plan, templates: try TemplateSet(folder: templates), force: force)
        defer { withExtendedLifetime(lock) {} }
        try Sweeps.writePlan(plan, dir: dir)
        if let jobs = emitJobs {
            try Sweeps.emitJobs(plan, dir: dir, file: jobs)
            print(jobs)
            return
        }
        try Sweeps.runLocally(plan, dir: dir, threads: threads, quiet: quiet, page: Sweeps.PageContext(templates: try TemplateSet(folder: templates)))
        print("\(dir)/index.html")
    }

    /// The plan from the arguments, or from a sweep file.
    func makePlan() throws -> SweepPlan {
        try Sweeps.plan(scenario!, vary: vary, repeats: `repeat`, maxRuns: maxRuns).plan
    }

}
