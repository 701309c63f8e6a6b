import Course
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import TraceFormat
import SafeOutput
import Testing
import TestKit
import VirtLabTestSupport
@testable import Reports
@testable import VirtLabCommands

struct ReportCommandTests {
    /// The run page links its explorer data; --window writes a page whose explorer holds only
    /// that stretch, with every event; a window given wrongly is refused.
    @Test func aReportsExplorerAndItsWindow() throws {
        let dir = TestFixtures.folder("window")
        defer { removeTree(dir) }
        let trace = try Fixtures.smallTrace(in: dir, name: "w")
        let whole = try Fixtures.cli(["report", trace, "-o", "\(dir)/whole"])
        expectEqual(whole.status, 0, "\(whole.stderr)")
        let page = String(decoding: readFile("\(dir)/whole/index.html")!, as: UTF8.self)
        expectContains(page, "<script src=\"explorer/run.js\"></script>")
        expectContains(page, "<div class=\"explorer\" data-trace=\"run\">")
        #expect(fileExists("\(dir)/whole/explorer.js"))
        #expect(fileExists("\(dir)/whole/explorer/run.js"))
        let reader = try TraceReader(path: trace)
        let span = try #require(reader.indexedSpan)
        let from = span.lowerBound + (span.upperBound - span.lowerBound) / 4, to = from + (span.upperBound - span.lowerBound) / 10
        let part = try Fixtures.cli(["report", trace, "-o", "\(dir)/part", "--window", "\(from):\(to)"])
        expectEqual(part.status, 0, "\(part.stderr)")
        let data = String(decoding: readFile("\(dir)/part/explorer/run.js")!, as: UTF8.self)
        expectContains(data, "\"start\":\(from),\"end\":\(to)")
        expectContains(data, "\"window\":[\(from),\(to)]")
        expectContains(String(decoding: readFile("\(dir)/part/index.html")!, as: UTF8.self), "This page shows the window")
        for bad in ["5ms", "3ms:1ms", "a:b", "1:2:3"] {
            let r = try Fixtures.cli(["report", trace, "-o", "\(dir)/bad", "--window", bad])
            expectEqual(r.status, 2, "\(bad): \(r.stderr)")
            expectContains(r.stderr, "--window", "\(bad): \(r.stderr)")
        }
        #expect(!fileExists("\(dir)/bad"))
    }

    /// A comparison leads with what differs: one changed key listed, nothing else; repetitions
    /// (only the seed differs) said as such; key results against the baseline; a baseline that
    /// is no run refused.
    @Test func aComparisonSaysWhatDiffers() throws {
        let dir = TestFixtures.folder("differs")
        defer { removeTree(dir) }
        // Scenarios from text, as a user writes them (the trace records the text it ran).
        func scenario(_ name: String, mode: String, seed: Int) throws -> Scenario {
            let yaml = Preset.named("tlb-thrash-native")!.yaml
                .replacingOccurrences(of: "accesses: 2000000", with: "accesses: 50000").replacingOccurrences(of: "working_set_mib: 512", with: "working_set_mib: 8")
                .replacingOccurrences(of: "name: tlb-thrash-native", with: "name: \(name)").replacingOccurrences(of: "  mode: native", with: "  mode: \(mode)")
                .replacingOccurrences(of: "seed: 1\n", with: "seed: \(seed)\n")
            return try ScenarioDecoder.decode(text: yaml, source: name)
        }
        _ = try Runs.simulate(try scenario("cmp-a", mode: "native", seed: 1), to: "\(dir)/a.vlt")
        _ = try Runs.simulate(try scenario("cmp-b", mode: "nested", seed: 1), to: "\(dir)/b.vlt")
        _ = try Runs.simulate(try scenario("cmp-a2", mode: "native", seed: 99), to: "\(dir)/a2.vlt")
        let r = try Fixtures.cli(["report", "\(dir)/a.vlt", "\(dir)/b.vlt", "-o", "\(dir)/ab", "--baseline", "cmp-b"])
        expectEqual(r.status, 0, "\(r.stderr)")
        let page = String(decoding: readFile("\(dir)/ab/index.html")!, as: UTF8.self)
        let differs = String(page[page.range(of: "<section id=\"differences\">")!.lowerBound..<page.range(of: "<section id=\"key-results\">")!.lowerBound])
        expectContains(differs, "1 of ", "\(differs)")
        expectContains(differs, "scenario keys differ; the seed is the same", "\(differs)")
        expectContains(differs, "<th scope=\"row\">memory.mode</th>")
        expectEqual(differs.components(separatedBy: "<th scope=\"row\">").count, 2)
        expectContains(page, "each run against the baseline, cmp-b")
        expectContains(page, "×)</td>")
        let reps = try Fixtures.cli(["report", "\(dir)/a.vlt", "\(dir)/a2.vlt", "-o", "\(dir)/reps"])
        expectEqual(reps.status, 0)
        expectContains(String(decoding: readFile("\(dir)/reps/index.html")!, as: UTF8.self), "share every scenario key but the seed")
        let bad = try Fixtures.cli(["report", "\(dir)/a.vlt", "\(dir)/b.vlt", "-o", "\(dir)/bad", "--baseline", "nope"])
        expectEqual(bad.status, 2)
        expectContains(bad.stderr, "--baseline nope: no such run")
        #expect(!fileExists("\(dir)/bad"))
    }

