import Reports
import SafeOutput
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// The rules for a sweep's folder, which grows in place (runs already done are kept): VirtLab
/// writes into `-o DIR` only when DIR is new or empty, or holds this same sweep (its mark names
/// the plan) and nothing else; one process at a time (a lock held for the whole sweep).
package enum SweepFolder {
    static let mark = ".virtlab-sweep"
    static let lockName = ".virtlab-sweep.lock"

    /// The plan as the mark records it: sweep.tsv's lines, then the base scenario.
    static func identity(_ plan: SweepPlan) -> String {
        Sweeps.planSpec(plan) + "base\n" + plan.base.text
    }

    /// Checks DIR may take this sweep, locks it, and marks it; returns the lock (keep it alive).
    /// - Throws: bad input naming foreign files or the other sweep, or that another process holds DIR.
    package static func claim(_ dir: String, plan: SweepPlan, templates: TemplateSet, force: Bool) throws -> SweepLock {
        let intro = "This folder holds a sweep run by VirtLab (virtlab sweep); its plan:\n"
        let expected = intro + identity(plan)
        if isDirectory(dir), !directoryNames(dir).isEmpty, !force {
            if let bytes = readFile("\(dir)/\(mark)"), String(decoding: bytes, as: UTF8.self) != expected {
                throw CourseError.badInput("refusing to write into \(dir): it holds another sweep (its plan is in \(dir)/\(mark)); "
                                            + "choose another folder, or add --force to replace it and everything in it")
            }
            let styles = Set(templates.styles.map(\.name))
            let traces = Set(plan.runs.map(\.traceName))
            // Without the mark nothing proves the folder is a sweep's: it must be empty.
            let marked = fileExists("\(dir)/\(mark)")
            do {
                try FolderGuard.checkOwned(dir, mark: mark, what: "write a sweep into", force: false, markListsFiles: false) { file in
                    marked && belongs(file, in: dir, traces: traces, styles: styles)
                }
            } catch let e as OutputError { throw CourseError.badInput(e.description) }
        }
        try makeDirectory(dir)
        let lock = try Self.lock(dir)
        if force {
            for name in directoryNames(dir) where name != lockName { removeTree("\(dir)/\(name)") }
        }
        try OutputFile.write(text: expected, to: "\(dir)/\(mark)")
        return lock
    }

    /// Whether a file in a sweep folder is one a sweep of this plan writes.
    static func belongs(_ file: String, in dir: String, traces: Set<String>, styles: Set<String>) -> Bool {
        if [mark, lockName, "base.yaml", "sweep.tsv", "results.csv", "index.html"].contains(file) || styles.contains(file) { return true }
        if traces.contains(file) { return true }
        if file.hasPrefix("figures/") || file.hasPrefix("scenarios/") { return !file.dropFirst(file.hasPrefix("figures/") ? 8 : 10).contains("/") }
        if file.hasPrefix("slurm-") && file.hasSuffix(".out") { return true }
        // An --emit-jobs file inside the folder, and its Slurm script.
        if file.hasSuffix(".sbatch") { return true }
        return regularFileSize(followingLinks: false, "\(dir)/\(file).sbatch") != nil
    }

    /// Takes the folder's lock, or says who has it.
    package static func lock(_ dir: String) throws -> SweepLock {
        let path = "\(dir)/\(lockName)"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CourseError.badInput("cannot lock \(dir): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CourseError.badInput("another virtlab sweep is writing into \(dir) right now; wait for it to finish, or choose another folder")
        }
        return SweepLock(fd: fd)
    }
}

/// A held folder lock; released when the value goes away (or the process ends).
package final class SweepLock {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}
