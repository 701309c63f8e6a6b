import Charts
#if canImport(Glibc)
import Glibc
#endif

/// A static site being built: everything goes into a staging folder beside the target, which is
/// swapped in whole by `commit()`. A failure (or a kill) before that leaves the previous site as
/// it was; the staging folder of a killed build is removed by the next build.
package final class Site: Sendable {
    /// The folder the finished site replaces.
    package let target: String
    /// Where the site is being built.
    package let staging: String
    package let templates: TemplateSet

    /// Marks a folder as a VirtLab site, which a later build may replace as a whole.
    package static let marker = ".virtlab-site"
    static let markerText = "This folder is a site built by VirtLab (virtlab course / virtlab report); the next build replaces it as a whole.\n"

    /// Prepares a staging folder for `target`. Refuses to replace a non-empty folder that VirtLab
    /// did not make (no mark, and not just the course README), so `-o ~/Documents` cannot wipe anything.
    package init(target: String, templates: TemplateSet) throws {
        var t = target
        while t.count > 1, t.hasSuffix("/") { t.removeLast() }
        let (parent, base) = splitPath(t)
        guard !base.isEmpty, base != ".", base != ".." else {
            throw ReportError.badInput("cannot build a site into \(target): name a folder (for example -o output)")
        }
        if isDirectory(t) {
            let entries = directoryEntries(t)
            // The checkout's output/ holds only the README VirtLab writes into every course site
            // (tracked by git, the one file there that is); that folder is VirtLab's too.
            let onlyOurReadme = entries == ["README.md"]
                && readFile("\(t)/README.md") == readFile("\(templates.folder)/output-README.md")
            if !entries.isEmpty, !entries.contains(Self.marker), !onlyOurReadme {
                throw ReportError.badInput("refusing to replace \(t): it is not empty and was not made by VirtLab (no \(Self.marker)); choose a new or empty folder")
            }
        } else if fileExists(t) {
            throw ReportError.badInput("\(t) is a file, not a folder; choose a folder for the site")
        }
        if !parent.isEmpty { try makeDirectory(parent) }
        // Leftovers of killed builds into the same target.
        for entry in directoryEntries(parent.isEmpty ? "." : parent) where entry.hasPrefix(".\(base).staging-") {
            let pid = Int32(entry.dropFirst(".\(base).staging-".count)) ?? 0
            if pid == getpid() || (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) { removeTree(parent + entry) }
        }
        self.target = t
        self.staging = "\(parent).\(base).staging-\(getpid())"
        self.templates = templates
        try makeDirectory(staging)
        try write(text: Self.markerText, to: Self.marker)
        for style in templates.styles { try AtomicFile.write(bytes: style.bytes, to: "\(staging)/\(style.name)") }
    }

    /// The staging path of a file of the site.
    package func path(_ relative: String) -> String { "\(staging)/\(relative)" }

    /// Writes a text file of the site (creating its folder).
    package func write(text: String, to relative: String) throws {
        let full = path(relative)
        let (dir, _) = splitPath(full)
        if !dir.isEmpty { try makeDirectory(dir) }
        try AtomicFile.write(text: text, to: full)
    }

    /// Renders a page model with a page template into a file of the site.
    package func page(_ model: Any, template: String, to relative: String) throws {
        try write(text: try templates.render(model, page: template), to: relative)
    }

    /// Swaps the finished site in: one atomic exchange where the kernel has it (renameat2), else
    /// two renames a moment apart. The old site is deleted afterwards.
    package func commit() throws {
        if !fileExists(target) {
            guard rename(staging, target) == 0 else { throw failure("move the new site to \(target)") }
            return
        }
        if Self.exchange(staging, target) {
            removeTree(staging)
            return
        }
        let old = staging + "-old"
        removeTree(old)
        guard rename(target, old) == 0 else { throw failure("move the old site \(target) aside") }
        guard rename(staging, target) == 0 else {
            let e = failure("move the new site to \(target)")
            rename(old, target)
            throw e
        }
        removeTree(old)
    }

    /// Throws the site away (the previous one stays).
    package func abandon() { removeTree(staging) }

    private func failure(_ what: String) -> ReportError {
        .internalFailure("cannot \(what): \(String(cString: strerror(errno)))")
    }

    /// renameat2(RENAME_EXCHANGE) through the C library, if it has the function and the file system allows it.
    static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0
    }
}

/// Writes a chart as the four files a page and a slide deck need.
package enum FigureFiles {
    /// `dir/name.svg` (paper, for the page), `name-dark.svg` (dark theme, swapped in by
    /// `<picture>`), `name.png` (paper at 2× for slides) and `name.pdf`. `dir` is absolute or
    /// relative to the working directory; `refDir` is the same folder relative to the site root.
    package static func write(_ chart: any Chart, dir: String, refDir: String, name: String) throws -> FigureRef {
        try makeDirectory(dir)
        let files: [(String, FigureFormat, Theme.Name, Double)] = [
            ("\(name).svg", .svg, .paper, 1), ("\(name)-dark.svg", .svg, .dark, 1),
            ("\(name).png", .png, .paper, 2), ("\(name).pdf", .pdf, .paper, 1),
        ]
        for (file, format, theme, scale) in files {
            try AtomicFile.write("\(dir)/\(file)") { temp in
                do {
                    try FigureRenderer.render(chart, format: format, theme: .named(theme), path: temp, scale: scale)
                } catch let e as ChartError {
                    throw ReportError.internalFailure("cannot draw \(dir)/\(file): \(e.description)")
                }
            }
        }
        let t = Theme.named(.paper)
        var ref = FigureRef(name: name, dir: refDir, caption: chart.caption(), alt: chart.altText())
        ref.width = t.width
        ref.height = t.height
        return ref
    }
}