    @Test func aReportIntoAUsersFolderIsRefusedAndTheFolderKept() throws {
        let dir = TestFixtures.folder("docs")
        defer { removeTree(dir) }
        let trace = try Fixtures.smallTrace(in: dir)
        let report = try Fixtures.cli(["report", trace, "-o", "\(dir)/report"])
        expectEqual(report.status, 0, "\(report.stderr)")
        try makeDirectory("\(dir)/docs/sub")
        try OutputFile.write(text: "precious", to: "\(dir)/docs/thesis.tex")
        try OutputFile.write(text: "dot", to: "\(dir)/docs/.hidden")
        try OutputFile.write(readFile("\(dir)/report/index.html")!, to: "\(dir)/docs/index.html")
        let r = try Fixtures.cli(["report", trace, "-o", "\(dir)/docs"])
        expectEqual(r.status, 2)
        expectContains(r.stderr, "thesis.tex", "\(r.stderr)")
        expectContains(r.stderr, "--force", "\(r.stderr)")
        expectEqual(String(decoding: readFile("\(dir)/docs/thesis.tex") ?? [], as: UTF8.self), "precious")
        #expect(fileExists("\(dir)/docs/.hidden"))
        #expect(isDirectory("\(dir)/docs/sub"))
        // A report VirtLab made is rebuilt in place…
        try expectEqual(Fixtures.cli(["report", trace, "-o", "\(dir)/report"]).status, 0)
        // …unless its input lies inside it.
        try OutputFile.write(readFile(trace)!, to: "\(dir)/report/t.vlt")
        let inside = try Fixtures.cli(["report", "\(dir)/report/t.vlt", "-o", "\(dir)/report"])
        expectEqual(inside.status, 2, "\(inside.stderr)")
        #expect(fileExists("\(dir)/report/t.vlt"))
    }

    @Test func twoReportsIntoOneFolderAtOnceLeaveOneWholeSite() throws {
        let dir = TestFixtures.folder("race")
        defer { removeTree(dir) }
        let a = try Fixtures.smallTrace(in: dir, name: "a"), b = try Fixtures.smallTrace(in: dir, seed: 5, name: "b")
        let group = DispatchGroup()
        let statuses = ReliabilityTests.StatusBox()
        for trace in [a, b, a, b] {
            DispatchQueue.global().async(group: group) {
                let status = (try? Fixtures.cli(["report", trace, "-o", "\(dir)/site"]).status) ?? -1
                statuses.add(status)
            }
        }
        group.wait()
        #expect(statuses.all.allSatisfy { $0 == 0 || $0 == 2 }, "\(statuses.all)")
        expectContains(statuses.all, 0)
        // Whatever won, the folder is one whole site that VirtLab can prove it made.
        #expect(FolderGuard.foreignFiles(in: "\(dir)/site", mark: Site.marker).isEmpty)
        #expect(directoryNames(dir).allSatisfy { !$0.contains("staging") })
    }

