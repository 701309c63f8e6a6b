import Synchronization
import Vocabulary
import Dispatch
import Archive
import SafeOutput
import Analysis
import Charts
import TraceFormat

/// The course site: an index, a page per lesson of the course (in the course file's order)
/// shaped like the client's lesson plans — the question, the problem, sections of prose,
/// figures and tables with what to notice, a "try it" experiment, the take-aways and the
/// classroom parts — a gallery of figures, and decks. Everything a page says comes from the
/// lesson files; every number from the runs, and every claim is checked against them.
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

    let site: Site
    let course: Course
    /// Run summaries by the name the lessons use.
    let runs: [String: RunSummary]
    let profiles: [Profile]
    let sweeps: [Sweep]
    /// Diagrams by name ("2d-walk").
    let diagrams: [String: Diagram]

    package init(site: Site, course: Course, runs: [String: RunSummary], profiles: [Profile], sweeps: [Sweep], diagrams: [String: Diagram] = [:]) {
        self.site = site
        self.course = course
        self.runs = runs
        self.diagrams = diagrams
        self.profiles = profiles
        self.sweeps = sweeps
    }

    /// Writes a page per lesson, the index, the figure gallery and the decks; returns every claim
    /// the lessons make, checked (a claim the data contradicts is shown on its page with a note;
    /// `virtlab course --strict` refuses the build).
    package func build() throws -> [ClaimOutcome] {
        var cards: [IndexPage.Topic] = []
        var pages: [TopicPage] = []
        var claims: [ClaimOutcome] = []
        var figureNames: [String: SourceSpot] = [:]
        for (i, lesson) in course.lessons.enumerated() {
            let (page, checked) = try topicPage(lesson, number: i + 1, figureNames: &figureNames)
            pages.append(page)
            claims += checked
            try site.page(page, template: "topic", to: "\(lesson.id).html")
            let thumb = page.sections.lazy.flatMap(\.figures).first
            cards.append(IndexPage.Topic(href: "\(lesson.id).html", label: page.heading, hook: page.hook,
                                         thumb: thumb.map { "\($0.dir)\($0.name).svg" },
                                         thumbDark: thumb.map { "\($0.dir)\($0.name)-dark.svg" }, thumbAlt: thumb?.alt ?? ""))
        }
        var index = indexPage(cards)
        // The whole course as one deck: a title slide, then each lesson's slides in order.
        let topicSlides = pages.flatMap(\.deckSlides)
        if !topicSlides.isEmpty {
            let opening = DeckSlide(title: course.title, subtitle: pages.filter(\.hasDecks).map(\.heading).joined(separator: "\n"),
                                    notes: Lesson.plain(course.intro.markdown))
            index.decks = try writeDecks("course", title: course.title, slides: [opening] + topicSlides)
            index.hasDecks = true
        }
        try site.page(index, template: "index", to: "index.html")
        try site.page(galleryPage(pages), template: "gallery", to: "figures.html")
        return claims
    }

    /// Evaluates every value and claim of every lesson again, rendering nothing (for the benchmark).
    package func checkClaims() throws -> Int {
        try course.lessons.reduce(0) { n, lesson in
            let ctx = LessonContext(lesson, site: self)
            return try n + lesson.texts.reduce(0) { try $0 + ctx.check($1) }
        }
    }

    /// Every figure of the lesson pages (with what to notice), then every run's figures as a
    /// table of downloads: the page to pick slides from.
    func galleryPage(_ topicPages: [TopicPage]) -> GalleryPage {
        var sections: [Section] = []
        for (lesson, page) in zip(course.lessons, topicPages) {
            let figures = page.sections.flatMap(\.figures)
            guard !figures.isEmpty else { continue }
            sections.append(Section(id: "topic-\(lesson.id)", heading: lesson.label, figures: figures,
                                    links: LinkList([("\(lesson.id).html", page.heading)])))
        }
        var downloads = Table(caption: "Each run's figures (SVG for pages and documents, PNG at 2× for slides, PDF for print)",
                              columns: [course.word(.run), "Figure", "SVG", "PNG", "PDF"])
        for r in orderedRuns {
            for f in r.figures {
                let kind = f.name.hasPrefix(r.name + "-") ? String(f.name.dropFirst(r.name.count + 1)) : f.name
                downloads.add(r.name, href: r.page, links: [(kind, "\(r.page)#fig-\(f.name)"), ("SVG", "\(f.dir)\(f.name).svg"),
                                                            ("PNG", "\(f.dir)\(f.name).png"), ("PDF", "\(f.dir)\(f.name).pdf")])
            }
        }
        if !downloads.rows.isEmpty {
            sections.append(Section(id: "runs", heading: "Every run's figures", tables: [downloads]))
        }
        return GalleryPage(title: course.word(.figures), root: "", nav: course.nav(current: "figures"), version: VirtLabVersion.current,
                           heading: course.word(.figures),
                           intro: "Every figure of the course, drawn from the traces of this build. Each has a caption and alt text computed from "
                               + "its data; take the SVG for documents, the PNG (2×) for slides, the PDF for print. File names are stable "
                               + "from build to build.",
                           sections: sections)
    }

    /// The runs in lesson order (the order the lessons first name them).
    var orderedRuns: [RunSummary] {
        course.runNames.compactMap { runs[$0.name] }
    }

    /// The command that builds the course site (figures drawn from several runs name it). The
    /// site's bytes do not depend on where it is built, so the default folder is named: a
    /// course built elsewhere has the same figures.
    package static func command(_ site: Site) -> String { "virtlab course -o output" }

    func figure(_ chart: any Chart, _ name: String) throws -> FigureRef {
        try FigureFiles.write(chart, dir: site.path("figures"), refDir: "figures/", name: name, command: Self.command(site), slides: true, shelf: site.charts)
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

    /// Writes a deck as PowerPoint (text editable), as a 16:9 PDF and as a PDF of the speaker notes.
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
        return [NavLink(href: "decks/\(id).pptx", label: course.word(.deckPowerPoint, ["n": String(slides.count)])),
                NavLink(href: "decks/\(id).pdf", label: course.word(.deckPDF)), NavLink(href: "decks/\(id)-notes.pdf", label: course.word(.deckNotes))]
    }

    /// The lesson as a lecture deck: title and hook, the problem, the story, a slide per figure
    /// (the section's heading as its title, "what to notice", the caption and the section's
    /// prose as speaker notes), a text slide for a section without figures, the key activity,
    /// the debate, what-if questions, the question bank (answers in the notes), the take-aways.
    func deckSlides(_ page: TopicPage, _ d: LessonDeck) -> [DeckSlide] {
        let w = { (word: CourseWord) in self.course.word(word) }
        var slides = [DeckSlide(title: page.heading, subtitle: d.hook, notes: d.problem)]
        if !d.problem.isEmpty { slides.append(DeckSlide(title: w(.theProblem), paragraphs: [d.problem])) }
        slides.append(DeckSlide(title: w(.theStory), bullets: ["\(w(.storyProblem)): \(d.story[0])", "\(w(.storyInsight)): \(d.story[1])",
                                                              "\(w(.storyImpact)): \(d.story[2])"],
                                notes: [d.dramaticQuestion.map { "\(w(.askTheRoom)): \($0)" }, d.analogy.map { "\(w(.analogy)): \($0)" }]
                                    .compactMap { $0 }.joined(separator: "\n\n")))
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
                if let notice = f.noticePlain { notes.append("\(w(.whatToNotice)): " + notice) }
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
            if let png = try? FigureRenderer.bytes(chart, format: .png, theme: .named(.paper), size: FigureSize.named[0].size, scale: 1) {
                drawn.withLock { $0[i] = png }
            }
        }
        for (i, png) in drawn.withLock({ $0 }) { slides[i].figurePNG = png }
        if let activity = d.activity { slides.append(DeckSlide(title: w(.keyActivity), paragraphs: [activity])) }
        if let motion = d.motion {
            slides.append(DeckSlide(title: w(.debate), subtitle: motion,
                                    notes: (d.forSide.map { "\(w(.forSide)): \($0)" } + d.against.map { "\(w(.against)): \($0)" }).joined(separator: "\n")))
        }
        if !d.whatIf.isEmpty { slides.append(DeckSlide(title: w(.whatIf), bullets: d.whatIf)) }
        if !d.questions.isEmpty {
            slides.append(DeckSlide(title: w(.questions), bullets: d.questions.map(\.0),
                                    notes: d.questions.map { "Q: \($0.0)\nA: \($0.1)" }.joined(separator: "\n\n")))
        }
        if !d.takeaways.isEmpty { slides.append(DeckSlide(title: w(.takeaways), bullets: d.takeaways)) }
        return slides
    }

    func indexPage(_ cards: [IndexPage.Topic]) -> IndexPage {
        var experiments: Table?
        let listed = sweeps.filter { s in course.sweepNames.contains { $0.name == s.name } }
        if !listed.isEmpty {
            var t = Table(caption: "Each sweep runs the cartesian product of its parameters; its page has every chart and the results table.",
                          columns: ["Experiment", "Topic", "Runs", "Reproduce"])
            for s in listed { t.add(s.description, href: s.page, [s.topic, String(s.runs), "virtlab sweep Traces/scenarios/\(s.file) -o sweeps/\(s.name)"]) }
            experiments = t
        }
        var all = Table(caption: "Every run of this build: its page has the results, the exit table, every figure and the trace.",
                        columns: [course.word(.run), "Topic", "Headline result", "What was simulated"])
        for r in orderedRuns {
            let key = FigureCatalog.keyMetrics(r.topic).map(\.rawValue).first { r[metric: $0] != nil }
            let headline = key.map { k in
                let unit = r.unit(k) ?? ""
                return "\(MetricLabel.text(k, unit: unit)): \(Format.metricWithUnit(r[metric: k]!, unit: unit))"
            } ?? ""
            all.add(r.name, href: r.page, [r.topic, headline, r.description])
        }
        return IndexPage(title: course.title, root: "", nav: course.nav(current: "index"), version: VirtLabVersion.current,
                         heading: course.title, intro: Lesson.html(course.intro.markdown),
                         topics: cards, experiments: experiments, hasExperiments: experiments != nil,
                         everything: "\(counted(runs.count, "run")), each simulated with its seed. Click a run for its page.",
                         runs: all)
    }
}
