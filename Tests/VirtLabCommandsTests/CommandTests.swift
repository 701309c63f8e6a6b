import Course
import Analysis
import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import Testing
import SafeOutput
import TraceFormat
import Charts
@testable import VirtLabCommands
import Reports

@Suite struct CommandTests {
    static let dir = FileManager.default.temporaryDirectory.path
    /// The checkout: Tests/VirtLabCommandsTests/CommandTests.swift → ../..
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func small(_ name: String = "cmd-test") throws -> Scenario {
        let yaml = (Preset.named("tlb-thrash-native")!.yaml)
            .replacingOccurrences(of: "accesses: 2000000", with: "accesses: 50000").replacingOccurrences(of: "working_set_mib: 512", with: "working_set_mib: 8")
            .replacingOccurrences(of: "counter_interval: 65536", with: "counter_interval: 5000")
        return try ScenarioDecoder.decode(text: yaml, source: name)
    }

    static func tracePath(_ tag: String) -> String { "\(dir)/virtlab-cmd-\(tag)-\(UUID().uuidString).vlt" }

    @Test func runTwiceGivesIdenticalTraces() throws {
        let s = try Self.small()
        let a = Self.tracePath("a"), b = Self.tracePath("b")
        defer { unlink(a); unlink(b) }
        _ = try Runs.simulate(s, to: a)
        _ = try Runs.simulate(s, to: b)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test func showRunInspectPipelineWorks() throws {
        // `scenarios show NAME > s.yaml && run s.yaml -o t.vlt && inspect t.vlt --json`
        let yamlPath = "\(Self.dir)/virtlab-show-\(UUID().uuidString).yaml"
        let trace = Self.tracePath("pipe")
        defer { unlink(yamlPath); unlink(trace) }
        try Preset.named("compute-bound-shadow")!.yaml.write(toFile: yamlPath, atomically: true, encoding: .utf8)
        var run = try RunCommand.parse([yamlPath, "-o", trace, "--quiet", "--seed", "11"])
        try run.run()
        let reader = try TraceReader(path: trace)
        #expect(reader.header.seed == 11)
        #expect(reader.header[metadata: "scenario"] == Preset.named("compute-bound-shadow")!.yaml)
        let (stats, report) = try TraceStatistics.gather(reader)
        let json = InspectCommand.json(reader, stats, report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["format_version", "events", "span_ns", "counts", "metrics", "exit_reasons"] { #expect(object[key] != nil, "\(key)") }
        #expect(object["events"] as? Int == Int(stats.events))
        let metrics = try #require(object["metrics"] as? [String: [String: Any]])
        #expect(metrics["accesses"]?["value"] as? Int == 4_000_000)
        #expect(metrics["accesses"]?["unit"] as? String == "count")
        let text = InspectCommand.text(reader, stats, report)
        #expect(text.contains("page_fault"))
        #expect(text.contains("tlb_hit_rate"))
    }

    @Test func badScenarioWritesNoTrace() throws {
        let yamlPath = "\(Self.dir)/virtlab-bad-\(UUID().uuidString).yaml"
        let trace = Self.tracePath("never")
        defer { unlink(yamlPath) }
        try "name: x\ntopic: memory\nmemory:\n  levels: 9\n".write(toFile: yamlPath, atomically: true, encoding: .utf8)
        var run = try RunCommand.parse([yamlPath, "-o", trace, "--quiet"])
        #expect(throws: ScenarioError.self) { try run.run() }
        #expect(!FileManager.default.fileExists(atPath: trace))
        #expect(VirtLabCLI.describe(ScenarioError(source: "x", "y"))?.1 == 2)
    }

    @Test func failedWriteLeavesNothingUnderTheFinalName() throws {
        let target = Self.tracePath("atomic")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try OutputFile.writing(target) { file in
                try file.write([1, 2, 3])
                throw Boom()
            }
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        let (dir, base) = splitPath(target)
        #expect(!directoryNames(dir).contains { $0.hasPrefix(".\(base).") }, "no temporary file left beside the target")
    }

    @Test func unknownPresetIsBadInput() {
        #expect(throws: CourseError.self) { try ScenarioSource.load("no-such-preset") }
    }

    @Test func exportsStreamEveryEvent() throws {
        let trace = Self.tracePath("export")
        defer { unlink(trace) }
        let (events, _) = try Runs.simulate(try Self.small(), to: trace)
        for format in ExportCommand.ExportFormat.allCases where format != .sqlite && format != .npz {
            let out = "\(Self.dir)/virtlab-export-\(UUID().uuidString).\(format)"
            defer { unlink(out) }
            var cmd = try ExportCommand.parse([trace, "--format", format.rawValue, "-o", out])
            try cmd.run()
            let text = try String(contentsOfFile: out, encoding: .utf8)
            let lines = text.split(separator: "\n")
            switch format {
            case .csv:
                #expect(lines.count == Int(events) + 1)
                #expect(lines[0].hasPrefix("time_ns,kind,category,page,fault,vcpu,accesses,tlb_hits,tlb_misses,walk_refs,page_faults,exits,refs,reason,duration"))
                #expect(lines[1].contains(",page_fault,memory,"))
                #expect(lines[1].contains("not_present"))
            case .jsonl:
                #expect(lines.count == Int(events))
                for line in lines.prefix(50) { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
            case .chrome:
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                let list = try #require(object["traceEvents"] as? [[String: Any]])
                #expect(list.filter { $0["ph"] as? String != "M" }.count == Int(events))
                #expect(list.contains { $0["ph"] as? String == "C" })
                #expect(list.contains { $0["ph"] as? String == "i" })
            case .sqlite, .npz:
                Issue.record("binary formats are tested in ExportTests and below")
            }
        }
    }

    @Test func chromeIntervalsStartDurationBeforeTheirStamp() throws {
        let schema = try Schema([EventKind(id: 1, name: "vm_exit", category: .cpu, shape: .interval, fields: [
            FieldSpec("reason", .enumeration(["io"])), FieldSpec("duration", .duration), FieldSpec("vcpu", .unsigned),
        ])])
        let trace = Self.tracePath("chrome")
        let out = trace + ".json"
        defer { unlink(trace); unlink(out) }
        let w = try TraceWriter(path: trace, header: TraceHeader(writerVersion: "t", seed: 1, schema: schema))
        try w.append(1, at: 5_500, 0, 1_500, 1)
        try w.close(summary: [])
        var cmd = try ExportCommand.parse([trace, "--format", "chrome", "-o", out])
        try cmd.run()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let x = (object["traceEvents"] as! [[String: Any]]).first { $0["ph"] as? String == "X" }!
        #expect(x["ts"] as? Double == 4.0)
        #expect(x["dur"] as? Double == 1.5)
        #expect(x["tid"] as? Int == 2)
    }

    @Test func helpListsEnumValuesAndExamples() {
        let help = ExportCommand.helpMessage()
        #expect(help.contains("csv"))
        #expect(help.contains("jsonl"))
        #expect(help.contains("chrome"))
        #expect(help.contains("Example"))
        for command in [RunCommand.self, InspectCommand.self, CourseCommand.self, BenchCommand.self] as [any ParsableCommand.Type] {
            #expect(command.helpMessage().contains("Example"), "\(command)")
        }
    }

    /// Every command's help, with its subcommands'.
    static func allHelp(_ command: any ParsableCommand.Type, path: [String] = []) -> [(String, String)] {
        let name = (path + [command.configuration.commandName ?? "\(command)"]).joined(separator: " ")
        return [(name, command.helpMessage())] + command.configuration.subcommands.flatMap { allHelp($0, path: path + [command.configuration.commandName ?? ""]) }
    }

    /// A preset named in an example must exist: `native-random` was named three times after it
    /// was gone. Every `virtlab run|sweep NAME` and `scenarios show NAME` with a bare name (not a
    /// file) in any help text is checked against the presets.
    @Test func everyPresetAnExampleNamesExists() throws {
        let help = Self.allHelp(VirtLabCLI.self)
        #expect(help.count > 20, "every command and subcommand: \(help.map(\.0))")
        let pattern = try Regex(#"virtlab (?:run|sweep|scenarios show) ([A-Za-z0-9][A-Za-z0-9_.\-]*)"#)
        var named: [(String, String)] = []
        for (command, text) in help {
            for m in text.matches(of: pattern) {
                let arg = String(m.output[1].substring ?? "")
                if arg.contains(".") || arg.contains("/") || arg.uppercased() == arg { continue } // a file or a placeholder
                named.append((command, arg))
            }
        }
        #expect(!named.isEmpty)
        for (command, preset) in named { #expect(Preset.named(preset) != nil, "\(command)'s help names the preset \(preset), which does not exist") }
    }

    @Test func formatHelpersAreDeterministic() {
        #expect(Format.micros(4_000) == "4.000")
        #expect(Format.micros(1_234_567) == "1234.567")
        #expect(Format.duration(950) == "950 ns")
        #expect(Format.duration(12_340) == "12.3 µs")
        #expect(Format.json("a\"b\n") == "\"a\\\"b\\n\"")
        #expect(Format.csv("a,b") == "\"a,b\"")
        #expect(String(format4: 0.00391, digits: 4) == "0.0039")
    }
}

@Suite struct IsaCommandTests {
    @Test func checkJSONHasTheTheoremsAndRegions() throws {
        let isa = try ShippedProfiles.profile("x86-legacy")!
        let json = IsaCommand.Check.json(VirtualizabilityReport(isa))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["profile"] as? String == "x86-legacy")
        for key in ["theorem1", "theorem2", "theorem3"] {
            let v = try #require(object[key] as? [String: Any])
            #expect(v["holds"] as? Bool == false)
            #expect(v["counterexamples"] is [String])
        }
        let regions = try #require(object["regions"] as? [String: [String]])
        #expect(regions["sensitive_not_privileged"]?.contains("POPF") == true)
        #expect(regions["safe"]?.contains("ADD") == true)
    }

    @Test func userProfileFilesAreCheckedWithLines() throws {
        let path = "\(CommandTests.dir)/virtlab-profile-\(UUID().uuidString).yaml"
        defer { unlink(path) }
        try "name: mine\ninstructions:\n  - mnemonic: X\n    privileged: true\n  - mnemonic: X\n".write(toFile: path, atomically: true, encoding: .utf8)
        var check = try IsaCommand.Check.parse([path])
        let e = #expect(throws: ScenarioError.self) { try check.run() }
        #expect(e?.line == 5)
        #expect(VirtLabCLI.describe(e!)?.1 == 2)
    }

    @Test func cpuRunWithAUserProfileFile() throws {
        let profile = "\(CommandTests.dir)/virtlab-prof-\(UUID().uuidString).yaml"
        let trace = CommandTests.tracePath("cpu-user")
        defer { unlink(profile); unlink(trace) }
        try ShippedProfiles.yaml("pg-ideal")!.replacingOccurrences(of: "name: pg-ideal", with: "name: my-machine")
            .write(toFile: profile, atomically: true, encoding: .utf8)
        let s = try ScenarioDecoder.decode(text: "name: t\ntopic: cpu\ncpu:\n  profile: \(profile)\n  workload:\n    instructions: 20000\n", source: "s")
        _ = try Runs.simulate(s, to: trace)
        #expect(try TraceReader(path: trace).header[metadata: "profile"]?.contains("my-machine") == true)
    }
}

@Suite struct RenderCommandTests {
    @Test func rendersAFigureAndPrintsNoPartialFileOnBadInput() throws {
        let trace = CommandTests.tracePath("render")
        let out = "\(CommandTests.dir)/virtlab-render-\(UUID().uuidString).svg"
        defer { unlink(trace); unlink(out) }
        let s = try Preset.named("precopy-moderate")!.scenario()
        _ = try Runs.simulate(s, to: trace)
        var ok = try RenderCommand.parse([trace, "--chart", "rounds", "--format", "svg", "-o", out])
        try ok.run()
        #expect(FileManager.default.fileExists(atPath: out))
        var wrong = try RenderCommand.parse([trace, "--chart", "exit-reasons", "-o", out + ".png"])
        let e = #expect(throws: ReportError.self) { try wrong.run() }
        #expect(e?.description.contains("available: rounds, stages, remaining, heatmap, wws-venn, timeline, event-counts") == true)
        #expect(!FileManager.default.fileExists(atPath: out + ".png"))
        #expect(throws: (any Error).self) { try RenderCommand.parse([trace, "--chart", "rounds", "--width", "0", "-o", out]) }
        var unwritable = try RenderCommand.parse([trace, "--chart", "rounds", "-o", "/nonexistent-dir/x.png"])
        #expect(throws: (any Error).self) { try unwritable.run() }
    }

    /// The 2-D walk without a trace (any depth), from a memory trace's own configuration, and
    /// refused for a trace of another topic.
    @Test func theTwoDimensionalWalkIsDrawnForAConfiguration() throws {
        let out = "\(CommandTests.dir)/virtlab-walk-\(UUID().uuidString).svg"
        defer { unlink(out) }
        try RenderCommand.parse(["--chart", "2d-walk", "--format", "svg", "-o", out]).run()
        #expect(FileManager.default.fileExists(atPath: out))
        #expect(Diagrams.walk2D(MemoryConfig(try Preset.named("tlb-thrash-nested")!.scenario())).references == 24)
        var deep = MemoryConfig(try Preset.named("tlb-thrash-nested")!.scenario())
        deep.levels = 5
        deep.nestedLevels = 5
        #expect(Diagrams.walk2D(deep).references == 35)
        #expect(throws: (any Error).self) { try RenderCommand.parse(["--chart", "2d-walk", "--guest-levels", "6", "-o", out]) }
        let small = CommandTests.tracePath("walk-2m")
        defer { unlink(small) }
        let s = try Preset.named("tlb-thrash-2m-nested")!.scenario()
        _ = try Runs.simulate(try ScenarioDecoder.decode(text: s.text.replacingOccurrences(of: "accesses: ", with: "accesses: 1000 #"), source: "t"), to: small)
        try RenderCommand.parse([small, "--chart", "2d-walk", "-o", out]).run()
        let io = CommandTests.tracePath("walk-io")
        defer { unlink(io) }
        _ = try Runs.simulate(try ScenarioDecoder.decode(text: try Preset.named("net-native")!.scenario().text
            .replacingOccurrences(of: "requests: 200000", with: "requests: 100"), source: "t"), to: io)
        #expect(throws: CommandError.self) { try RenderCommand.parse([io, "--chart", "2d-walk", "-o", out]).run() }
    }

    @Test(arguments: ["memory", "cpu", "io", "migration"])
    func everyTopicsChartsDraw(_ topic: String) throws {
        let preset = Preset.all.first { $0.topic.rawValue == topic && !$0.name.contains("native") && !$0.name.contains("cold") }!
        let trace = CommandTests.tracePath("charts-\(topic)")
        defer { unlink(trace) }
        var s = try preset.scenario()
        if topic == "io" { s = try ScenarioDecoder.decode(text: s.text.replacingOccurrences(of: "requests: 200000", with: "requests: 5000"), source: "t") }
        _ = try Runs.simulate(s, to: trace)
        let reader = try TraceReader(path: trace)
        for kind in FigureCatalog.kinds(for: topic) {
            let chart = try FigureCatalog.chart(kind, reader)
            let out = "\(CommandTests.dir)/virtlab-kind-\(UUID().uuidString).png"
            defer { unlink(out) }
            try FigureRenderer.render(chart, format: .png, theme: .named(.paper), path: out)
            #expect(!chart.caption().isEmpty, "\(topic) \(kind)")
        }
    }
}

@Suite struct EveryChartTests {
    static let rsvg = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// An SVG as PNG through librsvg (`make deps` installs librsvg2-bin).
    static func rasterise(_ svg: String, to png: String) throws {
        let exe = try #require(rsvg, "rsvg-convert is missing: apt-get install librsvg2-bin (make deps does)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [svg, "-o", png]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    /// Every chart kind of every topic, in every format: SVG parses as XML, same input → same bytes.
    @Test(arguments: ["memory", "cpu", "io", "migration"])
    func everyKindInEveryFormat(_ topic: String) throws {
        let preset = Preset.all.first { $0.topic.rawValue == topic && !$0.name.contains("native") && !$0.name.contains("cold") }!
        let trace = CommandTests.tracePath("every-\(topic)")
        defer { unlink(trace) }
        var s = try preset.scenario()
        if topic == "io" { s = try ScenarioDecoder.decode(text: s.text.replacingOccurrences(of: "requests: 200000", with: "requests: 3000"), source: "t") }
        _ = try Runs.simulate(s, to: trace)
        let reader = try TraceReader(path: trace)
        for kind in FigureCatalog.kinds(for: topic) {
            for format in Charts.FigureFormat.allCases {
                let a = "\(CommandTests.dir)/virtlab-every-a-\(UUID().uuidString).\(format.rawValue)"
                let b = "\(CommandTests.dir)/virtlab-every-b-\(UUID().uuidString).\(format.rawValue)"
                defer { unlink(a); unlink(b) }
                try FigureRenderer.render(try FigureCatalog.chart(kind, reader), format: format, theme: .named(.paper), path: a)
                try FigureRenderer.render(try FigureCatalog.chart(kind, reader), format: format, theme: .named(.paper), path: b)
                let da = try Data(contentsOf: URL(fileURLWithPath: a))
                #expect(da == (try Data(contentsOf: URL(fileURLWithPath: b))), "\(topic) \(kind) \(format)")
                if format == .svg {
                    #expect(XMLParser(data: da).parse(), "\(topic) \(kind) SVG does not parse")
                    // Real text: the <text> elements are the words drawn, in order.
                    let (_, drawn) = try FigureRenderer.bytesAndTexts(try FigureCatalog.chart(kind, reader), format: .svg, theme: .named(.paper))
                    let doc = try XMLDocument(data: da)
                    #expect(try doc.nodes(forXPath: "//*[local-name()='text']").map { $0.stringValue ?? "" } == drawn, "\(topic) \(kind)")
                    // Rasterised, the SVG looks like the PNG Cairo draws (antialiased text may differ a little).
                    let png = a + ".png", raster = a + ".raster.png"
                    defer { unlink(png); unlink(raster) }
                    try FigureRenderer.render(try FigureCatalog.chart(kind, reader), format: .png, theme: .named(.paper), path: png)
                    try EveryChartTests.rasterise(a, to: raster)
                    let diff = try #require(PNGProbe.difference(png, raster), "\(topic) \(kind): the rasterised SVG has another size")
                    #expect(diff < 0.04, "\(topic) \(kind): \(Int(diff * 1000)) ‰ of pixels differ between the SVG and the PNG")
                }
            }
        }
    }
}

/// scripts/vlt.py is a reader written from docs/trace-format.md alone: if it decodes what the
/// writer wrote exactly as `virtlab export --format jsonl` does, the specification is complete.
@Suite struct SpecificationReaderTests {
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs scripts/vlt.py on a trace; its standard output.
    static func pythonExport(_ trace: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python!)
        p.arguments = [CommandTests.repoRoot + "/scripts/vlt.py", trace]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return data
    }

    static func swiftExport(_ trace: String) throws -> Data {
        let out = trace + ".jsonl"
        defer { unlink(out) }
        var cmd = try ExportCommand.parse([trace, "--format", "jsonl", "-o", out])
        try cmd.run()
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// Every field type and flag, with hostile strings, over several blocks.
    @Test(.enabled(if: python != nil, "needs python3"))
    func aReaderWrittenFromTheSpecAgreesOnEveryFieldType() throws {
        let kinds = [
            EventKind(id: 3, name: "everything", category: .memory, fields: [
                FieldSpec("u", .unsigned), FieldSpec("s", .signed), FieldSpec("du", .unsigned, delta: true), FieldSpec("ds", .signed, delta: true),
                FieldSpec("e", .enumeration(["zero", "one", "two"])), FieldSpec("pe", .enumeration(["a", "b", "c", "d", "e"]), packed: true),
                FieldSpec("pu", .unsigned, bits: 12), FieldSpec("text", .string), FieldSpec("duration", .duration),
            ]),
            EventKind(id: 900, name: "tick", category: .run, fields: []),
            EventKind(id: 17, name: "span", category: .io, shape: .interval, fields: [FieldSpec("duration", .duration), FieldSpec("vcpu", .unsigned, bits: 6)]),
        ]
        let strings = ["", "plain", "quote \" and \\ backslash", "tab\tnewline\ncontrol\u{1}", "βeta ✓ 🚀"]
        let header = TraceHeader(writerVersion: "test", seed: 9, metadata: [(key: "scenario_name", value: "spec \"reader\"")],
                                 strings: strings, schema: try Schema(kinds))
        let trace = CommandTests.tracePath("spec-reader")
        defer { unlink(trace) }
        let w = try TraceWriter(path: trace, header: header, blockSize: 512)
        var rng = SplitMix64(seed: 5)
        var time: UInt64 = 0
        for i in 0..<3_000 {
            time &+= rng.below(4) == 0 ? 0 : rng.below(1_000_000)
            switch i % 3 {
            case 0:
                let big = rng.below(2) == 0 ? UInt64.max - rng.below(1_000) : rng.below(300)
                try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 9) { f in
                    f[0] = big; f[1] = UInt64(bitPattern: Int64(rng.below(2_000)) - 1_000); f[2] = rng.below(1 << 40)
                    f[3] = UInt64(bitPattern: Int64.min + Int64(rng.below(10))); f[4] = rng.below(3); f[5] = rng.below(5)
                    f[6] = rng.below(4_096); f[7] = rng.below(UInt64(strings.count)); f[8] = rng.below(5_000)
                    try w.append(3, at: time, UnsafeBufferPointer(f))
                }
            case 1: try w.append(900, at: time)
            default: try w.append(17, at: time, rng.below(10_000), rng.below(64))
            }
        }
        try w.close(summary: [Metric("events", 3_000, "count"), Metric("pi", 3.14159, "")])
        let expected = try Self.swiftExport(trace)
        #expect(expected.count > 100_000)
        #expect(try Self.pythonExport(trace) == expected)
    }

    /// Real traces of every topic.
    @Test(.enabled(if: python != nil, "needs python3"), arguments: ["tlb-thrash-nested", "x86-syscall-heavy-binary-translation", "net-paravirtual", "postcopy-prepaging"])
    func aReaderWrittenFromTheSpecAgreesOnEachTopic(_ name: String) throws {
        let trace = CommandTests.tracePath("spec-\(name)")
        defer { unlink(trace) }
        let preset = Preset.named(name)!
        var o = preset.overrides
        switch preset.topic {
        case .memory: o["memory.workload.accesses"] = .integer(20_000)
        case .cpu: o["cpu.workload.instructions"] = .integer(200_000)
        case .io: o["io.requests"] = .integer(2_000)
        case .migration: o["migration.vm.memory_mib"] = .integer(64); o["migration.workload.hot_pages"] = .integer(1_024)
        }
        let s = try Preset(name: name, topic: preset.topic, summary: preset.summary, seed: preset.seed, overrides: o).scenario()
        _ = try Runs.simulate(s, to: trace)
        #expect(try Self.pythonExport(trace) == (try Self.swiftExport(trace)))
    }
}
