import Course
import ArgumentParser

/// `--templates DIR`, said once for every command that renders pages.
struct TemplatesOption: ParsableArguments {
    @Option(help: "Folder with the Mustache templates and style sheets (default: $VIRTLAB_TEMPLATES, a Templates folder beside the executable, or the checkout's).")
    var templates: String?
}

/// `--threads N`, said and checked once for every command that runs simulations in parallel.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Parallel simulations (default: the number of cores).")
    var threads: Int?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// `--salvage`, said once for every command that reads traces.
struct SalvageOption: ParsableArguments {
    @Flag(help: "Read a damaged or unfinished trace: skip damaged blocks, use what is intact, and say what was lost.")
    var salvage = false
}

/// `-q, --quiet`, said once for every command that reports progress.
struct QuietOption: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress lines and no summary on standard error.")
    var quiet = false
}
