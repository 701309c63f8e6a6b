import Analysis
import TraceFormat
import Charts

/// A lesson's words as plain text, for its deck.
struct LessonDeck {
    var hook: String
    var problem: String
    var story: [String]
    var dramaticQuestion: String?
    var analogy: String?
    var activity: String?
    var motion: String?
    var forSide: [String]
    var against: [String]
    var whatIf: [String]
    var questions: [(String, String)]
    var takeaways: [String]
}

/// The generic lesson renderer: a lesson file becomes a topic page, its figures, tables, slide
/// set and decks. Nothing here knows a topic, a preset or a metric by name.
extension CourseSite {
    func topicPage(_ lesson: Lesson, number: Int, figureNames: inout [String: SourceSpot]) throws -> (TopicPage, [ClaimOutcome]) {
        let missing = lesson.runNames.filter { runs[$0.name] == nil }.map(\.name) + lesson.sweepNames.filter { n in !sweeps.contains { $0.name == n.name } }.map(\.name)
        let ctx = LessonContext(lesson, site: self, partial: !missing.isEmpty)
        var sections: [Section] = []
        var predictions = 0
        for s in lesson.sections {
            // In a partial build a section that needs a missing run or sweep is left out.
            do {
                var section = Section(id: s.id, heading: s.heading)
                section.usesParts = true
                _ = ctx.takeRuns()
                for block in s.blocks {
                    switch block {
                    case let .prose(text):
                        let r = try ctx.render(text)
                        section.parts.append(Section.Part(partHTML: r.html))
                        section.paragraphs.append(r.plain)
                    case let .figure(spec):
                        guard let f = try figure(spec, ctx, lesson: lesson, figureNames: &figureNames) else { continue }
                        section.figures.append(f)
                        section.parts.append(Section.Part(partFigure: f))
                    case let .table(spec):
                        let t = try table(spec, ctx)
                        section.tables.append(t)
                        section.parts.append(Section.Part(partTable: t))
                    case let .predict(spec):
                        predictions += 1
                        let box = try predictBox(spec, ctx, id: "predict-\(s.id)-\(predictions)", lesson: lesson)
                        section.parts.append(Section.Part(partPredict: box))
                        section.paragraphs.append(try ctx.plain(spec.question))
                    }
                }
                let used = ctx.takeRuns().compactMap { runs[$0] }
                if !used.isEmpty { section.links = LinkList(used.map { ($0.page, $0.name) }) }
                sections.append(section)
            } catch is LessonContext.Missing {
                _ = ctx.takeRuns()
            }
        }
        let available = !sections.isEmpty
        let lessons = course.lessons
        let prev = number > 1 ? lessons[number - 2] : nil
        let next = number < lessons.count ? lessons[number] : nil
        let hook = try ctx.render(lesson.hook).plain
        let problem = try lesson.problem.map { try ctx.render($0) }
        let takeaways = missing.isEmpty ? try lesson.takeaways.map { try ctx.render($0, inline: true) } : []
        let tryIt = try lesson.tryIt.map { t in
            TryIt(id: lesson.id, title: try ctx.plain(t.title), text: try ctx.plain(t.text), commands: t.commands, parameter: t.parameter)
        }
        var page = TopicPage(title: lesson.title, root: "", nav: course.nav(current: lesson.id), version: VirtLabVersion.current, number: number,
                             topicCount: lessons.count, topicOf: course.word(.topicOf, ["n": String(number), "count": String(lessons.count)]),
                             heading: lesson.title, hook: hook, problem: problem?.html ?? "", problemHeading: course.word(.theProblem),
                             available: missing.isEmpty, pending: course.word(.pending, ["runs": missing.joined(separator: ", ")]),
                             sections: sections, tryit: available ? tryIt.map { [$0] } ?? [] : [], takeaways: takeaways.map(\.html),
                             hasTakeaways: !takeaways.isEmpty, takeawaysHeading: course.word(.takeaways), slideSet: nil,
                             previous: prev.map { NavLink(href: "\($0.id).html", label: $0.label) },
                             next: next.map { NavLink(href: "\($0.id).html", label: $0.label) })
        page.classroom = try classroom(lesson, ctx)
        if available {
            page.slideSet = try writeSlideSet(lesson.id, figures: sections.flatMap(\.figures))
            let p = ctx.plain
            let deck = LessonDeck(
                hook: hook, problem: problem?.plain ?? "", story: try [lesson.story.problem, lesson.story.insight, lesson.story.impact].map(p),
                dramaticQuestion: try lesson.dramaticQuestion.map(p), analogy: try lesson.analogy.map(p), activity: try lesson.activity.map(p),
                motion: try lesson.debate.map { try p($0.motion) }, forSide: try lesson.debate?.forSide.map { try p($0.text) } ?? [],
                against: try lesson.debate?.against.map { try p($0.text) } ?? [], whatIf: try lesson.whatIf.map { try p($0.text) },
                questions: try lesson.questions.map { (try p($0.question), try p($0.answer)) }, takeaways: takeaways.map(\.plain))
            page.deckSlides = deckSlides(page, deck)
            page.decks = try writeDecks(lesson.id, title: page.heading, slides: page.deckSlides)
            page.hasDecks = true
        }
        return (page, ctx.claims)
    }

