import Course
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import TraceFormat
import SafeOutput
import Testing
@testable import Reports
@testable import VirtLabCommands

/// Every figure says where it came from, and the command it names draws it again byte for byte.
@Suite struct ProvenanceCommandTests {
    /// Runs a shell command line (as a user would paste it) in `dir`, with the built virtlab first on PATH.
    static func shell(_ line: String, in dir: String) throws -> Int32 {
        let exe = try #require(SweepTests.virtlab())
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", line]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ["PATH": splitPath(exe).0 + ":/usr/bin:/bin", "VIRTLAB_TEMPLATES": CommandTests.repoRoot + "/Templates"]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    static func provenance(_ file: String) throws -> [String: String] {
        let out = try ReliabilityTests.cli(["provenance", file, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        return try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: String] ?? [:]
    }

    @Test func renderedFiguresRegenerateByteForByte() throws {
        let dir = ReliabilityTests.folder("provenance")
        defer { removeTree(dir) }
        let trace = try QueryCommandTests.trace(dir)
        let sha = try #require(ReliabilityTests.cli(["query", trace, "SELECT 1", "--no-cache"]).status == 0 ? fileSHA(trace) : nil)
        for (format, extra) in [("png", ["--scale", "2"]), ("svg", ["--theme", "dark"]), ("pdf", ["--width", "640", "--height", "400"]),
                                ("png", ["--size", "paper-1col", "--dpi", "150"]), ("svg", ["--size", "89x60mm"])] {
            let name = "exits (\(format)).\(format)"
            #expect(try Self.shell("virtlab render run.vlt --chart exit-reasons --format \(format) \(extra.joined(separator: " ")) -o '\(name)' >/dev/null", in: dir) == 0)
            let p = try Self.provenance("\(dir)/\(name)")
            #expect(p["generator"]?.hasPrefix("VirtLab ") == true)
            #expect(p["scenario"] == "disk-paravirtual")
            #expect(p["seed"] == "1")
            #expect(p["trace_sha256"] == sha)
            let command = try #require(p["command"])
            #expect(command.contains("--format \(format)") && command.contains(extra.joined(separator: " ")), "\(command)")
            let original = readFile("\(dir)/\(name)")
            unlink("\(dir)/\(name)")
            #expect(try Self.shell(command + " >/dev/null", in: dir) == 0, "\(command)")
            #expect(readFile("\(dir)/\(name)") == original, "\(format): the regenerate command wrote other bytes")
        }
        let none = try ReliabilityTests.cli(["provenance", trace])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no VirtLab provenance"))
    }

    /// A report's figures name the render command of their trace; run, it rewrites each file identically.
    @Test func reportFiguresRegenerateByteForByte() throws {
        let dir = ReliabilityTests.folder("provenance-report")
        defer { removeTree(dir) }
        _ = try QueryCommandTests.trace(dir)
        #expect(try Self.shell("virtlab report run.vlt -o site >/dev/null", in: dir) == 0)
        let figures = directoryNames("\(dir)/site/figures").filter { !$0.hasPrefix(".") }.sorted()
        #expect(figures.count >= 4)
        for f in figures {
            let p = try Self.provenance("\(dir)/site/figures/\(f)")
            let command = try #require(p["command"], "\(f)")
            #expect(command.hasPrefix("virtlab render run.vlt --chart "), "\(f): \(command)")
            let original = readFile("\(dir)/site/figures/\(f)")
            #expect(try Self.shell(command + " >/dev/null", in: dir) == 0)
            #expect(readFile("\(dir)/site/figures/\(f)") == original, "\(f)")
        }
    }

    func fileSHA(_ path: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init)
    }
}

@Suite struct RenderSizeCommandTests {
    @Test func sizeMistakesAreNamed() throws {
        let dir = ReliabilityTests.folder("render-size")
        defer { removeTree(dir) }
        let trace = try QueryCommandTests.trace(dir)
        for (args, message) in [(["--size", "3x2furlong"], "--size 3x2furlong: use slides"),
                                (["--size", "paper-1col", "--width", "300"], "give --size or --width/--height, not both"),
                                (["--size", "paper-1col", "--dpi", "10"], "--dpi must be between 72 and 2400")] {
            let r = try ReliabilityTests.cli(["render", trace, "--chart", "exit-reasons", "-o", "\(dir)/x.png"] + args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!fileExists("\(dir)/x.png"))
        }
    }
}

