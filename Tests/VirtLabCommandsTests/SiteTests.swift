import Course
import Vocabulary
import Foundation
import Charts
import Reports
import Analysis
import Simulation
import SafeOutput
import Testing
import TraceFormat
@testable import VirtLabCommands

/// Sites built from real (small) runs: links, alt text, escaping, determinism, atomic replacement.
@Suite(.serialized) struct SiteTests {
    static let dir = FileManager.default.temporaryDirectory.path

    static func folder(_ tag: String) -> String { "\(dir)/virtlab-site-\(tag)-\(UUID().uuidString)" }

    /// Every preset of every topic, shrunk to run in milliseconds.
    static let allTinyPresets: [Preset] = Preset.all.map { p in
        var o = tinyPresets.first { $0.name == p.name }?.overrides ?? p.overrides
        switch p.topic {
        case .cpu: o["cpu.workload.instructions"] = .integer(50_000)
        case .io: o["io.requests"] = .integer(2_000)
        default: break
        }
        return Preset(name: p.name, topic: p.topic, summary: p.summary, seed: p.seed, overrides: o)
    }

    /// Every memory and migration preset, shrunk to run in milliseconds; CPU and I/O left out so
    /// their topic pages must say they are pending.
    static let tinyPresets: [Preset] = Preset.all.compactMap { p in
        var o = p.overrides
        switch p.topic {
        case .memory:
            o["memory.workload.accesses"] = .integer(20_000)
            o["memory.workload.working_set_mib"] = .integer(p.name.contains("thrash") ? 16 : 2)
            o["memory.os.fork_every"] = o["memory.os.fork_every"] == nil ? nil : .integer(5_000)
            o["memory.os.fork_child_accesses"] = o["memory.os.fork_child_accesses"] == nil ? nil : .integer(500)
        case .migration:
            o["migration.vm.memory_mib"] = .integer(64)
            o["migration.workload.hot_pages"] = .integer(1_024)
            o["migration.vm.disk_gib"] = .integer(1)
        default:
            return nil
        }
        return Preset(name: p.name, topic: p.topic, summary: p.summary, seed: p.seed, overrides: o)
    }

    /// A small memory scenario with a hostile name and description.
    static func hostileTrace(_ path: String, seed: UInt64 = 1) throws {
        let yaml = Preset.named("tlb-thrash-shadow")!.yaml
            .replacingOccurrences(of: "accesses: 2000000", with: "accesses: 30000").replacingOccurrences(of: "working_set_mib: 512", with: "working_set_mib: 8")
            // Cold, so that shadow paging's first touches give the comparison something to chart.
            .replacingOccurrences(of: "warmup: touch", with: "warmup: none")
        var s = try ScenarioDecoder.decode(text: yaml, source: "hostile")
        s.name = "<script>alert(1)</script>"
        s.description = "<img src=x onerror=alert(2)> & \"quotes\""
        s.seed = seed
        _ = try Runs.simulate(s, to: path)
    }

    /// All files under a folder, relative paths, sorted.
    static func files(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { !isDirectory("\(root)/\($0)") }.sorted()
    }

