import Course
import ArgumentParser
import Export
import Reports
import SafeOutput
import TraceFormat
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
          virtlab exercise sheet --kinds walk,precopy --students ada,grace -o sheet.html --key key.html
          virtlab exercise moodle --variants 20 -o virtlab-bank.xml

        `sheet` writes a printable worksheet (one page per student, space for the answers) and \
        a separate answer key for the lecturer; the students come from --students or \
        --students-file (one name a line). `moodle` writes a question bank in Moodle XML: \
        numerical questions with their tolerance, multiple choice with feedback, the worked \
        explanation as general feedback (Moodle: Question bank → Import → Moodle XML).
        """
    )

    @Argument(help: ArgumentHelp("list, sheet, moodle, or a kind: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: String

    @Option(help: "sheet: the kinds, comma-separated (default: all).")
    var kinds: String?

    @Option(help: "sheet: the students, comma-separated.")
    var students: String?

    @Option(help: "sheet: a file with one student name a line.")
    var studentsFile: String?

    @Option(name: .shortAndLong, help: "sheet: the worksheet to write (HTML, print-ready).")
    var output: String?

    @Option(help: "sheet: the answer key to write (HTML).")
    var key: String?

    @OptionGroup var templateOptions: TemplatesOption
    var templates: String? { templateOptions.templates }

    @Option(help: "The exercise's seed (0 … 2^63−1).")
    var seed: UInt64?

    @Option(help: "A student's name: the seed comes from it.")
    var student: String?

    @Flag(help: "Print the answers and the explanation too.")
    var answer = false

    @Flag(help: "Print a JSON object.")
    var json = false

    @Option(help: "moodle: variants per kind (seeds 1, 2, …; or one per --students name).")
    var variants = 10

    func validate() throws {
        if seed != nil && student != nil { throw ValidationError("give --seed or --student, not both") }
        if let seed, seed > UInt64(Int64.max) { throw ValidationError("--seed must be at most 2^63−1") }
        if !["list", "sheet", "moodle"].contains(kind) && ExerciseKind(rawValue: kind) == nil {
            throw ValidationError("no exercise kind '\(kind)'; kinds: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", ")) (or list, sheet, moodle)")
        }
        if kind == "moodle" {
            guard let output, output.hasSuffix(".xml") else { throw ValidationError("moodle needs -o BANK.xml") }
            guard variants >= 1 && variants <= 1_000 else { throw ValidationError("--variants must be 1 to 1000") }
            for k in (kinds ?? "").split(separator: ",") where ExerciseKind(rawValue: String(k)) == nil {
                throw ValidationError("--kinds: no exercise kind '\(k)'; kinds: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if kind == "sheet" {
            guard output != nil, key != nil else { throw ValidationError("sheet needs -o WORKSHEET.html and --key KEY.html") }
            for k in (kinds ?? "").split(separator: ",") where ExerciseKind(rawValue: String(k)) == nil {
                throw ValidationError("--kinds: no exercise kind '\(k)'; kinds: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    /// Writes a worksheet and its answer key for every student and kind.
    func sheet() throws {
        var names = (students ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let studentsFile {
            guard let bytes = readFile(studentsFile), let text = String(validating: bytes, as: UTF8.self) else {
                throw CommandError.badInput("--students-file \(studentsFile): cannot read it as UTF-8 text")
            }
            names += text.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard !names.isEmpty else { throw CommandError.badInput("sheet needs students: --students ada,grace or --students-file FILE") }
        let chosen = kinds.map { $0.split(separator: ",").compactMap { ExerciseKind(rawValue: String($0)) } } ?? ExerciseKind.allCases
        var sheets: [WorksheetPage.Student] = [], keys: [WorksheetPage.Student] = []
        for name in names {
            let seed = Exercises.seed(student: name)
            let made = try chosen.map { try Exercises.make($0, seed: seed) }
            sheets.append(.init(name: name, exercises: made.enumerated().map { i, e in
                .init(number: i + 1, exerciseTitle: e.title, problem: e.problem, answers: nil, explanation: e.explanation)
            }))
            keys.append(.init(name: name, exercises: made.enumerated().map { i, e in
                .init(number: i + 1, exerciseTitle: e.title, problem: e.problem,
                      answers: e.answers.map { .init(answerName: $0.name, value: $0.value, tolerance: $0.tolerance) }, explanation: e.explanation)
            }))
        }
        let set = try TemplateSet(folder: templates)
        let title = "Exercises: " + chosen.map(\.rawValue).joined(separator: ", ")
        try OutputFile.write(text: try set.render(WorksheetPage(title: title, sheetTitle: title, version: VirtLabVersion.current, isKey: false, students: sheets),
                                                  page: "worksheet"), to: output!)
        try OutputFile.write(text: try set.render(WorksheetPage(title: title + " — answer key", sheetTitle: title, version: VirtLabVersion.current,
                                                                isKey: true, students: keys), page: "worksheet"), to: key!)
        print("\(output!): \(names.count) students × \(chosen.count) exercises; answer key: \(key!)")
    }

    /// Writes a Moodle XML question bank: `variants` seeded variants of each kind (or one per student).
    func moodle() throws {
        let chosen = kinds.map { $0.split(separator: ",").compactMap { ExerciseKind(rawValue: String($0)) } } ?? ExerciseKind.allCases
        let names = (students ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let seeds: [(String, UInt64)] = names.isEmpty ? (1...variants).map { ("seed \($0)", UInt64($0)) } : names.map { ($0, Exercises.seed(student: $0)) }
        var made: [(label: String, exercise: Exercise)] = []
        for k in chosen { for (label, seed) in seeds { made.append((label, try Exercises.make(k, seed: seed))) } }
        try OutputFile.write(text: MoodleXML.bank(made), to: output!)
        let questions = made.reduce(0) { $0 + $1.exercise.answers.count }
        print("\(output!): \(questions) questions (\(seeds.count) variants of \(chosen.map(\.rawValue).joined(separator: ", "))) for Moodle: Question bank → Import → Moodle XML format")
    }

    func run() throws {
        if kind == "sheet" { return try sheet() }
        if kind == "moodle" { return try moodle() }
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
