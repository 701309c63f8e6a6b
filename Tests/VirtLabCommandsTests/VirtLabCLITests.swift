import Course
import Analysis
import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import Vocabulary
import SafeOutput
import TraceFormat
import Charts
@testable import VirtLabCommands
import Reports

struct VirtLabCLITests {
    @Test func helpListsEnumValuesAndExamples() {
        let help = ExportCommand.helpMessage()
        expectContains(help, "csv")
        expectContains(help, "jsonl")
        expectContains(help, "chrome")
        expectContains(help, "Example")
        for command in [RunCommand.self, InspectCommand.self, CourseCommand.self, BenchCommand.self] as [any ParsableCommand.Type] {
            expectContains(command.helpMessage(), "Example", "\(command)")
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
        expectGreater(help.count, 20, "every command and subcommand: \(help.map(\.0))")
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
}

/// The commands the site tells students to type must work.
struct TryItCommandTests {
    /// `virtlab …` invocations in a command line (split at `&&`, `>` and `#`), as argument lists.
    static func invocations(_ line: String) -> [[String]] {
        let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? line
        return code.components(separatedBy: "&&").compactMap { part in
            let words = (part.split(separator: ">", maxSplits: 1).first ?? "").split(separator: " ").map(String.init)
            return words.first == "virtlab" ? Array(words.dropFirst()) : nil
        }
    }

    @Test func everyTryItCommandParsesAndNamesRealPresetsAndKeys() throws {
        let course = try Course.load(folder: TestFixtures.repoRoot + "/Templates/lessons")
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
                        expectGreater(plan.runs.count, 1, "\(line)")
                    case "run" where !args[1].hasSuffix(".yaml"), "scenarios" where args[1] == "show":
                        let name = args[0] == "run" ? args[1] : args[2]
                        #expect(Preset.named(name) != nil, "\(line)")
                    case "isa":
                        expectContains(ShippedProfiles.names, args[2], "\(line)")
                    default: break
                    }
                }
            }
            expectAtLeast(count, 3, "\(lesson.id) try-it has too few commands")
            if let key = t.parameter {
                #expect(Topic.allCases.contains { topic in topic.keys.contains { $0.path == key } }, "\(key)")
            }
        }
    }
}