    /// Checks every page: links and images resolve, images have alt text, a title, one h1 first and
    /// no skipped heading levels, tables with headers, and balanced tags. Returns the problems.
    static func checkPages(_ root: String) -> [String] {
        var problems: [String] = []
        let voids: Set<String> = ["meta", "link", "img", "source", "br", "hr", "input"]
        for page in files(root) where page.hasSuffix(".html") {
            let html = String(decoding: readFile("\(root)/\(page)")!, as: UTF8.self)
            let base = (page as NSString).deletingLastPathComponent
            if !html.hasPrefix("<!DOCTYPE html>") { problems.append("\(page): no doctype") }
            if html.range(of: "<title>[^<]+</title>", options: .regularExpression) == nil { problems.append("\(page): no title") }
            // Tags in order.
            var stack: [String] = [], level = 0, h1s = 0
            let tagPattern = try! NSRegularExpression(pattern: "<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
            let ns = html as NSString
            for m in tagPattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
                let closing = ns.substring(with: m.range(at: 1)) == "/"
                let name = ns.substring(with: m.range(at: 2)).lowercased()
                let attrs = ns.substring(with: m.range(at: 3))
                if !closing {
                    if name.count == 2, name.hasPrefix("h"), let n = Int(name.dropFirst()) {
                        if n == 1 { h1s += 1 }
                        if n > level + 1 { problems.append("\(page): <\(name)> after h\(level)") }
                        level = n
                    }
                    if name == "img" {
                        if attrs.range(of: "alt=\"[^\"]+\"", options: .regularExpression) == nil { problems.append("\(page): img without alt") }
                    }
                    for attr in ["href", "src", "srcset"] {
                        guard let r = attrs.range(of: " \(attr)=\"[^\"]*\"", options: .regularExpression) else { continue }
                        var target = String(attrs[r].dropFirst(attr.count + 3).dropLast())
                        if target.hasPrefix("data:") { continue }
                        if target.hasPrefix("http:") || target.hasPrefix("https:") || target.hasPrefix("//") {
                            problems.append("\(page): external resource \(target)")
                            continue
                        }
                        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
                        if target.isEmpty { continue }
                        let resolved = ((base.isEmpty ? root : "\(root)/\(base)") as NSString).appendingPathComponent(target)
                        if !FileManager.default.fileExists(atPath: resolved) { problems.append("\(page): broken \(attr) \(target)") }
                    }
                    if !voids.contains(name) { stack.append(name) }
                } else if stack.last == name {
                    stack.removeLast()
                } else {
                    problems.append("\(page): </\(name)> closes <\(stack.last ?? "nothing")>")
                    break
                }
            }
            if !stack.isEmpty { problems.append("\(page): unclosed \(stack)") }
            if h1s != 1 { problems.append("\(page): \(h1s) h1 headings") }
            let tables = html.components(separatedBy: "<table").count - 1
            let headed = html.components(separatedBy: "<thead><tr><th scope=\"col\">").count - 1
            if tables != headed { problems.append("\(page): \(tables - headed) tables without column headers") }
        }
        return problems
    }

