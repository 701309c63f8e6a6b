import Course
import ArgumentParser
import Reports
import SafeOutput
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab slides LESSON -o deck.pptx|deck.pdf`: one lesson's lecture deck.
struct SlidesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slides",
        abstract: "Write a lesson's lecture deck: PowerPoint (editable text, speaker notes) or a 16:9 PDF.",
        discussion: """
        Runs what the lesson names as `virtlab course` does and writes the deck the course links \
        from the lesson's page: title and hook question, the problem, the story, one slide per \
        figure (the section as its title, "what to notice" and the caption as speaker notes), the \
        key activity, debate, what-if questions, questions and take-aways. .pptx: text in real \
        text boxes, figures as pictures (SVG with a PNG for viewers without SVG). .pdf: one page \
        per slide, charts drawn as vectors; the speaker notes go to NAME-notes.pdf beside it. \
        `virtlab course` writes every lesson's decks into decks/.

        Examples:
          virtlab slides memory -o memory.pptx
          virtlab slides migration -o migration.pdf
          virtlab slides --course -o course.pptx
          virtlab course init my-course && virtlab slides cpu --lessons my-course -o cpu.pptx
        """
    )

    @Argument(help: ArgumentHelp("The lesson (its file name without .md: memory, cpu, io, migration in the shipped course), or --course.", valueName: "lesson"))
    var lesson: String?

    @Flag(help: "The whole course in one deck (every lesson in order).")
    var course = false

    @Option(help: "Folder with course.yaml and the lesson files (default: the templates' lessons/).")
    var lessons: String?

    @Option(name: .shortAndLong, help: "The deck to write: a .pptx or a .pdf file.")
    var output: String

    @OptionGroup var threadOptions: ThreadsOption
    var threads: Int? { threadOptions.threads }

    func validate() throws {
        if course, lesson != nil { throw ValidationError("give a lesson or --course, not both") }
        if !course, lesson == nil { throw ValidationError("name a lesson (memory, cpu, io, migration in the shipped course), or --course") }
        guard output.hasSuffix(".pptx") || output.hasSuffix(".pdf") else {
            throw ValidationError("-o \(output): name a .pptx (PowerPoint) or .pdf file")
        }
    }

    func run() throws {
        let scratch = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/virtlab-slides-\(getpid())"
        defer { removeTree(scratch) }
        let name = course ? "course" : lesson!
        _ = try CourseBuilder.build(output: scratch, sweeps: try CourseBuilder.defaultSweeps(templates: nil), lessons: lessons, threads: threads,
                                    quiet: true, lesson: course ? nil : name)
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
