import SafeOutput
import Reports
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// Running one scenario into a trace file, as `run`, sweeps and the course do.
package enum Runs {
    /// Runs a scenario into `path` atomically.
    /// - Returns: the number of events and the results summary.
    /// - Parameter durable: sync the trace to disk before it takes its name (a lone `run`); the
    ///   course syncs its whole site once, and a sweep rerun verifies and redoes lost traces.
    package static func simulate(_ s: Scenario, to path: String, progress: RunProgress = .silent, durable: Bool = true) throws -> (UInt64, [Metric]) {
        let header = try Runner.header(for: s, files: diskReader)
        let out = try OutputFile.open(path, durable: durable)
        do {
            let writer = try TraceWriter(sink: out, header: header)
            let metrics = try Runner.run(s, writer: writer, progress: progress, files: diskReader)
            let events = writer.eventCount
            try writer.close(summary: metrics) // syncs and renames the file into place
            return (events, metrics)
        } catch {
            out.abandon()
            throw error
        }
    }

    /// Estimates the run (a pilot of a few milliseconds) and refuses a large one without `--yes`,
    /// saying what it would cost; says so too when the trace would not fit on the disk.
    package static func checkCost(_ s: Scenario, writingTo path: String, confirmed: Bool, quiet: Bool) throws {
        let cost = try RunCost.estimate(s, files: diskReader)
        let free = freeBytes(near: path)
        let tooBig = free.map { cost.bytes > Double($0) } ?? false
        guard cost.isLarge || tooBig else { return }
        let lower = cost.sizeKey.map { "lower \($0) (now \(cost.size))" } ?? "make the run smaller"
        let disk = tooBig ? "; the file system holding \(path) has only \(Format.metric(Double(free!), unit: "bytes")) free" : ""
        if confirmed {
            if !quiet { writeStandardError("virtlab: \(s.name): \(cost.summary)\(disk)\n") }
            return
        }
        let what = cost.isLarge ? "is a large run" : "would not fit"
        throw CourseError.badInput("\(s.name) \(what): \(cost.summary)\(disk). Add --yes to run it anyway, or \(lower).")
    }

    /// Free bytes on the file system that will hold `path`, when it can be asked.
    package static func freeBytes(near path: String) -> UInt64? {
        var st = statvfs()
        let (dir, _) = splitPath(path)
        guard statvfs(dir.isEmpty ? "." : dir, &st) == 0 else { return nil }
        return UInt64(st.f_bavail) * UInt64(st.f_frsize)
    }

    /// Reads files a scenario names (user instruction-set profiles), from the working directory.
    package static let diskReader: Runner.FileReader = { path in
        guard let size = regularFileSize(path), size <= ScenarioDecoder.maxBytes, let bytes = readFile(path) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    package static func defaultPath(for name: String) -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return (isDirectory("Traces") ? "Traces/" : "") + (safe.isEmpty ? "run" : safe) + ".vlt"
    }
}
