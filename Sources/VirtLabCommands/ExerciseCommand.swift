import ArgumentParser
import Export
import Simulation

/// `virtlab exercise`: seeded problems whose answers come from running the simulator (OSTEP-style).
struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Make a seeded exercise (each student a variant) and answer it by simulation.",
        discussion: """
        `virtlab exercise list` names the kinds. `virtlab exercise KIND --seed N` (or \
        `--student NAME`, which picks the seed from the name) prints a problem; `--answer` adds \
        the answers — computed by running VirtLab's simulator on exactly that problem — with \
        their tolerance and an explanation. The same seed gives the same exercise.

        Examples:
          virtlab exercise list
          virtlab exercise walk --student ada
          virtlab exercise precopy --seed 7 --answer
        """
    )

    @Argument(help: ArgumentHelp("list, or a kind: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: String

    @Option(help: "The exercise's seed (0 … 2^63−1).")
    var seed: UInt64?

    @Option(help: "A student's name: the seed comes from it.")
    var student: String?

    @Flag(help: "Print the answers and the explanation too.")
    var answer = false

    @Flag(help: "Print a JSON object.")
    var json = false

    func validate() throws {
        if seed != nil && student != nil { throw ValidationError("give --seed or --student, not both") }
        if let seed, seed > UInt64(Int64.max) { throw ValidationError("--seed must be at most 2^63−1") }
        if kind != "list" && ExerciseKind(rawValue: kind) == nil {
            throw ValidationError("no exercise kind '\(kind)'; kinds: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", ")) (or list)")
        }
    }

    func run() throws {
        guard let k = ExerciseKind(rawValue: kind) else {
            for k in ExerciseKind.allCases { print(k.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + k.summary) }
            return
        }
        let s = seed ?? student.map(Exercises.seed(student:)) ?? 1
        let e = try Exercises.make(k, seed: s)
        if json {
            var fields = ["\"kind\": \(ExportText.json(k.rawValue))", "\"seed\": \(s)", "\"title\": \(ExportText.json(e.title))",
                          "\"problem\": \(ExportText.json(e.problem))"]
            if answer {
                fields.append("\"answers\": [" + e.answers.map {
                    "{\"name\": \(ExportText.json($0.name)), \"value\": \(ExportText.json($0.value)), \"tolerance\": \(ExportText.json($0.tolerance))}"
                }.joined(separator: ", ") + "]")
                fields.append("\"explanation\": \(ExportText.json(e.explanation))")
            }
            print("{" + fields.joined(separator: ", ") + "}")
            return
        }
        print("\(e.title) (virtlab exercise \(k.rawValue) --seed \(s))\n\n\(e.problem)")
        if answer {
            print("\nAnswers (by simulation):")
            for a in e.answers { print("  \(a.name): \(a.value)  (\(a.tolerance))") }
            print("\n\(e.explanation)")
        }
    }
}
