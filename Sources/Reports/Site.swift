import Synchronization
import Charts
import SafeOutput
#if canImport(Glibc)
import Glibc
#endif

/// A static site being built: everything goes into a staging folder beside the target, which is
/// swapped in whole by `commit()`. A failure (or a kill) before that leaves the previous site as
/// it was; the staging folder of a killed build is removed by the next build.
package final class Site: Sendable {
    /// The folder the finished site replaces.
    package let target: String
    /// The charts of figures drawn with slide versions, by figure name (the course's decks draw them again).
    package let charts = ChartShelf()
    /// Where the site is being built.
    package let staging: String
    package let templates: TemplateSet

    /// Marks a folder as a VirtLab site, which a later build may replace as a whole.
    package static let marker = ".virtlab-site"
    static let markerText = "This folder is a site built by VirtLab (virtlab course / virtlab report); the next build replaces it as a whole.\n"

    /// Prepares a staging folder for `target`. Refuses to replace a non-empty folder unless
    /// VirtLab made all of it (its mark lists every file, with the size it had: see
    /// `FolderGuard`), or it is just the course README, or `force` — so `-o ~/Documents`
    /// cannot wipe anything. Refuses too when an input lies inside the target (it would be deleted).
    package init(target: String, templates: TemplateSet, inputs: [String] = [], force: Bool = false) throws {
        var t = target
        while t.count > 1, t.hasSuffix("/") { t.removeLast() }
        let (parent, base) = splitPath(t)
        guard !base.isEmpty, base != ".", base != ".." else {
            throw ReportError.badInput("cannot build a site into \(target): name a folder (for example -o output)")
        }
        for input in inputs where FolderGuard.path(input, isInside: t) {
            throw ReportError.badInput("\(input) is inside \(t), which this build replaces as a whole: copy it out of \(t) first, or choose another folder with -o")
        }
        if isDirectory(t) {
            if directoryNames(t) == ["README.md"], readFile("\(t)/README.md") == readFile("\(templates.folder)/output-README.md") {
                // The checkout's output/, where git tracks just the course README.
            } else {
                do { try FolderGuard.checkOwned(t, mark: Self.marker, what: "replace", force: force) } catch let e as OutputError { throw ReportError.badInput(e.description) }
            }
        } else if fileExists(t) {
            throw ReportError.badInput("\(t) is a file, not a folder; choose a folder for the site")
        }
        if !parent.isEmpty { try makeDirectory(parent) }
        // Leftovers of killed builds into the same target.
        for entry in directoryNames(parent.isEmpty ? "." : parent) where entry.hasPrefix(".\(base).staging-") {
            let pid = Int32(entry.dropFirst(".\(base).staging-".count)) ?? 0
            if pid == getpid() || (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) { removeTree(parent + entry) }
        }
        self.target = t
        self.staging = "\(parent).\(base).staging-\(getpid())"
        self.templates = templates
        try makeDirectory(staging)
        for style in templates.styles { try OutputFile.write(style.bytes, to: "\(staging)/\(style.name)", durable: false) }
    }

    /// The staging path of a file of the site.
    package func path(_ relative: String) -> String { "\(staging)/\(relative)" }

    /// Writes a text file of the site (creating its folder).
    package func write(text: String, to relative: String) throws {
        let full = path(relative)
        let (dir, _) = splitPath(full)
        if !dir.isEmpty { try makeDirectory(dir) }
        try OutputFile.write(text: text, to: full, durable: false)
    }

    /// Renders a page model with a page template into a file of the site.
    package func page(_ model: Any, template: String, to relative: String) throws {
        try write(text: try templates.render(model, page: template), to: relative)
    }

    /// Swaps the finished site in: one atomic exchange where the kernel has it (renameat2), else
    /// two renames a moment apart. The old site is deleted afterwards.
    package func commit() throws {
        // The mark lists every file the build wrote, so the next build can prove the folder is VirtLab's.
        try write(text: FolderGuard.markText(intro: Self.markerText, listing: staging, mark: Self.marker), to: Self.marker)
        // One sync for the whole site instead of one per file: the swap below must not reach the
        // disk before the files it swaps in.
        syncFileSystem(of: staging)
        if !fileExists(target) {
            if rename(staging, target) == 0 { return }
            // Another build made the target a moment ago: swap with it like any old site (last one wins, whole).
            guard errno == ENOTEMPTY || errno == EEXIST else { throw failure("move the new site to \(target)") }
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
    /// - Parameters:
    ///   - source: the trace the chart was drawn from (path as a command names it) and the
    ///     chart kind: each file then carries the `virtlab render` command that writes it again,
    ///     byte for byte (`finalDir`: where the files end up, as the command names them); nil
    ///     for figures drawn from several runs or from no run.
    ///   - command: otherwise, the command that builds the page (the course, a report, a sweep).
    ///   - slides: also `slides/name.svg` and `slides/name-dark.svg` at 1920×1080 with slide
    ///     type (the course's slide sets).
    package static func write(_ chart: any Chart, dir: String, refDir: String, name: String,
                              source: (trace: FigureStamp.TraceSource, kind: String, finalDir: String)? = nil, command: String? = nil,
                              slides: Bool = false, shelf: ChartShelf? = nil) throws -> FigureRef {
        shelf?.put(name, chart)
        try makeDirectory(dir)
        var files: [(String, FigureFormat, Theme.Name, Double, String?)] = [
            ("\(name).svg", .svg, .paper, 1, nil), ("\(name)-dark.svg", .svg, .dark, 1, nil),
            ("\(name).png", .png, .paper, 2, nil), ("\(name).pdf", .pdf, .paper, 1, nil),
        ]
        if slides {
            try makeDirectory("\(dir)/slides")
            files += [("slides/\(name).svg", .svg, .paper, 1, "slides"), ("slides/\(name)-dark.svg", .svg, .dark, 1, "slides")]
        }
        var hotspots: [Hotspot] = []
        for (file, format, theme, scale, size) in files {
            let bytes: [UInt8]
            do {
                let stamp = source.map {
                    FigureStamp.render(trace: $0.trace, chart: $0.kind, format: format, theme: theme, scale: scale, size: size, output: "\($0.finalDir)/\(file)")
                } ?? FigureStamp.generator(command: command)
                if let size {
                    bytes = try FigureRenderer.bytes(chart, format: format, theme: .named(theme), size: try FigureSize.parse(size), provenance: stamp)
                } else if file == "\(name).svg" {
                    // The page's picture: its marks become the page's hover areas.
                    (bytes, hotspots) = try FigureRenderer.bytesAndHotspots(chart, format: format, theme: .named(theme), scale: scale, provenance: stamp)
                } else {
                    bytes = try FigureRenderer.bytes(chart, format: format, theme: .named(theme), scale: scale, provenance: stamp)
                }
            } catch let e as ChartError {
                throw ReportError.internalFailure("cannot draw \(dir)/\(file): \(e.description)")
            }
            try OutputFile.write(bytes, to: "\(dir)/\(file)", durable: false)
        }
        let t = Theme.named(.paper)
        var ref = FigureRef(name: name, dir: refDir, caption: chart.caption(), alt: chart.altText())
        ref.width = t.width
        ref.height = t.height
        ref.slides = slides
        ref.hotspots = hotspots.map { HotspotRef($0, figureWidth: t.width, figureHeight: t.height) }
        if let data = chart.dataTable() {
            var t = Table(caption: data.note.map { "\(chart.title) — \($0)" } ?? chart.title, columns: data.columns)
            for (label, cells) in data.rows { t.add(label, cells) }
            ref.dataTable = t
        }
        return ref
    }
}

/// Charts kept by figure name while a site is built (thread-safe: runs are reported in parallel).
package final class ChartShelf: Sendable {
    private let charts = Mutex<[String: any Chart]>([:])
    package init() {}
    package func put(_ name: String, _ chart: any Chart) { charts.withLock { $0[name] = chart } }
    package subscript(name: String) -> (any Chart)? { charts.withLock { $0[name] } }
}