@Suite struct ChartKindTests {
    /// Every chart kind is offered by some topic's traces, or drawn without one (venn, 2d-walk),
    /// or across runs in lessons (bars, sweep: LessonCourseTests and the shipped course draw them).
    @Test func everyKindIsDrawableSomewhere() {
        let offered = Set(["memory", "cpu", "io", "migration"].flatMap { FigureCatalog.kinds(for: $0) })
        for kind in ChartKind.allCases {
            #expect(offered.contains(kind) || [.venn, .walk2D, .bars, .sweep].contains(kind), "\(kind.rawValue) is drawn nowhere")
        }
    }

    @Test func anUnknownChartListsTheKinds() throws {
        let r = try ReliabilityTests.cli(["render", "--chart", "pie", "-o", "/tmp/never.png"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("exit-reasons") && r.stderr.contains("2d-walk"), "\(r.stderr)")
    }
}

@Suite struct ExerciseCommandTests {
    @Test func exercisesPrintAndRefuseMistakes() throws {
        let list = try ReliabilityTests.cli(["exercise", "list"])
        #expect(list.status == 0 && list.stdout.contains("walk") && list.stdout.contains("precopy"))
        let a = try ReliabilityTests.cli(["exercise", "walk", "--student", "ada"])
        let b = try ReliabilityTests.cli(["exercise", "walk", "--student", "ada"])
        #expect(a.status == 0 && a.stdout == b.stdout)
        #expect(!a.stdout.contains("Answers"), "the problem alone has no answers")
        let key = try ReliabilityTests.cli(["exercise", "walk", "--student", "ada", "--answer", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(key.stdout.utf8)) as! [String: Any]
        #expect((object["answers"] as? [[String: String]])?.first?["tolerance"] == "exact")
        // A worksheet has no answers, its key has all of them, for every student; rebuilding gives the same bytes.
        let dir = ReliabilityTests.folder("sheet")
        defer { removeTree(dir) }
        for round in 0..<2 {
            let r = try ReliabilityTests.cli(["exercise", "sheet", "--kinds", "walk,precopy", "--students", "ada,grace,linus",
                                              "-o", "\(dir)/sheet\(round).html", "--key", "\(dir)/key\(round).html"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let sheet = String(decoding: readFile("\(dir)/sheet0.html")!, as: UTF8.self)
        let answerKey = String(decoding: readFile("\(dir)/key0.html")!, as: UTF8.self)
        #expect(readFile("\(dir)/sheet0.html") == readFile("\(dir)/sheet1.html") && readFile("\(dir)/key0.html") == readFile("\(dir)/key1.html"))
        #expect(!sheet.contains("class=\"answers\"") && sheet.components(separatedBy: "class=\"space\"").count - 1 == 6)
        #expect(answerKey.components(separatedBy: "class=\"answers\"").count - 1 == 6 && !answerKey.contains("class=\"space\""))
        for name in ["ada", "grace", "linus"] {
            let walk = try ReliabilityTests.cli(["exercise", "walk", "--student", name, "--answer", "--json"])
            let answer = ((try JSONSerialization.jsonObject(with: Data(walk.stdout.utf8)) as! [String: Any])["answers"] as! [[String: String]])[0]["value"]!
            #expect(answerKey.contains("<strong>\(name)</strong>") && answerKey.contains("<strong>references:</strong> \(answer) "), "\(name)")
        }
        let none = try ReliabilityTests.cli(["exercise", "sheet", "-o", "\(dir)/x.html", "--key", "\(dir)/y.html"])
        #expect(none.status == 2 && none.stderr.contains("needs students"))
        for (args, message) in [(["exercise", "tlb"], "no exercise kind 'tlb'"),
                                (["exercise", "walk", "--seed", "1", "--student", "ada"], "not both"),
                                (["exercise", "walk", "--seed", "9223372036854775808"], "at most")] {
            let r = try ReliabilityTests.cli(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    /// The Moodle bank parses as XML; every numerical question carries its tolerance (the
    /// exercise's relative tolerance as Moodle's absolute error); single-answer choices have one
    /// right option; multi-answer sets give full marks for exactly the right options; same input, same bytes.
    @Test func aMoodleBankParsesWithTolerancesAndRightAnswers() throws {
        let dir = ReliabilityTests.folder("moodle")
        defer { removeTree(dir) }
        for round in 0..<2 {
            let r = try ReliabilityTests.cli(["exercise", "moodle", "--variants", "3", "-o", "\(dir)/bank\(round).xml"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(readFile("\(dir)/bank0.xml") == readFile("\(dir)/bank1.xml"))
        let doc = try XMLDocument(data: Data(readFile("\(dir)/bank0.xml")!))
        let questions = try doc.nodes(forXPath: "/quiz/question").compactMap { $0 as? XMLElement }
        let byType = Dictionary(grouping: questions) { $0.attribute(forName: "type")?.stringValue ?? "" }
        #expect(byType["category"]?.count == ExerciseKind.allCases.count)
        var expected = 0
        for k in ExerciseKind.allCases { for seed in UInt64(1)...3 { expected += try Exercises.make(k, seed: seed).answers.count } }
        #expect((byType["numerical"]?.count ?? 0) + (byType["multichoice"]?.count ?? 0) == expected)
        for q in byType["numerical"] ?? [] {
            let answer = try #require(try q.nodes(forXPath: "answer").first as? XMLElement)
            let value = try #require(Double(try answer.nodes(forXPath: "text").first?.stringValue ?? ""))
            let tolerance = try #require(Double(try answer.nodes(forXPath: "tolerance").first?.stringValue ?? ""), "a numerical question without tolerance")
            let text = try q.nodes(forXPath: "questiontext/text").first?.stringValue ?? ""
            #expect(text.contains("±2 %") ? abs(tolerance - 0.02 * abs(value)) < 1e-9 : tolerance == 0, "\(text.suffix(80)): \(tolerance)")
            #expect(!(try q.nodes(forXPath: "generalfeedback/text").first?.stringValue ?? "").isEmpty)
        }
        for q in byType["multichoice"] ?? [] {
            let single = try q.nodes(forXPath: "single").first?.stringValue == "true"
            let fractions = try q.nodes(forXPath: "answer").compactMap { ($0 as? XMLElement)?.attribute(forName: "fraction")?.stringValue }.compactMap(Double.init)
            if single {
                #expect(fractions.filter { $0 == 100 }.count == 1 && fractions.allSatisfy { $0 == 0 || $0 == 100 })
            } else {
                #expect(abs(fractions.filter { $0 > 0 }.reduce(0, +) - 100) < 0.01, "the right options add up to full marks: \(fractions)")
            }
        }
        let bad = try ReliabilityTests.cli(["exercise", "moodle", "-o", "\(dir)/bank.txt"])
        #expect(bad.status == 2 && bad.stderr.contains("moodle needs -o BANK.xml"))
    }

    /// A case: the report hides the configuration; the reference fix is accepted, the case as it
    /// is is not; a proposal that changes the workload or another topic is refused with exit 2.
    @Test func aCaseIsMadeCheckedAndKeyed() throws {
        let dir = ReliabilityTests.folder("case")
        defer { removeTree(dir) }
        let made = try ReliabilityTests.cli(["case", "new", "io", "--seed", "4", "-o", "\(dir)/case"])
        #expect(made.status == 0, "\(made.stderr)")
        let page = String(decoding: readFile("\(dir)/case/index.html")!, as: UTF8.self)
        let c = try Cases.make(.io, seed: 4)
        #expect(!page.contains("id=\"run\"") && !page.contains("virtlab run"), "the reproducibility block would give the configuration away")
        #expect(directoryNames("\(dir)/case").allSatisfy { !$0.hasSuffix(".vlt") && $0 != "index.yaml" && $0 != "case-io-4.yaml" })
        #expect(page.contains("Target: exits_per_op"))
        let key = try ReliabilityTests.cli(["case", "key", "\(dir)/case"])
        #expect(key.status == 0 && key.stdout.contains("reference fix:") && key.stdout.contains("hidden configuration: preset \(c.base.rawValue)"))
        func check(_ yaml: String) throws -> ReliabilityTests.Outcome {
            try OutputFile.write(text: yaml, to: "\(dir)/p.yaml")
            return try ReliabilityTests.cli(["case", "check", "\(dir)/case", "\(dir)/p.yaml"])
        }
        var fix = ""
        for (k, v) in c.reference.sorted(by: { $0.key < $1.key }) { fix += "\(k): \(v.description)\n" }
        let good = try check(fix), none = try check("# nothing changed\n")
        #expect(good.status == 0 && good.stdout.hasSuffix("meets the target\n"), "\(good.stdout)\(good.stderr)")
        #expect(none.status == 0 && none.stdout.hasSuffix("does not meet the target\n"), "\(none.stdout)")
        let workload = try check("io:\n  workload:\n    bytes: 64\n"), other = try check("migration:\n  strategy: post-copy\n")
        #expect(workload.status == 2 && workload.stderr.contains("is part of the case"))
        #expect(other.status == 2 && other.stderr.contains("a proposal for migration does not apply"))
        let unknown = try ReliabilityTests.cli(["case", "new", "gpu", "-o", "\(dir)/x"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no case family 'gpu'") && !fileExists("\(dir)/x"))
    }

    /// The run page links its explorer data; --window writes a page whose explorer holds only
    /// that stretch, with every event; a window given wrongly is refused.
    @Test func aReportsExplorerAndItsWindow() throws {
        let dir = ReliabilityTests.folder("window")
        defer { removeTree(dir) }
        let trace = try ReliabilityTests.smallTrace(in: dir, name: "w")
        let whole = try ReliabilityTests.cli(["report", trace, "-o", "\(dir)/whole"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let page = String(decoding: readFile("\(dir)/whole/index.html")!, as: UTF8.self)
        #expect(page.contains("<script src=\"explorer/run.js\"></script>") && page.contains("<div class=\"explorer\" data-trace=\"run\">"))
        #expect(fileExists("\(dir)/whole/explorer.js") && fileExists("\(dir)/whole/explorer/run.js"))
        let reader = try TraceReader(path: trace)
        let span = try #require(reader.indexedSpan)
        let from = span.lowerBound + (span.upperBound - span.lowerBound) / 4, to = from + (span.upperBound - span.lowerBound) / 10
        let part = try ReliabilityTests.cli(["report", trace, "-o", "\(dir)/part", "--window", "\(from):\(to)"])
        #expect(part.status == 0, "\(part.stderr)")
        let data = String(decoding: readFile("\(dir)/part/explorer/run.js")!, as: UTF8.self)
        #expect(data.contains("\"start\":\(from),\"end\":\(to)") && data.contains("\"window\":[\(from),\(to)]"))
        #expect(String(decoding: readFile("\(dir)/part/index.html")!, as: UTF8.self).contains("This page shows the window"))
        for bad in ["5ms", "3ms:1ms", "a:b", "1:2:3"] {
            let r = try ReliabilityTests.cli(["report", trace, "-o", "\(dir)/bad", "--window", bad])
            #expect(r.status == 2 && r.stderr.contains("--window"), "\(bad): \(r.stderr)")
        }
        #expect(!fileExists("\(dir)/bad"))
    }

    /// A comparison leads with what differs: one changed key listed, nothing else; repetitions
    /// (only the seed differs) said as such; key results against the baseline; a baseline that
    /// is no run refused.
    @Test func aComparisonSaysWhatDiffers() throws {
        let dir = ReliabilityTests.folder("differs")
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
        let r = try ReliabilityTests.cli(["report", "\(dir)/a.vlt", "\(dir)/b.vlt", "-o", "\(dir)/ab", "--baseline", "cmp-b"])
        #expect(r.status == 0, "\(r.stderr)")
        let page = String(decoding: readFile("\(dir)/ab/index.html")!, as: UTF8.self)
        let differs = String(page[page.range(of: "<section id=\"differences\">")!.lowerBound..<page.range(of: "<section id=\"key-results\">")!.lowerBound])
        #expect(differs.contains("1 of ") && differs.contains("scenario keys differ; the seed is the same"), "\(differs)")
        #expect(differs.contains("<th scope=\"row\">memory.mode</th>") && differs.components(separatedBy: "<th scope=\"row\">").count == 2)
        #expect(page.contains("each run against the baseline, cmp-b") && page.contains("×)</td>"))
        let reps = try ReliabilityTests.cli(["report", "\(dir)/a.vlt", "\(dir)/a2.vlt", "-o", "\(dir)/reps"])
        #expect(reps.status == 0)
        #expect(String(decoding: readFile("\(dir)/reps/index.html")!, as: UTF8.self).contains("share every scenario key but the seed"))
        let bad = try ReliabilityTests.cli(["report", "\(dir)/a.vlt", "\(dir)/b.vlt", "-o", "\(dir)/bad", "--baseline", "nope"])
        #expect(bad.status == 2 && bad.stderr.contains("--baseline nope: no such run") && !fileExists("\(dir)/bad"))
    }
}
