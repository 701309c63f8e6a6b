import ArgumentParser
import Reports
import SafeOutput
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab slides TOPIC -o deck.pptx|deck.pdf`: one topic's lecture deck.
struct SlidesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slides",
        abstract: "Write a topic's lecture deck: PowerPoint (editable text, speaker notes) or a 16:9 PDF.",
        discussion: """
        Simulates the topic's presets as `virtlab course` does and writes the deck the course \
        links from the topic page: title and hook question, the problem, one slide per figure \
        (the section as its title, "what to notice" and the caption as speaker notes), the \
        take-aways. .pptx: text in real text boxes, figures as pictures (SVG with a PNG for \
        viewers without SVG). .pdf: one page per slide, charts drawn as vectors; the speaker \
        notes go to NAME-notes.pdf beside it. `virtlab course` writes all four topics' decks \
        into decks/.

        Examples:
          virtlab slides memory -o memory.pptx
          virtlab slides migration -o migration.pdf
          virtlab slides --course -o course.pptx
        """
    )

    @Argument(help: ArgumentHelp("The topic: \(Topic.allCases.map(\.rawValue).joined(separator: ", ")) (or --course).", valueName: "topic"))
    var topic: String?

    @Flag(help: "The whole course in one deck (every topic in order).")
    var course = false

    @Option(name: .shortAndLong, help: "The deck to write: a .pptx or a .pdf file.")
    var output: String

    @Option(help: "Parallel simulations (default: the number of cores).")
    var threads: Int?

    func validate() throws {
        if course, topic != nil { throw ValidationError("give a topic or --course, not both") }
        if !course, topic.flatMap(Topic.init(rawValue:)) == nil {
            throw ValidationError("\(topic.map { "no topic '\($0)'" } ?? "name a topic"); topics: \(Topic.allCases.map(\.rawValue).joined(separator: ", ")), or --course")
        }
        guard output.hasSuffix(".pptx") || output.hasSuffix(".pdf") else {
            throw ValidationError("-o \(output): name a .pptx (PowerPoint) or .pdf file")
        }
    }

    func run() throws {
        let scratch = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/virtlab-slides-\(getpid())"
        defer { removeTree(scratch) }
        let name = course ? "course" : topic!
        let presets = course ? Preset.all : Preset.all.filter { $0.topic.rawValue == name }
        _ = try CourseCommand.build(output: scratch, sweeps: "/nonexistent", threads: threads, quiet: true, presets: presets)
        let pdf = output.hasSuffix(".pdf")
        guard let deck = readFile("\(scratch)/decks/\(name).\(pdf ? "pdf" : "pptx")") else {
            throw CommandError.internalFailure("the \(name) deck was not written")
        }
        try OutputFile.write(deck, to: output)
        if pdf, let notes = readFile("\(scratch)/decks/\(name)-notes.pdf") {
            try OutputFile.write(notes, to: String(output.dropLast(4)) + "-notes.pdf")
        }
        print(output)
    }
}
