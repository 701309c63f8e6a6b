import Course
import Vocabulary
import SafeOutput
import ArgumentParser
import Charts
import Export
import Dispatch
import Reports
import Simulation
import Synchronization
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab course`: the main job. Reads the course's lesson files, runs exactly the presets,
/// scenario files and sweeps they name (in parallel), writes a run page for each, the
/// instruction-set Venn diagrams, and a page per lesson, the index, the gallery and the decks —
/// into a staging folder that replaces OUTPUT only when everything is done. Every claim the
/// lessons make is checked against the runs.
struct CourseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Build the course site from its lesson files: run what they name, check their claims (what `make demo` runs).",
        discussion: """
        The course is a folder of lesson files (default: Templates/lessons): course.yaml names the \
        site and orders the lessons; each LESSON.md is a page — its prose, named values, figures, \
        tables and claims (docs/lessons.md). OUTPUT/index.html follows that order; \
        OUTPUT/LESSON.html is each lesson's page, OUTPUT/decks/ its decks, OUTPUT/runs/NAME.html \
        and OUTPUT/traces/NAME.vlt each run the lessons name, OUTPUT/sweeps/NAME/ each sweep, \
        and OUTPUT/figures/ every figure as SVG, PNG at 2× and PDF, under stable names for slides.

        Every claim ({{? … }}) is checked against the runs. One the data contradicts is reported \
        with its file and line and shown on its page with a note; --strict refuses to build instead.

        The site is built beside OUTPUT and swapped in at the end; a failure or an interruption \
        leaves the previous site as it was. OUTPUT must be new, empty, or a site VirtLab made. \
        The same VirtLab gives byte-identical files on every rebuild.

        Examples:
          virtlab course -o output
          virtlab course init my-course && virtlab course --lessons my-course -o my-site --strict
        """,
        subcommands: [CourseInitCommand.self]
    )

    @Option(name: .shortAndLong, help: "Folder for the site.")
    var output = "output"

    @Option(help: "Folder with course.yaml and the lesson files (default: the templates' lessons/).")
    var lessons: String?

    @Flag(help: "Refuse to build (exit 2) when the data contradicts any claim of the lessons.")
    var strict = false

    @Option(help: "Folder whose sweep-NAME.yaml files the lessons' sweeps name (default: Traces/scenarios here, else the checkout's).")
    var sweeps: String?

    @OptionGroup var templateOptions: TemplatesOption
    var templates: String? { templateOptions.templates }

    @OptionGroup var threadOptions: ThreadsOption
    var threads: Int? { threadOptions.threads }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    @Flag(help: "Replace OUTPUT even when it holds files VirtLab did not write there (everything in it is deleted).")
    var force = false

    func run() throws {
        let stats = try CourseBuilder.build(output: output, sweeps: try sweeps ?? CourseBuilder.defaultSweeps(templates: templates), templates: templates,
                                   lessons: lessons, threads: threads, quiet: quiet, strict: strict, force: force)
        if !quiet { writeStandardError("built \(stats.pages) pages and \(stats.figures) figures; \(stats.claims) claims checked\n") }
        print(output + "/index.html")
    }
}

/// `virtlab course init DIR`: a copy of the shipped lessons to make one's own.
struct CourseInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Copy the shipped lesson files (course.yaml and a lesson per topic) into a new folder to edit.",
        discussion: """
        Edit the copies — reorder the lessons in course.yaml, cut a section, reword or translate a \
        paragraph, add a run of your own as a scenario file beside the lessons — then build with \
        virtlab course --lessons DIR -o SITE. The format is in docs/lessons.md.

        Example:
          virtlab course init my-course
        """
    )

    @Argument(help: "New folder for the lesson files (must not exist, or be empty).")
    var folder: String

    @OptionGroup var templateOptions: TemplatesOption
    var templates: String? { templateOptions.templates }

    func run() throws {
        let source = try TemplateSet.locate(templates) + "/lessons"
        if isDirectory(folder), !directoryNames(folder).isEmpty {
            throw CommandError.badInput("\(folder) is not empty; name a new folder for the lessons")
        }
        let files = directoryNames(source).filter { $0.hasSuffix(".md") || $0.hasSuffix(".yaml") }
        guard !files.isEmpty else { throw CommandError.internalFailure("no lesson files in \(source)") }
        try makeDirectory(folder)
        for f in files {
            guard let bytes = readFile("\(source)/\(f)") else { throw CommandError.internalFailure("cannot read \(source)/\(f)") }
            try OutputFile.write(bytes, to: "\(folder)/\(f)")
        }
        print("\(files.count) files in \(folder); edit them, then: virtlab course --lessons \(folder) -o site")
    }
}
