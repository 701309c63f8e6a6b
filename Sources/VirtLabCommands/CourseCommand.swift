import SafeOutput
import ArgumentParser
import Charts
import Dispatch
import Reports
import Simulation
import Synchronization
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab course`: the main job. Runs every preset (in parallel), writes a run page for each,
/// the instruction-set Venn diagrams, the shipped sweeps, and the topic pages and index — into a
/// staging folder that replaces OUTPUT only when everything is done.
struct CourseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Run every built-in preset and build the course site into a folder (what `make demo` runs).",
        discussion: """
        OUTPUT/index.html walks through the course in the order of the lecture notes; \
        OUTPUT/memory.html, cpu.html, io.html and migration.html each state the problem, show the \
        comparisons the topic is about with what to notice, and end with an experiment to try. \
        OUTPUT/runs/PRESET.html is every preset's run page, OUTPUT/traces/PRESET.vlt its trace, \
        OUTPUT/sweeps/NAME/ each shipped sweep, and OUTPUT/figures/ every figure as SVG (plus a \
        dark-theme SVG), PNG at 2× and PDF, under stable names for slides.

        The site is built beside OUTPUT and swapped in at the end; a failure or an interruption \
        leaves the previous site as it was. OUTPUT must be new, empty, or a site VirtLab made. \
        The same VirtLab gives byte-identical files on every rebuild.

        Example:
          virtlab course -o output
        """
    )

    @Option(name: .shortAndLong, help: "Folder for the site.")
    var output = "output"

    @Option(help: "Folder whose sweep-*.yaml files run as the site's experiments (default: Traces/scenarios here, else the checkout's).")
    var sweeps: String?

    @Option(help: "Folder with the Mustache templates and style sheets.")
    var templates: String?

    @Option(help: "Parallel simulations (default: the number of cores).")
    var threads: Int?

    @Flag(name: .shortAndLong, help: "No progress lines.")
    var quiet = false

    @Flag(help: "Replace OUTPUT even when it holds files VirtLab did not write there (everything in it is deleted).")
    var force = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let stats = try Self.build(output: output, sweeps: try sweeps ?? Self.defaultSweeps(templates: templates), templates: templates,
                                   threads: threads, quiet: quiet, force: force)
        if !quiet { writeStandardError("built \(stats.pages) pages and \(stats.figures) figures\n") }
        print(output + "/index.html")
    }

    /// What a course build made (for the benchmark).
    struct Built { var pages: Int; var figures: Int }

    /// Builds the whole site; `abortAfterRuns` (tests only) fails the build midway.
    static func build(output: String, sweeps: String = "Traces/scenarios", templates: String? = nil, threads: Int? = nil,
                      quiet: Bool = true, presets: [Preset] = Preset.all, abortAfterRuns: Bool = false, force: Bool = false) throws -> Built {
        let site = try Site(target: output, templates: try TemplateSet(folder: templates), inputs: [sweeps], force: force)
        do {
            let threadCount = threads ?? coreCount()
            var clock = monotonicSeconds()
            func phase(_ what: String) {
                let now = monotonicSeconds()
                if !quiet { writeStandardError("\(what) in \(String(format4: now - clock, digits: 2)) s\n") }
                clock = now
            }
            // The sweeps and diagrams run beside the presets, so neither phase's tail leaves a core idle.
            let side = Mutex<Result<([CourseSite.Profile], [CourseSite.Sweep]), any Error>?>(nil)
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                let started = monotonicSeconds()
                let result = Result { try diagramsAndSweeps(site: site, sweeps: sweeps, threads: threadCount) }
                if !quiet, case let .success((_, made)) = result {
                    writeStandardError("ran \(made.count) sweeps (\(made.map(\.runs).reduce(0, +)) runs) beside the presets in \(String(format4: monotonicSeconds() - started, digits: 2)) s\n")
                }
                side.withLock { $0 = result }
            }
            let runs: [RunSummary]
            do {
                runs = try runPresets(presets, site: site, threads: threadCount, quiet: quiet)
            } catch {
                group.wait()
                throw error
            }
            phase("simulated \(runs.count) presets and wrote their pages")
            group.wait()
            let (profiles, experiments) = try side.withLock { $0! }.get()
            if abortAfterRuns { throw CommandError.internalFailure("build aborted on purpose (test)") }
            try CourseSite(site: site, runs: runs, profiles: profiles, sweeps: experiments, diagrams: ["2d-walk": try walkDiagram(site: site)]).build()
            phase("wrote the topic pages and the index")
            if let readme = readFile("\(site.templates.folder)/output-README.md") {
                try OutputFile.write(readme, to: site.path("README.md"), durable: false)
            }
            let built = Built(pages: countFiles(site.staging, suffix: ".html"), figures: countFiles(site.staging, suffix: ".pdf"))
            try site.commit()
            return built
        } catch {
            site.abandon()
            throw error
        }
    }

    /// The two-dimensional walk of the nested tlb-thrash preset (its guest and nested levels),
    /// carried out on real tables by the simulator's code, drawn reference by reference.
    static func walkDiagram(site: Site) throws -> CourseSite.Diagram {
        let config = MemoryConfig(try Preset.named("tlb-thrash-nested")!.scenario())
        let (chart, count) = RenderCommand.walk2D(config)
        let figure = try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: "memory-2d-walk", command: CourseSite.command(site), slides: true, shelf: site.charts)
        return CourseSite.Diagram(figure: figure, facts: ["guest_levels": config.levels, "nested_levels": config.nestedLevels, "references": count])
    }

    /// The instruction-set diagrams and the shipped sweeps (their folders, pages and headline figures).
    static func diagramsAndSweeps(site: Site, sweeps: String, threads: Int) throws -> ([CourseSite.Profile], [CourseSite.Sweep]) {
        let profiles = try ShippedProfiles.names.map { name in
            let isa = try ShippedProfiles.profile(name)!
            let report = VirtualizabilityReport(isa)
            let figure = try FigureFiles.write(RenderCommand.venn(isa), dir: site.path("figures"), refDir: "figures/", name: "venn-\(name)", command: CourseSite.command(site), slides: true, shelf: site.charts)
            return CourseSite.Profile(name: name, figure: figure, theorems: [report.theorem1, report.theorem2, report.theorem3].map {
                ($0.holds, $0.counterexamples)
            })
        }
        var made: [CourseSite.Sweep] = []
        for file in sweepFiles(in: sweeps) {
            let name = String(file.dropFirst("sweep-".count).dropLast(".yaml".count))
            // The name becomes a folder of the site: `sweep-...yaml` must not build into its root.
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw CommandError.badInput("\(sweeps)/\(file): a sweep file's name must be sweep-NAME.yaml with NAME of letters, digits, - and _ "
                                            + "(it names the folder sweeps/NAME/ of the site)")
            }
            let (plan, description, headlineKey) = try SweepCommand.plan("\(sweeps)/\(file)")
            let title = description ?? name
            let page = SweepCommand.PageContext(templates: site.templates, sitePath: "sweeps/\(name)/", nav: CourseSite.nav(current: nil),
                                                title: title, command: "virtlab sweep Traces/scenarios/\(file) -o sweeps/\(name)")
            let (figures, results) = try SweepCommand.runLocally(plan, dir: site.path("sweeps/\(name)"), threads: threads, quiet: true, page: page)
            let topic = plan.base.topic.rawValue
            let headline = headlineKey ?? FigureCatalog.keyMetrics(topic).dropFirst(topic == "memory" ? 0 : 1).first
            guard let chosen = figures.first(where: { $0.name == headline }) ?? figures.first else {
                throw CommandError.internalFailure("the sweep \(name) drew no figure")
            }
            // The headline figure also goes into figures/ under a stable name for slides.
            for suffix in [".svg", "-dark.svg", ".png", ".pdf"] {
                guard let bytes = readFile(site.path("\(chosen.dir)\(chosen.name)\(suffix)")) else { continue }
                try OutputFile.write(bytes, to: site.path("figures/sweep-\(name)\(suffix)"), durable: false)
            }
            var figure = chosen
            figure.name = "sweep-\(name)"
            figure.dir = "figures/"
            let points = plan.runs.map { run in
                CourseSite.Sweep.Point(parameters: Dictionary(run.parameters.map { ($0.key, $0.value.description) }, uniquingKeysWith: { a, _ in a }),
                                       metrics: Dictionary(results[run.index].map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }))
            }
            made.append(CourseSite.Sweep(name: name, file: file, topic: topic, description: title, runs: plan.runs.count,
                                         page: "sweeps/\(name)/index.html", figure: figure, points: points))
        }
        return (profiles, made)
    }

    /// Simulates every preset and writes its run page, `threads` at a time; results in preset order.
    static func runPresets(_ presets: [Preset], site: Site, threads: Int, quiet: Bool) throws -> [RunSummary] {
        let results = Mutex<[RunSummary?]>(Array(repeating: nil, count: presets.count))
        let failure = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: max(1, threads))
        let queue = DispatchQueue(label: "virtlab.course", attributes: .concurrent)
        // Longest first (migration and I/O presets write the biggest traces) keeps both cores busy to the end.
        let order = presets.indices.sorted { (cost(presets[$0]), $0) > (cost(presets[$1]), $1) }
        for i in order {
            slots.wait()
            if failure.withLock({ $0 != nil }) { slots.signal(); break }
            queue.async(group: group) {
                defer { slots.signal() }
                do {
                    let preset = presets[i]
                    let trace = site.path("traces/\(preset.name).vlt")
                    try makeDirectory(site.path("traces"))
                    let (events, _) = try RunCommand.simulate(try preset.scenario(), to: trace, durable: false)
                    let summary = try RunReport.build(trace: trace, site: site, page: "runs/\(preset.name).html",
                                                      nav: CourseSite.nav(current: nil), figurePrefix: preset.name,
                                                      command: "virtlab run \(preset.name) --seed \(preset.seed) -o \(preset.name).vlt",
                                                      traceHref: "traces/\(preset.name).vlt", slides: true)
                    results.withLock { $0[i] = summary }
                    _ = events
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// A rough relative cost of a preset (measured run times, release build), for scheduling only.
    /// Native memory runs go first: the shadow and nested runs of the same workload then find
    /// their native baseline already simulated (`NativeBaselines`) instead of running it again.
    static func cost(_ p: Preset) -> Int {
        let n = p.name
        if p.topic == .memory, n.hasSuffix("-native") { return 100 + (n.hasPrefix("compute-bound") ? 3 : 1) }
        if n.hasPrefix("compute-bound") { return n.hasSuffix("native") ? 3 : 7 }
        if n.hasPrefix("tlb-thrash") { return n.contains("2m") ? 2 : 4 }
        if n.hasPrefix("context-switch") || n.hasPrefix("fork-heavy") || n.contains("emulation") { return 2 }
        return 1
    }

    /// Traces/scenarios in the working directory, else beside the templates' checkout.
    static func defaultSweeps(templates: String?) throws -> String {
        if isDirectory("Traces/scenarios") { return "Traces/scenarios" }
        let folder = try TemplateSet.locate(templates)
        return (folder.hasSuffix("/Templates") ? String(folder.dropLast("Templates".count)) : folder + "/../") + "Traces/scenarios"
    }

    /// `sweep-*.yaml` in a folder, sorted (none if the folder is missing).
    static func sweepFiles(in dir: String) -> [String] {
        directoryNames(dir).filter { $0.hasPrefix("sweep-") && $0.hasSuffix(".yaml") }
    }

    static func countFiles(_ dir: String, suffix: String) -> Int {
        directoryNames(dir).reduce(0) { n, name in
            let path = "\(dir)/\(name)"
            return n + (isDirectory(path) ? countFiles(path, suffix: suffix) : name.hasSuffix(suffix) ? 1 : 0)
        }
    }
}