    /// The lesson plan's parts, as HTML, with the runs behind each debate argument and what-if.
    func classroom(_ l: Lesson, _ ctx: LessonContext) throws -> Classroom {
        func evidence(_ p: Lesson.Point) throws -> String {
            let html = try ctx.inline(p.text)
            let found = p.evidence.compactMap { runs[$0.name] }
            guard !found.isEmpty else { return html }
            return html + " <span class=\"evidence\">(" + XMLText.escaped(course.word(.evidence)) + ": "
                + found.map { "<a href=\"\($0.page)\">\(XMLText.escaped($0.name))</a>" }.joined(separator: ", ") + ")</span>"
        }
        let w = { (word: CourseWord) in self.course.word(word) }
        var c = Classroom(storyProblem: try ctx.html(l.story.problem), storyInsight: try ctx.html(l.story.insight), storyImpact: try ctx.html(l.story.impact),
                          dramaticQuestion: try l.dramaticQuestion.map(ctx.html), analogy: try l.analogy.map(ctx.html), activity: try l.activity.map(ctx.html),
                          motion: try l.debate.map { try ctx.html($0.motion) }, debateFor: try l.debate?.forSide.map(evidence) ?? [],
                          debateAgainst: try l.debate?.against.map(evidence) ?? [], whatIf: try l.whatIf.map(evidence),
                          questions: try l.questions.map { Classroom.Pair(first: try ctx.html($0.question), second: try ctx.html($0.answer)) },
                          teachingNotes: try l.notes.map(ctx.html), lessonFile: displayPath(l.file))
        (c.wordStory, c.wordProblem, c.wordInsight, c.wordImpact) = (w(.theStory), w(.storyProblem), w(.storyInsight), w(.storyImpact))
        (c.wordAsk, c.wordAnalogy, c.wordActivity, c.wordDebate) = (w(.askTheRoom), w(.analogy), w(.keyActivity), w(.debate))
        (c.wordFor, c.wordAgainst, c.wordWhatIf, c.wordQuestions) = (w(.forSide), w(.against), w(.whatIf), w(.questions))
        return c
    }

