import Vocabulary
import SafeOutput
import Charts
import Export
import Dispatch
import Reports
import Simulation
import Synchronization
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// The main job: reads the course's lesson files, runs exactly the presets, scenario files and
/// sweeps they name (in parallel), writes a run page for each, the instruction-set diagrams and
/// a page per lesson, the index, the gallery and the decks — into a staging folder that replaces
/// the output only when everything is done. Every claim the lessons make is checked.
package enum CourseBuilder {
    /// What a course build made (for the benchmark).
    package struct Built {
        package var pages: Int
        package var figures: Int
        package var claims: Int
        package var disagreements: [ClaimOutcome] = []
        /// Reading and checking the lessons: parsing them, and evaluating every value and claim again without rendering.
        package var parseSeconds = 0.0, checkSeconds = 0.0
        /// The runs' summaries by the lessons' names.
        package var runs: [String: RunSummary] = [:]

        package init(pages: Int, figures: Int, claims: Int, disagreements: [ClaimOutcome] = [], parseSeconds: Double = 0,
                     checkSeconds: Double = 0, runs: [String: RunSummary] = [:]) {
            self.pages = pages
            self.figures = figures
            self.claims = claims
            self.disagreements = disagreements
            self.parseSeconds = parseSeconds
            self.checkSeconds = checkSeconds
            self.runs = runs
        }
    }

    /// A run a lesson names: a built-in preset, or a scenario file in the lessons folder.
    package struct Job {
        package var name: String
        package var scenario: Scenario
        package var command: String
        /// The run's file names (traces/STEM.vlt, runs/STEM.html).
        package var stem: String
    }

    /// The runs the course names, each found as a preset or a scenario file beside the lessons.
    package static func jobs(_ course: Course, presets: [Preset]? = nil) throws -> [Job] {
        try course.runNames.compactMap { n in
            if n.name.hasSuffix(".yaml") {
                let path = "\(course.folder)/\(n.name)"
                let stem = String(n.name.dropLast(".yaml".count))
                guard !n.name.contains("/"), !stem.isEmpty, let bytes = readFile(path) else {
                    throw CourseError.badInput("\(n.at): no scenario file \(path) (a lesson's own scenario is a file beside it, named NAME.yaml)")
                }
                return Job(name: n.name, scenario: try ScenarioDecoder.decode(bytes: bytes, source: path), command: "virtlab run \(path) -o \(stem).vlt", stem: stem)
            }
            if let presets, Preset.named(n.name) != nil {
                return try presets.first { $0.name == n.name }.map { p in
                    Job(name: n.name, scenario: try p.scenario(), command: "virtlab run \(p.name) --seed \(p.seed) -o \(p.name).vlt", stem: p.name)
                }
            }
            guard let preset = Preset.named(n.name) else {
                let close = Preset.all.map(\.name).filter { $0.hasPrefix(String(n.name.prefix(4))) }.prefix(8)
                throw CourseError.badInput("\(n.at): no run '\(n.name)': a lesson names a built-in preset (virtlab scenarios list) or a scenario file NAME.yaml beside it"
                                            + (close.isEmpty ? "" : "; similar: \(close.joined(separator: ", "))"))
            }
            return Job(name: n.name, scenario: try preset.scenario(), command: "virtlab run \(preset.name) --seed \(preset.seed) -o \(preset.name).vlt", stem: preset.name)
        }
    }

    /// Builds the whole site (`lesson`: only that lesson's page and deck). `only` (tests) restricts the runs to those names (the other
    /// lessons' pages then say what is missing); `abortAfterRuns` (tests) fails midway.
    package static func build(output: String, sweeps: String = "Traces/scenarios", templates: String? = nil, lessons: String? = nil, threads: Int? = nil,
                      quiet: Bool = true, strict: Bool = false, lesson: String? = nil, presets: [Preset]? = nil, abortAfterRuns: Bool = false, force: Bool = false) throws -> Built {
        let templateSet = try TemplateSet(folder: templates)
        let lessonsFolder = lessons ?? templateSet.folder + "/lessons"
        var clock = monotonicSeconds()
        func phase(_ what: String) {
            let now = monotonicSeconds()
            if !quiet { writeStandardError("\(what) in \(String(format4: now - clock, digits: 2)) s\n") }
            clock = now
        }
        // Everything the lessons name is checked before anything runs or is written.
        let parseStart = monotonicSeconds()
        var course = try Course.load(folder: lessonsFolder)
        let parseSeconds = monotonicSeconds() - parseStart
        if let lesson {
            // One lesson's pages and deck (virtlab slides LESSON).
            course.lessons = course.lessons.filter { $0.id == lesson }
            guard !course.lessons.isEmpty else {
                throw CourseError.badInput("no lesson '\(lesson)' in \(lessonsFolder)/course.yaml")
            }
        }
        let jobs = try Self.jobs(course, presets: presets)
        let sweepNames = Set(sweepFiles(in: sweeps).map { String($0.dropFirst("sweep-".count).dropLast(".yaml".count)) })
        if presets == nil { try course.checkSweeps(known: sweepNames) }
        let wanted = Set(course.sweepNames.map(\.name))
        phase("read \(counted(course.lessons.count, "lesson")) naming \(counted(jobs.count, "run")) and \(counted(wanted.count, "sweep"))")

        let site = try Site(target: output, templates: templateSet, inputs: [sweeps, lessonsFolder], force: force)
        do {
            let threadCount = threads ?? coreCount()
            let nav = course.nav(current: nil)
            // The sweeps and diagrams run beside the presets, so neither phase's tail leaves a core idle.
            let side = Mutex<Result<([CourseSite.Profile], [CourseSite.Sweep]), any Error>?>(nil)
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                let started = monotonicSeconds()
                let result = Result { try diagramsAndSweeps(site: site, sweeps: sweeps, only: wanted, nav: nav, threads: threadCount) }
                if !quiet, case let .success((_, made)) = result {
                    writeStandardError("ran \(made.count) sweeps (\(made.map(\.runs).reduce(0, +)) runs) beside the presets in \(String(format4: monotonicSeconds() - started, digits: 2)) s\n")
                }
                side.withLock { $0 = result }
            }
            let runs: [String: RunSummary]
            do {
                runs = try runJobs(jobs, site: site, nav: nav, threads: threadCount)
            } catch {
                group.wait()
                throw error
            }
            phase("simulated \(counted(runs.count, "run")) and wrote their pages")
            group.wait()
            let (profiles, experiments) = try side.withLock { $0! }.get()
            if abortAfterRuns { throw CourseError.internalFailure("build aborted on purpose (test)") }
            let courseSite = CourseSite(site: site, course: course, runs: runs, profiles: profiles, sweeps: experiments,
                                        diagrams: ["2d-walk": try walkDiagram(site: site)])
            let claims = try courseSite.build()
            let checkStart = monotonicSeconds()
            if presets == nil { _ = try courseSite.checkClaims() }
            let checkSeconds = monotonicSeconds() - checkStart
            let disagreements = claims.filter { !$0.holds }
            phase("wrote the lesson pages and the index; checked \(counted(claims.count, "claim"))")
            if strict && !disagreements.isEmpty {
                throw CourseError.badInput(disagreements.map(\.description).joined(separator: "\n") + "\nthe data disagrees with "
                                            + "\(disagreements.count) of the \(counted(claims.count, "claim")); --strict builds nothing until the lessons say what the runs show")
            }
            for d in disagreements { writeStandardError("\(d)\n") }
            if let readme = readFile("\(site.templates.folder)/output-README.md") {
                try OutputFile.write(readme, to: site.path("README.md"), durable: false)
            }
            let built = Built(pages: countFiles(site.staging, suffix: ".html"), figures: countFiles(site.staging, suffix: ".pdf"),
                              claims: claims.count, disagreements: disagreements, parseSeconds: parseSeconds, checkSeconds: checkSeconds, runs: runs)
            try site.commit()
            return built
        } catch {
            site.abandon()
            throw error
        }
    }

    /// The two-dimensional walk of the nested tlb-thrash preset (its guest and nested levels),
    /// carried out on real tables by the simulator's code, drawn reference by reference.
    package static func walkDiagram(site: Site) throws -> CourseSite.Diagram {
        let config = MemoryConfig(try Preset.named(.tlbThrashNested).scenario())
        let (chart, count) = Diagrams.walk2D(config)
        let figure = try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: "memory-2d-walk", command: CourseSite.command(site), slides: true, shelf: site.charts)
        return CourseSite.Diagram(figure: figure, facts: ["guest_levels": config.levels, "nested_levels": config.nestedLevels, "references": count])
    }

    /// The instruction-set diagrams and the shipped sweeps (their folders, pages and headline figures).
    package static func diagramsAndSweeps(site: Site, sweeps: String, only: Set<String>, nav: [NavLink], threads: Int) throws -> ([CourseSite.Profile], [CourseSite.Sweep]) {
        let profiles = try ShippedProfiles.names.map { name in
            let isa = try ShippedProfiles.profile(name)!
            let report = VirtualizabilityReport(isa)
            let figure = try FigureFiles.write(Diagrams.venn(isa), dir: site.path("figures"), refDir: "figures/", name: "venn-\(name)", command: CourseSite.command(site), slides: true, shelf: site.charts)
            return CourseSite.Profile(name: name, figure: figure, theorems: [report.theorem1, report.theorem2, report.theorem3].map {
                ($0.holds, $0.counterexamples)
            })
        }
        var made: [CourseSite.Sweep] = []
        for file in sweepFiles(in: sweeps) {
            let name = String(file.dropFirst("sweep-".count).dropLast(".yaml".count))
            // The name becomes a folder of the site: `sweep-...yaml` must not build into its root.
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw CourseError.badInput("\(sweeps)/\(file): a sweep file's name must be sweep-NAME.yaml with NAME of letters, digits, - and _ "
                                            + "(it names the folder sweeps/NAME/ of the site)")
            }
            guard only.contains(name) else { continue }
            let (plan, description, headlineKey) = try Sweeps.plan("\(sweeps)/\(file)")
            let title = description ?? name
            let page = Sweeps.PageContext(templates: site.templates, sitePath: "sweeps/\(name)/", nav: nav,
                                                title: title, command: "virtlab sweep Traces/scenarios/\(file) -o sweeps/\(name)")
            let (figures, results) = try Sweeps.runLocally(plan, dir: site.path("sweeps/\(name)"), threads: threads, quiet: true, page: page)
            let topic = plan.base.topic
            // The headline: the sweep file's choice, else the topic's (not a total a sweep's axis only scales).
            let headline = headlineKey ?? topic.reporting.sweepHeadline.rawValue
            guard let chosen = figures.first(where: { $0.name == headline }) ?? figures.first else {
                throw CourseError.internalFailure("the sweep \(name) drew no figure")
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
            made.append(CourseSite.Sweep(name: name, file: file, topic: topic.rawValue, description: title, runs: plan.runs.count,
                                         page: "sweeps/\(name)/index.html", figure: figure, points: points))
        }
        return (profiles, made)
    }

    /// Simulates every run and writes its run page, `threads` at a time; summaries by the lessons' names.
    package static func runJobs(_ jobs: [Job], site: Site, nav: [NavLink], threads: Int) throws -> [String: RunSummary] {
        let results = Mutex<[String: RunSummary]>([:])
        let failure = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: max(1, threads))
        let queue = DispatchQueue(label: "virtlab.course", attributes: .concurrent)
        // Longest first keeps both cores busy to the end; otherwise in the lessons' order.
        let costs = jobs.map(cost)
        let order = jobs.indices.sorted { (costs[$0], -$0) > (costs[$1], -$1) }
        for i in order {
            slots.wait()
            if failure.withLock({ $0 != nil }) { slots.signal(); break }
            queue.async(group: group) {
                defer { slots.signal() }
                do {
                    let job = jobs[i]
                    let trace = site.path("traces/\(job.stem).vlt")
                    try makeDirectory(site.path("traces"))
                    _ = try Runs.simulate(job.scenario, to: trace, durable: false)
                    var summary = try RunReport.build(trace: trace, site: site, page: "runs/\(job.stem).html", nav: nav, figurePrefix: job.stem,
                                                      command: job.command, traceHref: "traces/\(job.stem).vlt", slides: true)
                    // The resolved scenario, for the lessons' parameters.
                    for row in ResolvedScenario.rows(try TraceReader(path: trace).header) {
                        switch row.value {
                        case let .integer(v): summary.parameters[row.key] = .number(Double(v))
                        case let .real(v): summary.parameters[row.key] = .number(v)
                        case let .text(t): summary.parameters[row.key] = .text(t)
                        }
                    }
                    results.withLock { $0[job.name] = summary }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0 }
    }

    /// Which runs start first, for scheduling only (the output does not depend on it), read from
    /// the scenario rather than its name. Native memory runs go first: the shadow and nested runs
    /// of the same workload then find their native baseline already simulated (`NativeBaselines`)
    /// instead of running it again. The other memory runs follow: they are the longest (up to a
    /// second each in a release build, against about 0.2 s for an I/O, CPU or migration preset).
    package static func cost(_ p: Job) -> Int {
        guard p.scenario.topic == .memory else { return 0 }
        return MemoryConfig(p.scenario).mode == .native ? 2 : 1
    }

    /// Traces/scenarios in the working directory, else beside the templates' checkout.
    package static func defaultSweeps(templates: String?) throws -> String {
        if isDirectory("Traces/scenarios") { return "Traces/scenarios" }
        let folder = try TemplateSet.locate(templates)
        return (folder.hasSuffix("/Templates") ? String(folder.dropLast("Templates".count)) : folder + "/../") + "Traces/scenarios"
    }

    /// `sweep-*.yaml` in a folder, sorted (none if the folder is missing).
    package static func sweepFiles(in dir: String) -> [String] {
        directoryNames(dir).filter { $0.hasPrefix("sweep-") && $0.hasSuffix(".yaml") }
    }

    package static func countFiles(_ dir: String, suffix: String) -> Int {
        directoryNames(dir).reduce(0) { n, name in
            let path = "\(dir)/\(name)"
            return n + (isDirectory(path) ? countFiles(path, suffix: suffix) : name.hasSuffix(suffix) ? 1 : 0)
        }
    }
}