    @Test func runsNamedAlikeGetTheirOwnPagesAndReproductionFiles() throws {
        let dir = TestFixtures.folder("names")
        defer { removeTree(dir) }
        var traces: [String] = []
        for (i, name) in ["a", "a-3", "a", "a/b", "a_b"].enumerated() {
            let yaml = try TestFixtures.smallMemory().text.replacingOccurrences(of: "name: tlb-thrash-native", with: "name: \"\(name)\"")
            let s = try ScenarioDecoder.decode(text: yaml, source: name)
            expectEqual(s.name, name)
            let path = "\(dir)/t\(i).vlt"
            _ = try Runs.simulate(s, to: path)
            traces.append(path)
        }
        let r = try Fixtures.cli(["report"] + traces + ["-o", "\(dir)/cmp"])
        expectEqual(r.status, 0, "\(r.stderr)")
        let pages = directoryNames("\(dir)/cmp/runs").filter { $0.hasSuffix(".html") }
        let yamls = directoryNames("\(dir)/cmp/runs").filter { $0.hasSuffix(".yaml") }
        expectEqual(pages.count, 5, "\(pages)")
        expectEqual(yamls.count, 5, "\(yamls)")
    }

    @Test func anEnormousNameStaysCheap() throws {
        let dir = TestFixtures.folder("long-name")
        defer { removeTree(dir) }
        var traces: [String] = []
        for i in 0..<2 {
            let source = try TraceReader(path: try Fixtures.smallTrace(in: dir, name: "s\(i)"))
            var header = source.header
            let long = String(repeating: "n", count: 80_000) + "\(i)"
            header.metadata = header.metadata.map { $0.key == "scenario_name" ? (key: $0.key, value: long) : $0 }
            let path = "\(dir)/long\(i).vlt"
            let w = try TraceWriter(path: path, header: header)
            try source.scan { try w.append($0.owned) }
            try w.close(summary: source.summary ?? [])
            traces.append(path)
        }
        let started = Date()
        let r = try Fixtures.cli(["report"] + traces + ["-o", "\(dir)/cmp"])
        print("two-trace comparison with 80 KB names: \(Date().timeIntervalSince(started)) s")
        expectEqual(r.status, 0, "\(r.stderr)")
    }