    /// The figure, or nil when the run's data leaves it empty (recorded as a disagreement).
    func figure(_ spec: Lesson.Figure, _ ctx: LessonContext, lesson: Lesson, figureNames: inout [String: SourceSpot]) throws -> FigureRef? {
        var ref: FigureRef
        func bad(_ message: String) -> ReportError { ReportError.badInput("\(spec.at): \(message)") }
        switch spec.kind {
        case .bars:
            let series = try spec.series.map { s in
                (s.label, try s.runs.map { r -> Double in
                    let q = try ctx.metric(r, s.metric)
                    guard let v = q.scalar else { throw bad("the series \(s.label) needs one number per run; \(s.metric.name) is a series") }
                    // A time, size, rate or percentage arrives in its base unit: the axis must say
                    // that unit, unscaled, or its numbers would not be what the axis claims.
                    if let (needed, base) = Self.barUnit(q.dimension), needed != spec.unit || s.scale != 1 {
                        throw bad("the series \(s.label) draws \(s.metric.name), \(QuantityUnit(dimension: q.dimension, scale: 1).description) "
                                  + "(its values arrive in \(base)): give the figure unit: \(needed.rawValue) and no scale")
                    }
                    return v * s.scale
                })
            }
            ref = try drawn(BarChart(title: spec.title ?? "", categories: spec.categories, series: series, stacked: spec.stacked,
                                     unit: spec.unit, valueLabel: spec.axis ?? "", logScale: spec.log), spec, figureNames: &figureNames)
        case .exitReasons where !spec.runs.isEmpty:
            let found = try spec.runs.map { try ctx.run($0) }
            var reasons: [String] = []
            for r in found { for e in r.exits where !reasons.contains(e.reason) { reasons.append(e.reason) } }
            let chart = BarChart(title: spec.title ?? "", categories: reasons,
                                 series: found.map { r in (r.name, reasons.map { reason in Double(r.exits.first { $0.reason == reason }?.count ?? 0) }) },
                                 unit: .count, valueLabel: spec.axis ?? "", logScale: spec.log)
            ref = try drawn(chart, spec, figureNames: &figureNames)
        case .sweep:
            ref = try ctx.sweep(spec.sweep!).figure
        case .venn:
            ref = try ctx.profile(spec.profile!).figure
        case .walk2D:
            guard let d = diagrams["2d-walk"] else { throw bad("this build drew no 2-D walk diagram") }
            ref = d.figure
        case .exitReasons, .cycles, .outcomes, .latencyCDF, .latencyHistogram, .rounds, .stages, .remaining, .heatmap, .wwsVenn, .timeline, .eventCounts:
            let r = try ctx.run(spec.run!)
            guard RunReport.pageKinds(r.topic).contains(spec.kind) else {
                throw bad("a \(r.topic) run has no \(spec.kind.rawValue) figure; its page has \(RunReport.pageKinds(r.topic).map(\.rawValue).joined(separator: ", "))")
            }
            guard let f = r.figures.first(where: { $0.name.hasSuffix("-\(spec.kind.rawValue)") }) else {
                ctx.disagree(spec.at, "a \(spec.kind.rawValue) figure of \(r.name)", "the run has nothing to draw in it")
                return nil
            }
            ref = f
        }
        if let notice = spec.notice {
            let r = try ctx.render(notice, inline: true)
            ref.notice = r.html
            ref.noticePlain = r.plain
        }
        if let caption = spec.caption { ref.caption = try ctx.plain(caption) }
        if let alt = spec.alt { ref.alt = try ctx.plain(alt) }
        return ref
    }

    /// The axis unit a bar of a metric of this dimension must be drawn in (nil: any, for plain numbers).
    static func barUnit(_ dimension: String) -> (AxisUnit, base: String)? {
        switch dimension {
        case "time": (.nanoseconds, "nanoseconds")
        case "bytes": (.bytes, "bytes")
        case "bit/s": (.bitrate, "bits per second")
        case "%": (.percent, "percent")
        default: nil
        }
    }

