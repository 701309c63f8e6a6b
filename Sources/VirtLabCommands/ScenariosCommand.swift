import Course
import ArgumentParser
import Simulation

/// `virtlab scenarios`: the built-in presets.
struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "List the built-in presets or print one as an editable YAML scenario.",
        discussion: """
        Example:
          virtlab scenarios show fork-heavy-shadow > my.yaml   # edit, then: virtlab run my.yaml
        """,
        subcommands: [List.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One preset a line: name, topic, description.",
            discussion: "Example:\n  virtlab scenarios list")

        func run() {
            let width = Preset.all.map(\.name.count).max() ?? 0
            for p in Preset.all {
                print(p.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + p.topic.rawValue + "  " + p.summary)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a preset as YAML with every key, its default and its allowed range.",
            discussion: "Example:\n  virtlab scenarios show compute-bound-native > s.yaml")

        @Argument(help: "A preset name from `virtlab scenarios list`.")
        var name: String

        func run() throws {
            guard let p = Preset.named(name) else {
                throw CommandError.badInput("no preset named '\(name)'; presets: " + Preset.all.map(\.name).joined(separator: ", "))
            }
            print(p.yaml, terminator: "")
        }
    }
}