    @Test func aRunReportIsCompleteAndEscapesAHostileScenario() throws {
        let out = TestFixtures.freshPath("run"), trace = out + ".vlt"
        defer { removeTree(out); unlink(trace) }
        try TestFixtures.hostileTrace(trace)
        let cmd = try ReportCommand.parse([trace, "-o", out])
        try cmd.run()
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        expectEqual(TestFixtures.checkPages(out), [])
        for page in TestFixtures.files(out) where page.hasSuffix(".html") || page.hasSuffix(".svg") {
            let text = String(decoding: readFile("\(out)/\(page)")!, as: UTF8.self)
            expectLacks(text, "<script>alert(1)", "\(page)")
            expectLacks(text, "<img src=x", "\(page)")
        }
        expectContains(html, "&lt;script&gt;alert(1)&lt;/script&gt;")
        expectContains(html, "&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;")
        // The reproducibility block: command, seed, scenario text, version, the trace's SHA-256.
        #expect(html.contains(SHA256.hex(file: trace)!))
        expectContains(html, "virtlab run _script_alert_1___script_.yaml --seed 1")
        #expect(fileExists(out + "/_script_alert_1___script_.yaml"))
        expectContains(html, "virtlab " + VirtLabVersion.current)
        // Every figure in four files, the page shows SVG with a dark variant.
        for f in ["run-exit-reasons", "run-timeline"] {
            for suffix in [".svg", "-dark.svg", ".png", ".pdf"] { #expect(fileExists("\(out)/figures/\(f)\(suffix)"), "\(f)\(suffix)") }
        }
        expectContains(html, "media=\"(prefers-color-scheme: dark)\"")
        expectContains(html, "<th scope=\"col\">p95</th>")
    }

    @Test func aTruncatedTraceIsRefusedUnlessSalvagedAndThePageSaysWhatWasLost() throws {
        let out = TestFixtures.freshPath("salvage"), trace = out + ".vlt", cut = out + "-cut.vlt"
        defer { removeTree(out); unlink(trace); unlink(cut) }
        try TestFixtures.hostileTrace(trace)
        let bytes = readFile(trace)!
        try OutputFile.write(Array(bytes.prefix(bytes.count * 2 / 3)), to: cut)
        let strict = try ReportCommand.parse([cut, "-o", out])
        #expect(throws: TraceError.self) { try strict.run() }
        #expect(!fileExists(out))
        let salvaged = try ReportCommand.parse([cut, "-o", out, "--salvage"])
        try salvaged.run()
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        expectContains(html, "no: the run did not finish")
        expectContains(html, "<th scope=\"row\">Damage</th><td>skipped 1 damaged region")
        expectEqual(TestFixtures.checkPages(out), [])
    }

    @Test func aComparisonHasAColumnPerRunAndPagesForEach() throws {
        let out = TestFixtures.freshPath("cmp"), a = out + "-a.vlt", b = out + "-b.vlt"
        defer { removeTree(out); unlink(a); unlink(b) }
        try TestFixtures.hostileTrace(a, seed: 1)
        try TestFixtures.hostileTrace(b, seed: 2)
        let cmd = try ReportCommand.parse([a, b, "-o", out])
        try cmd.run()
        expectEqual(TestFixtures.checkPages(out), [])
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        expectContains(html, "<th scope=\"col\">&lt;script&gt;alert(1)&lt;/script&gt; (_script_alert_1___script_-2)</th>")
        #expect(fileExists(out + "/runs/_script_alert_1___script_.html"))
        #expect(fileExists(out + "/runs/_script_alert_1___script_-2.html"))
        #expect(fileExists(out + "/figures/compare-overhead_vs_native.svg"))
        expectLacks(html, "<script>")
    }

    /// Runs of different topics: each topic's key results charted among its own runs, never on one axis.
    @Test func aComparisonOfDifferentTopicsChartsEachTopicAmongItsOwnRuns() throws {
        let out = TestFixtures.freshPath("cmp-mixed")
        var traces: [String] = []
        defer { removeTree(out); traces.forEach { unlink($0) } }
        let memory = TestFixtures.tinyPresets.filter { $0.topic == .memory }.prefix(2), migration = TestFixtures.tinyPresets.filter { $0.topic == .migration }.prefix(2)
        for preset in Array(memory) + Array(migration) {
            let path = out + "-\(preset.name).vlt"
            _ = try Runs.simulate(try preset.scenario(), to: path)
            traces.append(path)
        }
        let cmd = try ReportCommand.parse(traces + ["-o", out])
        try cmd.run()
        expectEqual(TestFixtures.checkPages(out), [])
        let html = String(decoding: readFile(out + "/index.html")!, as: UTF8.self)
        expectContains(html, "The runs are of different topics")
        let figures = TestFixtures.files(out).filter { $0.hasPrefix("figures/compare-") && $0.hasSuffix(".svg") && !$0.hasSuffix("-dark.svg") }
        expectContains(figures, "figures/compare-memory-overhead_vs_native.svg")
        expectContains(figures, "figures/compare-migration-downtime_ms.svg")
        // No chart mixes the topics' metrics: every per-metric chart is named for its topic.
        #expect(figures.allSatisfy { $0 == "figures/compare-exit-reasons.svg" || $0.hasPrefix("figures/compare-memory-") || $0.hasPrefix("figures/compare-migration-") })
    }
}
