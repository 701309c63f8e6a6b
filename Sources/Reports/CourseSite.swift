import Synchronization
import Dispatch
import Archive
import SafeOutput
import Analysis
import Charts
import TraceFormat

/// The course site: an index that walks through the lecture notes in order and one page per
/// topic, each shaped like the client's lesson plans — the question, the problem in one
/// paragraph, figures with what to notice, a "try it" experiment and what to take away.
/// Every number in the prose is read from the runs' traces, never typed in.
package struct CourseSite {
    /// An instruction-set profile's Popek–Goldberg picture and verdicts (the CPU page).
    package struct Profile: Sendable {
        package var name: String
        package var figure: FigureRef
        package var theorems: [(holds: Bool, counterexamples: [String])]
        package init(name: String, figure: FigureRef, theorems: [(holds: Bool, counterexamples: [String])]) {
            self.name = name
            self.figure = figure
            self.theorems = theorems
        }
    }

    /// A diagram drawn from the model rather than from a run (the 2-D walk), already in figures/.
    package struct Diagram: Sendable {
        package var figure: FigureRef
        /// What the page says about it, from the model that drew it.
        package var facts: [String: Int]
        package init(figure: FigureRef, facts: [String: Int]) {
            self.figure = figure
            self.facts = facts
        }
    }

    /// A shipped parameter sweep and its report inside the site.
    package struct Sweep: Sendable {
        package var name: String
        package var file: String
        package var topic: String
        package var description: String
        package var runs: Int
        /// The sweep's page relative to the site root.
        package var page: String
        /// Its headline figure, already in the site's figures/ folder.
        package var figure: FigureRef
        /// Every run: the varied keys' values and the results, for the prose around the figure.
        package var points: [Point]

        package struct Point: Sendable {
            package var parameters: [String: String]
            package var metrics: [String: Double]
            package init(parameters: [String: String], metrics: [String: Double]) {
                self.parameters = parameters
                self.metrics = metrics
            }
        }

        package init(name: String, file: String, topic: String, description: String, runs: Int, page: String, figure: FigureRef, points: [Point] = []) {
            self.name = name
            self.file = file
            self.topic = topic
            self.description = description
            self.runs = runs
            self.page = page
            self.figure = figure
            self.points = points
        }
    }

    /// The topics in the order of the notes: file name, navigation label, page heading.
    package static let topics: [(id: String, label: String, heading: String)] = [
        ("memory", "Memory", "Memory virtualization: shadow and nested page tables"),
        ("cpu", "CPU", "CPU virtualization: Popek and Goldberg, and four ways around x86"),
        ("io", "I/O", "I/O virtualization: emulation, split drivers, direct assignment"),
        ("migration", "Migration", "Live migration: pre-copy, post-copy and what they cost"),
    ]

    /// The navigation bar of every course page.
    package static func nav(current: String?) -> [NavLink] {
        [NavLink(href: "index.html", label: "Overview", current: current == "index")]
            + topics.map { NavLink(href: "\($0.id).html", label: $0.label, current: current == $0.id) }
            + [NavLink(href: "figures.html", label: "Figures", current: current == "figures")]
    }

    let site: Site
    /// Run summaries by preset name.
    let runs: [String: RunSummary]
    let profiles: [Profile]
    let sweeps: [Sweep]
    /// Diagrams by name ("2d-walk").
    let diagrams: [String: Diagram]

    package init(site: Site, runs: [RunSummary], profiles: [Profile], sweeps: [Sweep], diagrams: [String: Diagram] = [:]) {
        self.site = site
        self.diagrams = diagrams
        var byName: [String: RunSummary] = [:]
        for r in runs { byName[r.name] = r }
        self.runs = byName
        self.profiles = profiles
        self.sweeps = sweeps
    }

    /// Writes the topic pages and the index.
    package func build() throws {
        var cards: [IndexPage.Topic] = []
        var pages: [TopicPage] = []
        for (i, t) in Self.topics.enumerated() {
            let page = try topicPage(t.id, number: i + 1)
            pages.append(page)
            try site.page(page, template: "topic", to: "\(t.id).html")
            let thumb = page.sections.lazy.flatMap(\.figures).first
            cards.append(IndexPage.Topic(href: "\(t.id).html", label: t.heading, hook: page.hook,
                                         thumb: thumb.map { "\($0.dir)\($0.name).svg" },
                                         thumbDark: thumb.map { "\($0.dir)\($0.name)-dark.svg" }, thumbAlt: thumb?.alt ?? ""))
        }
        var index = indexPage(cards)
        // The whole course as one deck: a title slide, then each topic's slides in order.
        let topicSlides = pages.flatMap(\.deckSlides)
        if !topicSlides.isEmpty {
            let title = "Virtualization: memory, CPU, I/O and live migration"
            let opening = DeckSlide(title: title, subtitle: pages.filter(\.hasDecks).map(\.heading).joined(separator: "\n"),
                                    notes: "The course's topics in the order of the lecture notes; each starts with its question.")
            index.decks = try writeDecks("course", title: title, slides: [opening] + topicSlides)
            index.hasDecks = true
        }
        try site.page(index, template: "index", to: "index.html")
        try site.page(galleryPage(pages), template: "gallery", to: "figures.html")
    }

    /// Every figure of the topic pages (with what to notice), then every run's figures as a table
    /// of downloads: the page to pick slides from.
    func galleryPage(_ topicPages: [TopicPage]) -> GalleryPage {
        var sections: [Section] = []
        for (t, page) in zip(Self.topics, topicPages) {
            let figures = page.sections.flatMap(\.figures)
            guard !figures.isEmpty else { continue }
            sections.append(Section(id: "topic-\(t.id)", heading: t.label, figures: figures,
                                    links: LinkList([("\(t.id).html", "the \(t.label) page, where these figures are explained")])))
        }
        var downloads = Table(caption: "Each run's figures (SVG for pages and documents, PNG at 2× for slides, PDF for print)",
                              columns: ["Run", "Figure", "SVG", "PNG", "PDF"])
        for r in runs.values.sorted(by: { ($0.topicOrder, $0.name) < ($1.topicOrder, $1.name) }) {
            for f in r.figures {
                let kind = f.name.hasPrefix(r.name + "-") ? String(f.name.dropFirst(r.name.count + 1)) : f.name
                downloads.add(r.name, href: r.page, links: [(kind, "\(r.page)#fig-\(f.name)"), ("SVG", "\(f.dir)\(f.name).svg"),
                                                            ("PNG", "\(f.dir)\(f.name).png"), ("PDF", "\(f.dir)\(f.name).pdf")])
            }
        }
        if !downloads.rows.isEmpty {
            sections.append(Section(id: "runs", heading: "Every run's figures", tables: [downloads]))
        }
        return GalleryPage(title: "Figures for slides", root: "", nav: Self.nav(current: "figures"), version: VirtLabVersion.current,
                           heading: "Figures for slides",
                           intro: "Every figure of the course, drawn from the traces of this build. Each has a caption and alt text computed from "
                               + "its data; take the SVG for documents, the PNG (2×) for slides, the PDF for print. File names are stable "
                               + "from build to build.",
                           sections: sections)
    }

    // MARK: Reading the runs

    func run(_ name: String) -> RunSummary? { runs[name] }
    func value(_ name: String, _ metric: String) -> Double { runs[name]?[metric: metric] ?? 0 }
    func has(_ names: [String]) -> Bool { names.allSatisfy { runs[$0] != nil } }
    func runFigure(_ name: String, _ kind: String) -> FigureRef? { runs[name]?.figures.first { $0.name == "\(name)-\(kind)" } }
    func links(_ names: [String]) -> LinkList? {
        let found = names.compactMap { runs[$0] }
        return found.isEmpty ? nil : LinkList(found.map { ($0.page, $0.name) })
    }

    /// The command that builds the course site (figures drawn from several runs name it). The
    /// site's bytes do not depend on where it is built, so the default folder is named: a
    /// course built elsewhere has the same figures.
    package static func command(_ site: Site) -> String { "virtlab course -o output" }

    func figure(_ chart: any Chart, _ name: String, notice: String) throws -> FigureRef {
        try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: name, command: Self.command(site), slides: true, shelf: site.charts).noticing(notice)
    }

    /// The topic's figures that have slide versions, light and dark, in `slides/TOPIC-slides.zip`
    /// (in page order; `light/NAME.svg`, `dark/NAME.svg`); nil when there are none.
    func writeSlideSet(_ id: String, figures: [FigureRef]) throws -> String? {
        var seen = Set<String>()
        let slides = figures.filter { $0.slides && seen.insert($0.name).inserted }
        guard !slides.isEmpty else { return nil }
        try makeDirectory(site.path("slides"))
        let href = "slides/\(id)-slides.zip"
        try OutputFile.writing(site.path(href), durable: false) { out in
            var zip = ZipWriter(out)
            for f in slides {
                for (folder, suffix) in [("light", ""), ("dark", "-dark")] {
                    let path = site.path("\(f.dir)slides/\(f.name)\(suffix).svg")
                    guard let bytes = readFile(path) else { throw ReportError.internalFailure("the slide \(path) was not written") }
                    try zip.add(name: "\(folder)/\(f.name).svg", bytes: bytes)
                }
            }
            try zip.finish()
        }
        return href
    }

    /// A table of runs with some of their metrics, each row linking to the run page.
    func runTable(_ names: [String], _ metrics: [(String, String)], caption: String) -> Table {
        var t = Table(caption: caption, columns: ["Run"] + metrics.map(\.1))
        for n in names {
            guard let r = runs[n] else { continue }
            t.add(n, href: r.page, metrics.map { m in r[metric: m.0].map { Format.metric($0, unit: r.unit(m.0) ?? "") } ?? "–" })
        }
        return t
    }

    static func pct(_ v: Double) -> String { Format.number((v * 10).rounded() / 10) + " %" }
    /// A number for prose: whole from 100 up, two decimals below, thousands grouped from 10,000 up.
    static func num(_ v: Double) -> String {
        let text = Format.number(v >= 100 ? v.rounded() : (v * 100).rounded() / 100)
        guard abs(v) >= 10_000, !text.contains(where: { !$0.isNumber && $0 != "-" }) else { return text }
        var digits = Array(text.drop { $0 == "-" }), out: [Character] = []
        while digits.count > 3 {
            out.insert(contentsOf: [","] + digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        return (text.hasPrefix("-") ? "-" : "") + String(digits + out)
    }
    static func times(_ a: Double, _ b: Double) -> String { b == 0 ? "∞" : Format.number((a / b * 10).rounded() / 10) + "×" }

    // MARK: Pages

    func topicPage(_ id: String, number: Int) throws -> TopicPage {
        let t = Self.topics[number - 1]
        let content: TopicContent
        switch id {
        case "memory": content = try memory()
        case "cpu": content = try cpu()
        case "io": content = try io()
        case "migration": content = try migration()
        default: throw ReportError.internalFailure("no topic page for '\(id)': add its content function to CourseSite.topicPage")
        }
        let available = !content.sections.isEmpty
        let slideSet = try writeSlideSet(id, figures: content.sections.flatMap(\.figures))
        let prev = number > 1 ? Self.topics[number - 2] : nil
        let next = number < Self.topics.count ? Self.topics[number] : nil
        var page = TopicPage(title: t.heading, root: "", nav: Self.nav(current: id), version: VirtLabVersion.current, number: number,
                         topicCount: Self.topics.count, heading: t.heading, hook: content.hook, problem: content.problem,
                         available: available,
                         pending: "This topic's runs are not in this build, so its figures are not shown. Run `virtlab course` to simulate them.",
                         sections: content.sections, tryit: available ? Self.tryIts.filter { $0.id == id } : [], takeaways: available ? content.takeaways : [],
                         hasTakeaways: available && !content.takeaways.isEmpty, slideSet: slideSet,
                         previous: prev.map { NavLink(href: "\($0.id).html", label: $0.label) },
                         next: next.map { NavLink(href: "\($0.id).html", label: $0.label) })
        if let lesson = try Lesson.load(topic: id, folder: site.templates.folder + "/lessons") {
            page.classroom = Classroom(lesson, file: "Templates/lessons/\(id).md")
            page.lesson = lesson
        }
        if available {
            page.deckSlides = deckSlides(page)
            page.decks = try writeDecks(id, title: page.heading, slides: page.deckSlides)
            page.hasDecks = true
        }
        return page
    }

    /// The topic as a lecture deck: title and hook, the problem, a slide per figure (the
    /// section's heading as its title, "what to notice" and the caption as speaker notes), a
    /// text slide for a section without figures, the take-aways. Written as PowerPoint (text
    /// editable), as a 16:9 PDF, and as a PDF of the speaker notes.
    func writeDecks(_ id: String, title: String, slides: [DeckSlide]) throws -> [NavLink] {
        let stamp = FigureStamp.generator(command: Self.command(site))
        try makeDirectory(site.path("decks"))
        try OutputFile.writing(site.path("decks/\(id).pptx"), durable: false) { out in
            try DeckPPTX.write(slides, title: title, provenance: stamp, to: out)
        }
        do {
            try OutputFile.write(try DeckPDF.slides(slides, title: title, provenance: stamp), to: site.path("decks/\(id).pdf"), durable: false)
            try OutputFile.write(try DeckPDF.handout(slides, title: title, provenance: stamp), to: site.path("decks/\(id)-notes.pdf"), durable: false)
        } catch let e as ChartError {
            throw ReportError.internalFailure("cannot draw the \(id) deck: \(e.description)")
        }
        return [NavLink(href: "decks/\(id).pptx", label: "PowerPoint (\(slides.count) slides, notes included)"),
                NavLink(href: "decks/\(id).pdf", label: "PDF slides"), NavLink(href: "decks/\(id)-notes.pdf", label: "PDF speaker notes")]
    }

    func deckSlides(_ page: TopicPage) -> [DeckSlide] {
        var slides = [DeckSlide(title: page.heading, subtitle: page.hook, notes: page.problem),
                      DeckSlide(title: "The problem", paragraphs: [page.problem])]
        var shown = Set<String>()
        for section in page.sections {
            let figures = section.figures.filter { shown.insert($0.name).inserted }
            if figures.isEmpty {
                guard !section.paragraphs.isEmpty else { continue }
                slides.append(DeckSlide(title: section.heading, paragraphs: Array(section.paragraphs.prefix(2)), notes: section.paragraphs.dropFirst(2).joined(separator: "\n\n")))
                continue
            }
            for (i, f) in figures.enumerated() {
                var notes: [String] = []
                if let notice = f.notice { notes.append("What to notice: " + notice) }
                notes.append(f.caption)
                if i == 0 { notes += section.paragraphs }
                // The figure at slide size with slide type: PowerPoint gets its SVG, with a PNG for
                // viewers without SVG; the PDF draws the chart. (A figure without a kept chart
                // falls back to the page's 5:3 PNG and SVG.)
                let chart = site.charts[f.name]
                var png = readFile(site.path("\(f.dir)\(f.name).png")), svg = readFile(site.path("\(f.dir)\(f.name).svg"))
                if chart != nil, let slideSVG = readFile(site.path("\(f.dir)slides/\(f.name).svg")) {
                    (png, svg) = (nil, slideSVG) // the slide PNG is drawn below, all of them at once
                }
                slides.append(DeckSlide(title: section.heading, figurePNG: png, figureSVG: svg, figureAlt: f.alt, chart: chart,
                                        notes: notes.joined(separator: "\n\n")))
            }
        }
        // The slide-size PNGs (for PowerPoint viewers without SVG), drawn on every core.
        let pending = slides.indices.compactMap { i in slides[i].figurePNG == nil ? slides[i].chart.map { (i, $0) } : nil }
        let drawn = Mutex([Int: [UInt8]]())
        DispatchQueue.concurrentPerform(iterations: pending.count) { k in
            let (i, chart) = pending[k]
            if
               let png = try? FigureRenderer.bytes(chart, format: .png, theme: .named(.paper), size: FigureSize.named[0].size, scale: 1) {
                drawn.withLock { $0[i] = png }
            }
        }
        for (i, png) in drawn.withLock({ $0 }) { slides[i].figurePNG = png }
        if let l = page.lesson {
            // The lesson's classroom parts: the story before the figures' details end, then the room's turn.
            let p = Lesson.plain
            slides.insert(DeckSlide(title: "The story", bullets: ["The problem: " + p(l.story.problem), "The insight: " + p(l.story.insight),
                                                                  "The impact: " + p(l.story.impact)],
                                    notes: [l.dramaticQuestion.map { "Ask the room: " + p($0) }, l.analogy.map { "An analogy: " + p($0) }]
                                        .compactMap { $0 }.joined(separator: "\n\n")), at: 2)
            if let activity = l.activity { slides.append(DeckSlide(title: "Key activity", paragraphs: [p(activity)])) }
            if let d = l.debate {
                slides.append(DeckSlide(title: "Debate", subtitle: p(d.motion),
                                        notes: (d.forSide.map { "For: " + p($0) } + d.against.map { "Against: " + p($0) }).joined(separator: "\n")))
            }
            if !l.whatIf.isEmpty { slides.append(DeckSlide(title: "What if…?", bullets: l.whatIf.map(p))) }
            if !l.questions.isEmpty {
                slides.append(DeckSlide(title: "Questions", bullets: l.questions.map { p($0.question) },
                                        notes: l.questions.map { "Q: \(p($0.question))\nA: \(p($0.answer))" }.joined(separator: "\n\n")))
            }
        }
        if !page.takeaways.isEmpty { slides.append(DeckSlide(title: "What to take away", bullets: page.takeaways)) }
        return slides
    }

    func indexPage(_ cards: [IndexPage.Topic]) -> IndexPage {
        var experiments: Table?
        if !sweeps.isEmpty {
            var t = Table(caption: "Each sweep runs the cartesian product of its parameters; its page has every chart and the results table.",
                          columns: ["Experiment", "Topic", "Runs", "Reproduce"])
            for s in sweeps { t.add(s.description, href: s.page, [s.topic, String(s.runs), "virtlab sweep Traces/scenarios/\(s.file) -o sweeps/\(s.name)"]) }
            experiments = t
        }
        var all = Table(caption: "Every preset run of this build: its page has the results, the exit table, every figure and the trace.",
                        columns: ["Run", "Topic", "Headline result", "What was simulated"])
        for r in runs.values.sorted(by: { ($0.topicOrder, $0.name) < ($1.topicOrder, $1.name) }) {
            let key = FigureCatalog.keyMetrics(r.topic).first { r[metric: $0] != nil }
            let headline = key.map { k in
                let unit = r.unit(k) ?? ""
                let name = unit.isEmpty || !k.hasSuffix("_\(unit)") ? k : String(k.dropLast(unit.count + 1))
                return "\(name.replacingOccurrences(of: "_", with: " ")): \(Format.metric(r[metric: k]!, unit: unit))"
                    + (["bytes", "ns", "ratio", "count", "bool"].contains(unit) ? "" : " \(unit)")
            } ?? ""
            all.add(r.name, href: r.page, [r.topic, headline, r.description])
        }
        return IndexPage(title: "Virtualization, simulated", root: "", nav: Self.nav(current: "index"), version: VirtLabVersion.current,
                         heading: "Virtualization, simulated",
                         intro: "How hypervisors virtualize memory, CPUs and I/O, and how virtual machines migrate — each mechanism simulated, "
                            + "recorded to a trace, and drawn from that trace. Follow the topics in the order of the lecture notes; each page "
                            + "ends with an experiment to try. Every figure is in figures/ as SVG, PNG and PDF for slides.",
                         topics: cards, experiments: experiments, hasExperiments: experiments != nil,
                         everything: "\(runs.count) runs, each simulated from a built-in preset with its seed. Click a run for its page.",
                         runs: all)
    }

    /// A topic page's own content.
    struct TopicContent {
        var hook: String
        var problem: String
        var sections: [Section] = []
        var takeaways: [String] = []
    }

    /// The sweeps of a topic as a section.
    func sweepSection(_ topic: String, heading: String, text: String) -> Section? {
        let mine = sweeps.filter { $0.topic == topic }
        guard !mine.isEmpty else { return nil }
        return Section(id: "sweep-\(topic)", heading: heading, paragraphs: [text], figures: mine.map(\.figure),
                       links: LinkList(mine.map { ($0.page, "the whole sweep: \($0.description)") }))
    }
}

extension RunSummary {
    /// Position of the topic in the course.
    var topicOrder: Int { CourseSite.topics.firstIndex { $0.id == topic } ?? CourseSite.topics.count }
}

extension CourseSite {
    /// Each topic's suggested experiment; a test parses every command against the real CLI.
    package static let tryIts: [TryIt] = [
        TryIt(
            id: "memory", title: "find where nested paging starts to lose",
            text: "Grow the working set past the TLB's reach and watch nested paging's overhead climb, then turn on 2 MiB pages and watch it fall.",
            commands: ["virtlab sweep tlb-thrash-nested --vary memory.workload.working_set_mib=1:1024:11:log --vary memory.mode=shadow,nested -o ws-sweep",
                       "virtlab scenarios show tlb-thrash-nested > my.yaml   # then edit memory.page_size and memory.nested.page_size",
                       "virtlab run my.yaml -o my.vlt && virtlab report my.vlt -o my-report"],
            parameter: "memory.workload.working_set_mib"),
        TryIt(
            id: "cpu", title: "break trap-and-emulate, then fix it",
            text: "Check a profile against the theorems, then run trap-and-emulate on it and count the wrong effects. Switch the strategy and compare.",
            commands: ["virtlab isa check x86-legacy",
                       "virtlab run x86-syscall-heavy-trap-and-emulate -o te.vlt",
                       "virtlab run x86-syscall-heavy-binary-translation -o bt.vlt",
                       "virtlab report te.vlt bt.vlt -o te-vs-bt"],
            parameter: "cpu.strategy"),
        TryIt(
            id: "io", title: "batch the split driver",
            text: "Exits per operation of the paravirtual driver fall as more requests share one kick. Sweep the batch size and watch exits and CPU per KiB.",
            commands: ["virtlab sweep net-paravirtual --vary io.paravirtual.batch=1,2,4,8,16,32 -o batch-sweep",
                       "virtlab run net-emulation -o emu.vlt && virtlab run net-paravirtual -o pv.vlt",
                       "virtlab report emu.vlt pv.vlt -o emu-vs-pv"],
            parameter: "io.paravirtual.batch"),
        TryIt(
            id: "migration", title: "make pre-copy stop converging",
            text: "Raise the guest's dirty rate until pre-copy's rounds stop shrinking and its downtime jumps, then try the same rate with post-copy.",
            commands: ["virtlab sweep precopy-moderate --vary migration.workload.dirty_rate=1000:60000:12 --vary migration.strategy=pre-copy,post-copy -o dirty-sweep",
                       "virtlab scenarios show precopy-moderate > my.yaml   # then edit migration.workload.dirty_rate",
                       "virtlab run my.yaml -o my.vlt && virtlab report my.vlt -o my-report"],
            parameter: "migration.workload.dirty_rate"),
    ]
}