    /// A prediction box: the answer is a value of the runs (or a choice its claim backs).
    func predictBox(_ spec: Lesson.Predict, _ ctx: LessonContext, id: String, lesson: Lesson) throws -> PredictBox {
        let w = { (word: CourseWord) in self.course.word(word) }
        var box = PredictBox(predictId: id, questionHTML: try ctx.html(spec.question), isChoice: spec.correct != nil,
                             choices: spec.choices.map { PredictBox.Choice(choiceLabel: $0, choiceValue: $0) }, expected: "", tolerance: "0",
                             toleranceText: nil, unitLabel: spec.unit, answerText: "", explainHTML: try spec.explain.map { try ctx.html($0) },
                             answerFigure: nil, wordPredict: w(.predict), wordYours: w(.yourPrediction), wordCheck: w(.checkPrediction),
                             wordAnswer: w(.answer), wordRight: w(.closeEnough), wordWrong: w(.notQuite), wordInvalid: w(.notANumber))
        if let value = spec.value {
            let q = try ctx.value(value.name, at: value.at)
            guard let v = q.scalar else { throw ReportError.badInput("\(value.at): a prediction's answer is one number; '\(value.name)' is \(q.text != nil ? "a text" : "a series")") }
            // The number in the unit the page prints it in, so that what the student types compares.
            let shown = try ctx.formatted(value.name, at: value.at)
            box.answerText = shown + (spec.unit.map { " " + $0 } ?? "")
            box.expected = Format.number(Self.displayed(v, shown))
            box.tolerance = Format.number(spec.tolerance)
            if spec.tolerance > 0 { box.toleranceText = w(.within).replacing("{tolerance}", with: Format.number(spec.tolerance * 100) + " %") }
        } else if let check = spec.check {
            // The claim that makes the answer right is checked like any other.
            _ = try ctx.render(LessonText(markdown: "{{? \(check.markdown) }}", at: check.at))
            box.expected = spec.correct!
            box.answerText = spec.correct!
        }
        if let name = spec.figure {
            let names = figureNames(of: lesson)
            guard let f = names.first(where: { $0 == name }) else {
                throw ReportError.badInput("\(spec.at): figure: names '\(name)', which is no figure of this lesson; its figures are \(names.joined(separator: ", "))")
            }
            box.answerFigure = FigureRef(name: f, dir: "figures/", caption: "", alt: w(.answer))
        }
        return box
    }

    /// The figure names a lesson's figures have (declared or a run's), for predict blocks.
    func figureNames(of lesson: Lesson) -> [String] {
        lesson.sections.flatMap(\.blocks).compactMap { b -> String? in
            guard case let .figure(f) = b else { return nil }
            if let n = f.name { return n }
            if let r = f.run { return "\(r.name)-\(f.kind.rawValue)" }
            if let sw = f.sweep { return "sweep-\(sw.name)" }
            if let p = f.profile { return "venn-\(p.name)" }
            return f.kind == .walk2D ? "memory-2d-walk" : nil
        }
    }

    /// A value as the number the page shows (245.48 from "245.48 ms", 23.7 from "23.7 %"),
    /// so the student types what they read; the value itself when the text holds no number.
    static func displayed(_ v: Double, _ shown: String) -> Double {
        let digits = shown.prefix { $0.isNumber || $0 == "." || $0 == "," || $0 == "-" }.replacing(",", with: "")
        return Double(digits) ?? v
    }

    /// A figure the lesson declares, drawn once under its name (two lessons cannot both claim a name).
    func drawn(_ chart: any Chart, _ spec: Lesson.Figure, figureNames: inout [String: SourceSpot]) throws -> FigureRef {
        let name = spec.name!
        if let other = figureNames[name] {
            throw ReportError.badInput("\(spec.at): the figure name '\(name)' is already used at \(other); figure names are unique in a course")
        }
        figureNames[name] = spec.at
        return try figure(chart, name)
    }

    func table(_ spec: Lesson.Table, _ ctx: LessonContext) throws -> Table {
        if let columns = spec.verdictColumns {
            var t = Table(caption: spec.caption, columns: columns)
            for p in profiles {
                t.add(p.name, p.theorems.map { th in
                    th.holds ? course.word(.holds)
                        : course.word(.fails) + ": " + th.counterexamples.prefix(4).joined(separator: ", ") + (th.counterexamples.count > 4 ? ", …" : "")
                })
            }
            return t
        }
        var t = Table(caption: spec.caption, columns: [course.word(.run)] + spec.columns.map(\.label))
        let found = try spec.runs.map { try ctx.run($0) }
        for c in spec.columns where !found.contains(where: { $0[metric: c.metric.name] != nil }) {
            throw ReportError.badInput("\(c.metric.at): no run of this table has the metric '\(c.metric.name)'")
        }
        for r in found {
            t.add(r.name, href: r.page, spec.columns.map { c in r[metric: c.metric.name].map { Format.metric($0, unit: r.unit(c.metric.name) ?? "") } ?? "–" })
        }
        return t
    }
}