    @Test func aRunReportIsCompleteAndEscapesAHostileScenario() throws {
        let out = Self.folder("run"), trace = out + ".vlt"
        defer { removeTree(out); unlink(trace) }
        try Self.hostileTrace(trace)
        var cmd = try ReportCommand.parse([trace, "-o", out])
        try cmd.run()
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        #expect(Self.checkPages(out) == [])
        for page in Self.files(out) where page.hasSuffix(".html") || page.hasSuffix(".svg") {
            let text = String(decoding: readFile("\(out)/\(page)")!, as: UTF8.self)
            #expect(!text.contains("<script>alert(1)"), "\(page)")
            #expect(!text.contains("<img src=x"), "\(page)")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;"))
        // The reproducibility block: command, seed, scenario text, version, the trace's SHA-256.
        #expect(html.contains(SHA256.hex(file: trace)!))
        #expect(html.contains("virtlab run _script_alert_1___script_.yaml --seed 1"))
        #expect(fileExists(out + "/_script_alert_1___script_.yaml"))
        #expect(html.contains("virtlab " + VirtLabVersion.current))
        // Every figure in four files, the page shows SVG with a dark variant.
        for f in ["run-exit-reasons", "run-timeline"] {
            for suffix in [".svg", "-dark.svg", ".png", ".pdf"] { #expect(fileExists("\(out)/figures/\(f)\(suffix)"), "\(f)\(suffix)") }
        }
        #expect(html.contains("media=\"(prefers-color-scheme: dark)\""))
        #expect(html.contains("<th scope=\"col\">p95</th>"))
    }

    @Test func aTruncatedTraceIsRefusedUnlessSalvagedAndThePageSaysWhatWasLost() throws {
        let out = Self.folder("salvage"), trace = out + ".vlt", cut = out + "-cut.vlt"
        defer { removeTree(out); unlink(trace); unlink(cut) }
        try Self.hostileTrace(trace)
        let bytes = readFile(trace)!
        try OutputFile.write(Array(bytes.prefix(bytes.count * 2 / 3)), to: cut)
        var strict = try ReportCommand.parse([cut, "-o", out])
        #expect(throws: TraceError.self) { try strict.run() }
        #expect(!fileExists(out))
        var salvaged = try ReportCommand.parse([cut, "-o", out, "--salvage"])
        try salvaged.run()
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        #expect(html.contains("no: the run did not finish"))
        #expect(html.contains("<th scope=\"row\">Damage</th><td>skipped 1 damaged region"))
        #expect(Self.checkPages(out) == [])
    }

    @Test func aComparisonHasAColumnPerRunAndPagesForEach() throws {
        let out = Self.folder("cmp"), a = out + "-a.vlt", b = out + "-b.vlt"
        defer { removeTree(out); unlink(a); unlink(b) }
        try Self.hostileTrace(a, seed: 1)
        try Self.hostileTrace(b, seed: 2)
        var cmd = try ReportCommand.parse([a, b, "-o", out])
        try cmd.run()
        #expect(Self.checkPages(out) == [])
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        #expect(html.contains("<th scope=\"col\">&lt;script&gt;alert(1)&lt;/script&gt; (_script_alert_1___script_-2)</th>"))
        #expect(fileExists(out + "/runs/_script_alert_1___script_.html") && fileExists(out + "/runs/_script_alert_1___script_-2.html"))
        #expect(fileExists(out + "/figures/compare-overhead_vs_native.svg"))
        #expect(!html.contains("<script>"))
    }

    /// Runs of different topics: each topic's key results charted among its own runs, never on one axis.
    @Test func aComparisonOfDifferentTopicsChartsEachTopicAmongItsOwnRuns() throws {
        let out = Self.folder("cmp-mixed")
        var traces: [String] = []
        defer { removeTree(out); traces.forEach { unlink($0) } }
        let memory = Self.tinyPresets.filter { $0.topic == .memory }.prefix(2), migration = Self.tinyPresets.filter { $0.topic == .migration }.prefix(2)
        for preset in Array(memory) + Array(migration) {
            let path = out + "-\(preset.name).vlt"
            _ = try Runs.simulate(try preset.scenario(), to: path)
            traces.append(path)
        }
        var cmd = try ReportCommand.parse(traces + ["-o", out])
        try cmd.run()
        #expect(Self.checkPages(out) == [])
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        #expect(html.contains("The runs are of different topics"))
        let figures = Self.files(out).filter { $0.hasPrefix("figures/compare-") && $0.hasSuffix(".svg") && !$0.hasSuffix("-dark.svg") }
        #expect(figures.contains("figures/compare-memory-overhead_vs_native.svg") && figures.contains("figures/compare-migration-downtime_ms.svg"))
        // No chart mixes the topics' metrics: every per-metric chart is named for its topic.
        #expect(figures.allSatisfy { $0 == "figures/compare-exit-reasons.svg" || $0.hasPrefix("figures/compare-memory-") || $0.hasPrefix("figures/compare-migration-") })
    }

    @Test func theCourseSiteLinksResolveRebuildsIdenticallyAndSaysWhatIsPending() throws {
        let a = Self.folder("course-a"), b = Self.folder("course-b")
        defer { removeTree(a); removeTree(b) }
        _ = try CourseBuilder.build(output: a, sweeps: "/nonexistent", threads: 2, presets: Self.tinyPresets)
        _ = try CourseBuilder.build(output: b, sweeps: "/nonexistent", threads: 1, presets: Self.tinyPresets)
        #expect(Self.checkPages(a) == [])
        let files = Self.files(a)
        #expect(files == Self.files(b))
        for f in files { #expect(readFile("\(a)/\(f)") == readFile("\(b)/\(f)"), "\(f) differs between builds") }
        for page in ["index.html", "memory.html", "cpu.html", "io.html", "migration.html", "runs/fork-heavy-shadow.html"] {
            #expect(files.contains(page), "\(page)")
        }
        let memory = String(decoding: readFile(a + "/memory.html")!, as: UTF8.self)
        #expect(memory.contains("Try it:") && memory.contains("What to notice."))
        #expect(files.contains("figures/memory-walk-references.pdf"))
        // I/O did not run here: its page says so and shows no figures. The CPU page still has the
        // Popek–Goldberg diagrams (they need no run) but no strategy comparison.
        let io = String(decoding: readFile(a + "/io.html")!, as: UTF8.self)
        #expect(io.contains("class=\"pending\"") && !io.contains("<figure") && !io.contains("Try it"))
        let cpu = String(decoding: readFile(a + "/cpu.html")!, as: UTF8.self)
        #expect(cpu.contains("venn-x86-legacy") && !cpu.contains("cpu-overhead-by-strategy"))
        #expect(readFile(a + "/README.md") == readFile(CommandTests.repoRoot + "/output/README.md"))
        // Decks and slide sets for the topics that ran, linked from their pages.
        for deck in ["decks/memory.pptx", "decks/memory.pdf", "decks/memory-notes.pdf", "slides/memory-slides.zip"] {
            #expect(files.contains(deck), "\(deck)")
            #expect(memory.contains("href=\"\(deck)\""), "memory.html does not link \(deck)")
        }
        #expect(!files.contains("decks/io.pptx"), "a topic that did not run has no deck")
        // The lesson file's classroom sections, rendered from its Markdown.
        #expect(memory.contains("<h2>The story</h2>") && memory.contains("id=\"debate\"") && memory.contains("id=\"what-if\""))
        #expect(memory.contains("Templates/lessons/memory.md"))
        let index = String(decoding: readFile(a + "/index.html")!, as: UTF8.self)
        for deck in ["decks/course.pptx", "decks/course.pdf", "decks/course-notes.pdf"] {
            #expect(files.contains(deck) && index.contains("href=\"\(deck)\""), "\(deck)")
        }
        // Every figure carries its provenance; a run's figure names the render command that,
        // run in the site's folder on the trace the site carries, writes the same bytes.
        for f in files where f.hasPrefix("figures/") && (f.hasSuffix(".svg") || f.hasSuffix(".png") || f.hasSuffix(".pdf")) {
            #expect(FigureProvenance.read(readFile("\(a)/\(f)")!)?["generator"]?.hasPrefix("VirtLab ") == true, "\(f) has no provenance")
        }
        for f in ["figures/fork-heavy-shadow-exit-reasons.svg", "figures/fork-heavy-shadow-exit-reasons.png", "figures/fork-heavy-shadow-exit-reasons-dark.svg"] {
            let bytes = try #require(readFile("\(a)/\(f)"), "\(f)")
            let p = try #require(FigureProvenance.read(bytes))
            #expect(p["trace"] == "traces/fork-heavy-shadow.vlt")
            let original = readFile("\(a)/\(f)")
            unlink("\(a)/\(f)")
            #expect(try ProvenanceCommandTests.shell(try #require(p["command"]) + " >/dev/null", in: a) == 0)
            let again = readFile("\(a)/\(f)")
            #expect(again == original, "\(f) was not regenerated byte for byte: provenance \(FigureProvenance.read(original ?? []).map { "\($0.entries)" } ?? "none") became \(FigureProvenance.read(again ?? []).map { "\($0.entries)" } ?? "none")")
        }
    }

    @Test func everyTopicPageHasTheComparisonsItIsAbout() throws {
        let out = Self.folder("topics")
        defer { removeTree(out) }
        // The I/O load sweep, shrunk: two rates, 2,000 packets each.
        let sweeps = Self.folder("topics-sweeps")
        defer { removeTree(sweeps) }
        try makeDirectory(sweeps)
        let base = String(decoding: readFile(CommandTests.repoRoot + "/Traces/scenarios/net-open-loop.yaml")!, as: UTF8.self)
        try OutputFile.write(text: base.replacingOccurrences(of: "requests: 40000", with: "requests: 2000"), to: sweeps + "/net-open-loop.yaml")
        try OutputFile.write(text: "description: \"I/O load, small\"\nsweep:\n  scenario: net-open-loop.yaml\n  headline: latency_p99_ns\n  vary:\n"
                                  + "    - io.workload.rate=10000,1000000\n    - io.approach=native,emulation,paravirtual,passthrough\n", to: sweeps + "/sweep-io-load.yaml")
        // The working-set and dirty-rate sweeps, shrunk the same way.
        let ws = String(decoding: readFile(CommandTests.repoRoot + "/Traces/scenarios/working-set-nested.yaml")!, as: UTF8.self)
        try OutputFile.write(text: ws.replacingOccurrences(of: "accesses: 400000", with: "accesses: 20000"), to: sweeps + "/working-set-nested.yaml")
        try OutputFile.write(text: "description: \"working set, small\"\nsweep:\n  scenario: working-set-nested.yaml\n  vary:\n"
                                  + "    - memory.workload.working_set_mib=2,64\n    - memory.mode=shadow,nested\n    - memory.page_size=4KiB,2MiB\n", to: sweeps + "/sweep-working-set.yaml")
        let mig = String(decoding: readFile(CommandTests.repoRoot + "/Traces/scenarios/precopy-uniform.yaml")!, as: UTF8.self)
        try OutputFile.write(text: mig.replacingOccurrences(of: "memory_mib: 1024", with: "memory_mib: 64"), to: sweeps + "/precopy-uniform.yaml")
        try OutputFile.write(text: "description: \"dirty rate, small\"\nsweep:\n  scenario: precopy-uniform.yaml\n  vary:\n"
                                  + "    - migration.workload.dirty_rate=1000,100000\n    - migration.strategy=pre-copy,post-copy\n  repeat: 3\n", to: sweeps + "/sweep-dirty-rate.yaml")
        try OutputFile.write(text: "description: \"vCPUs, small\"\nsweep:\n  scenario: fork-heavy-shadow\n  vary:\n"
                                  + "    - memory.vcpus=1,4\n    - memory.mode=shadow,nested\n    - memory.workload.accesses=40000\n"
                                  + "    - memory.os.fork_every=10000\n", to: sweeps + "/sweep-vcpus.yaml")
        _ = try CourseBuilder.build(output: out, sweeps: sweeps, threads: 2, presets: Self.allTinyPresets)
        #expect(Self.checkPages(out) == [])
        let expected = ["memory": ["walk", "modes", "exits", "timeline", "sweep-vcpus", "sweep-memory"], "cpu": ["popek-goldberg", "strategies", "outcomes"],
                        "io": ["approaches", "load", "sharing", "iommu"], "migration": ["precopy", "strategies", "nonconverging", "postcopy", "sweep-migration"]]
        for (topic, ids) in expected {
            let html = String(decoding: readFile("\(out)/\(topic).html")!, as: UTF8.self)
            for id in ids { #expect(html.contains("<section id=\"\(id)\">"), "\(topic).html lacks section \(id)") }
            #expect(html.contains("What to notice.") && html.contains("Try it:") && !html.contains("class=\"pending\""), "\(topic)")
            // Every figure on a topic page says what to notice.
            #expect(html.components(separatedBy: "<figure").count == html.components(separatedBy: "What to notice.").count, "\(topic)")
        }
        let gallery = String(decoding: readFile(out + "/figures.html")!, as: UTF8.self)
        #expect(gallery.contains("figures/migration-time-by-strategy.svg") && gallery.contains("figures/fork-heavy-shadow-timeline.pdf"))
    }

    @Test func aFailedBuildLeavesThePreviousSiteIntact() throws {
        let out = Self.folder("atomic")
        defer { removeTree(out) }
        let small = Array(Self.tinyPresets.prefix(3))
        _ = try CourseBuilder.build(output: out, sweeps: "/nonexistent", presets: small)
        let before = Self.files(out).map { ($0, readFile("\(out)/\($0)")) }
        #expect(throws: CourseError.self) {
            try CourseBuilder.build(output: out, sweeps: "/nonexistent", presets: small.reversed(), abortAfterRuns: true)
        }
        #expect(Self.files(out).map { ($0, readFile("\(out)/\($0)")) }.elementsEqual(before) { $0.0 == $1.0 && $0.1 == $1.1 })
        let parent = (out as NSString).deletingLastPathComponent, name = (out as NSString).lastPathComponent
        #expect(directoryNames(parent).allSatisfy { !$0.hasPrefix(".\(name).staging") })
    }

    @Test func killingTheProcessMidwayLeavesThePreviousSiteIntact() throws {
        guard let exe = SweepTests.virtlab() else { Issue.record("no built virtlab next to the tests"); return }
        let out = Self.folder("killed")
        defer { removeTree(out) }
        _ = try CourseBuilder.build(output: out, sweeps: "/nonexistent", presets: Array(Self.tinyPresets.prefix(2)))
        let before = Self.files(out).map { ($0, readFile("\(out)/\($0)")) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["course", "-o", out, "--sweeps", CommandTests.repoRoot + "/Traces/scenarios", "-q", "--templates", CommandTests.repoRoot + "/Templates"]
        try p.run()
        // Wait until the new build has started writing its staging folder, then kill it.
        let parent = (out as NSString).deletingLastPathComponent, name = (out as NSString).lastPathComponent
        let staging = "\(parent)/.\(name).staging-\(p.processIdentifier)"
        for _ in 0..<3_000 where !fileExists(staging + "/traces") { usleep(10_000) }
        #expect(fileExists(staging), "the build never started staging")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(Self.files(out).map { ($0, readFile("\(out)/\($0)")) }.elementsEqual(before) { $0.0 == $1.0 && $0.1 == $1.1 })
        // The next build clears the dead build's staging folder.
        _ = try CourseBuilder.build(output: out, sweeps: "/nonexistent", presets: Array(Self.tinyPresets.prefix(2)))
        #expect(!fileExists(staging))
    }
}

/// The commands the site tells students to type must work.
@Suite struct TryItCommandTests {
    /// `virtlab …` invocations in a command line (split at `&&`, `>` and `#`), as argument lists.
    static func invocations(_ line: String) -> [[String]] {
        let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? line
        return code.components(separatedBy: "&&").compactMap { part in
            let words = (part.split(separator: ">", maxSplits: 1).first ?? "").split(separator: " ").map(String.init)
            return words.first == "virtlab" ? Array(words.dropFirst()) : nil
        }
    }

    @Test func everyTryItCommandParsesAndNamesRealPresetsAndKeys() throws {
        let course = try Course.load(folder: CommandTests.repoRoot + "/Templates/lessons")
        #expect(course.lessons.allSatisfy { $0.tryIt != nil })
        for lesson in course.lessons {
            let t = lesson.tryIt!
            var count = 0
            for line in t.commands {
                for args in Self.invocations(line) {
                    count += 1
                    // ArgumentParser accepts the flags and arguments…
                    _ = try VirtLabCLI.parseAsRoot(args)
                    // …and what they name exists.
                    switch args[0] {
                    case "sweep":
                        let vary = args.indices.filter { args[$0] == "--vary" }.map { args[$0 + 1] }
                        let plan = try Sweeps.plan(args[1], vary: vary).plan
                        #expect(plan.runs.count > 1, "\(line)")
                    case "run" where !args[1].hasSuffix(".yaml"), "scenarios" where args[1] == "show":
                        let name = args[0] == "run" ? args[1] : args[2]
                        #expect(Preset.named(name) != nil, "\(line)")
                    case "isa":
                        #expect(ShippedProfiles.names.contains(args[2]), "\(line)")
                    default: break
                    }
                }
            }
            #expect(count >= 3, "\(lesson.id) try-it has too few commands")
            if let key = t.parameter {
                #expect(Topic.allCases.contains { topic in topic.keys.contains { $0.path == key } }, "\(key)")
            }
        }
    }
}
