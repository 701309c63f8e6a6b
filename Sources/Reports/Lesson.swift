import Charts
import Ink
import SafeOutput
import Yams

/// A place in a lesson file, for every message about it.
package struct SourceSpot: Sendable, Equatable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var description: String { "\(file):\(line):\(column)" }
}

/// Markdown from a lesson, with where it starts (claims inside it are reported there).
package struct LessonText: Sendable, Equatable {
    package var markdown: String
    package var at: SourceSpot
}

/// A lesson: one topic page of the course and its deck, from `LESSONS/ID.md` — YAML front matter
/// (the page's title and hook, named values, the classroom parts of the lesson plans, the
/// take-aways and the try-it box), then Markdown: the problem, then `## ` sections whose prose,
/// ```` ```figure ```` and ```` ```table ```` blocks make the page. Prose prints named values as
/// `{{name}}` and backs each quantitative or comparative sentence with a claim `{{? a < b }}`
/// that `virtlab course` checks against the runs. The format, with a complete example, is in
/// docs/lessons.md; every mistake names the file, line and column and what is allowed.
package struct Lesson: Sendable {
    package struct Debate: Sendable {
        package var motion: LessonText
        package var forSide: [Point]
        package var against: [Point]
    }

    /// A debate argument or a what-if question, with the runs that give evidence.
    package struct Point: Sendable {
        package var text: LessonText
        package var evidence: [Named]
    }

    package struct Question: Sendable {
        package var question: LessonText
        package var answer: LessonText
    }

    package struct TryIt: Sendable {
        package var title: LessonText
        package var text: LessonText
        package var commands: [String]
        package var parameter: String?
    }

    /// A name written in the lesson (a run, a metric, a sweep) and where.
    package struct Named: Sendable, Equatable {
        package var name: String
        package var at: SourceSpot
    }

    /// A value the prose and claims use by name.
    package struct Value: Sendable {
        package enum Source: Sendable {
            /// A metric of a run; a `*` in the name makes a series (round_*_pages: round 1, 2, …).
            case metric(run: Named, metric: Named)
            /// A resolved scenario parameter of a run.
            case parameter(run: Named, key: Named)
            case expression(LessonExpression)
            /// A metric over a sweep's runs matching `filter`, ordered by the `by` parameter.
            case sweep(sweep: Named, metric: Named, filter: [(String, String)], by: String?)
            /// `runs`, `points` or `repetitions` (fewest runs at one parameter point) of a sweep.
            case sweepFact(sweep: Named, fact: String)
            /// A fact of a diagram the course draws (`2d-walk`: guest_levels, nested_levels, references).
            case diagram(name: Named, fact: Named)
            /// A Popek–Goldberg theorem on a profile: `holds` (1 or 0), `counterexamples` (how
            /// many), or `examples` (the first few counterexamples, as text).
            case profile(name: Named, theorem: Int, fact: String, examples: Int)
        }
        package var name: String
        package var at: SourceSpot
        package var source: Source
        package var format: ValueFormat?
        package var digits: Int?
        /// The unit to read a parameter or an expression in (`pages/s`, `ms`…).
        package var unit: QuantityUnit?
        package var scale: Double
    }

    /// A figure, declared: a run's chart, bars across runs, exits by reason across runs, a
    /// sweep's headline figure, or a diagram.
    package struct Figure: Sendable {
        package struct Series: Sendable {
            package var label: String
            package var metric: Named
            package var runs: [Named]
            package var scale: Double
        }
        package var at: SourceSpot
        package var kind: ChartKind
        /// The file name under figures/ (figures drawn for the lesson).
        package var name: String?
        package var run: Named?
        package var runs: [Named]
        package var sweep: Named?
        package var profile: Named?
        package var title: String?
        package var categories: [String]
        package var series: [Series]
        package var unit: AxisUnit
        package var axis: String?
        package var stacked: Bool
        package var log: Bool
        package var notice: LessonText?
        /// The caption and alt text in the lesson's words (default: computed from the chart's data, in English).
        package var caption: LessonText?
        package var alt: LessonText?
    }

    /// A table of runs and metrics, or of the Popek–Goldberg verdicts.
    package struct Table: Sendable {
        package var at: SourceSpot
        package var caption: String?
        package var runs: [Named]
        package var columns: [(metric: Named, label: String)]
        /// The theorem verdicts of every profile (`verdicts: profiles`), with these column labels.
        package var verdictColumns: [String]?
    }

    /// "Predict, then check": a question whose answer is a value of the runs (a number within a
    /// tolerance) or one of several choices backed by a claim.
    package struct Predict: Sendable {
        package var at: SourceSpot
        package var question: LessonText
        /// A number: the value it is checked against.
        package var value: Named?
        /// A choice: the options and the right one, with the claim that makes it right.
        package var choices: [String]
        package var correct: String?
        package var check: LessonText?
        /// Relative tolerance for a number (0.1 = within 10 %); 0: exact.
        package var tolerance: Double
        /// What the number counts ("rounds", "pages"), shown beside the input.
        package var unit: String?
        package var explain: LessonText?
        /// A figure of the lesson (by name) that shows the answer.
        package var figure: String?
    }

    package enum Block: Sendable {
        case prose(LessonText)
        case figure(Figure)
        case table(Table)
        case predict(Predict)
    }

    package struct Section: Sendable {
        package var id: String
        package var heading: String
        package var at: SourceSpot
        package var blocks: [Block]
    }

    /// The file name without `.md`: the page is `ID.html`.
    package var id: String
    package var file: String
    package var title: String
    package var label: String
    package var hook: LessonText
    /// The Markdown before the first section.
    package var problem: LessonText?
    package var story: (problem: LessonText, insight: LessonText, impact: LessonText)
    package var dramaticQuestion: LessonText?
    package var analogy: LessonText?
    package var activity: LessonText?
    package var debate: Debate?
    package var whatIf: [Point]
    package var questions: [Question]
    package var takeaways: [LessonText]
    package var tryIt: TryIt?
    package var notes: LessonText?
    /// Runs the page lists beyond those its figures, tables and values name.
    package var extraRuns: [Named]
    package var values: [Value]
    package var sections: [Section]
    /// The file's lines, to place a claim inside a folded YAML text on its own line.
    package var lines: [String] = []

    static let keys = ["title", "label", "hook", "story", "dramatic_question", "analogy", "activity", "debate", "what_if", "questions",
                       "takeaways", "try_it", "notes", "runs", "values"]

    /// Every run the lesson names (figures, tables, values, evidence, `runs:`), in order, once.
    package var runNames: [Named] {
        var out: [Named] = [], seen = Set<String>()
        func add(_ n: Named?) { if let n, seen.insert(n.name).inserted { out.append(n) } }
        for v in values {
            switch v.source {
            case let .metric(run, _), let .parameter(run, _): add(run)
            default: break
            }
        }
        for s in sections {
            for b in s.blocks {
                switch b {
                case let .figure(f):
                    add(f.run)
                    f.runs.forEach(add)
                    f.series.flatMap(\.runs).forEach(add)
                case let .table(t): t.runs.forEach(add)
                case .prose, .predict: break
                }
            }
        }
        (debate.map { $0.forSide + $0.against } ?? []).flatMap(\.evidence).forEach(add)
        whatIf.flatMap(\.evidence).forEach(add)
        extraRuns.forEach(add)
        return out
    }

    /// Every text of the lesson that may hold values and claims.
    package var texts: [LessonText] {
        var out = [hook, story.problem, story.insight, story.impact] + [problem, dramaticQuestion, analogy, activity, notes].compactMap { $0 }
        if let d = debate { out += [d.motion] + (d.forSide + d.against).map(\.text) }
        out += whatIf.map(\.text) + questions.flatMap { [$0.question, $0.answer] } + takeaways
        if let t = tryIt { out += [t.title, t.text] }
        for s in sections {
            for b in s.blocks {
                switch b {
                case let .prose(t): out.append(t)
                case let .figure(f): out += [f.notice, f.caption, f.alt].compactMap { $0 }
                case .table: break
                case let .predict(p): out += [p.question, p.check, p.explain].compactMap { $0 }
                }
            }
        }
        return out
    }

    /// Every sweep the lesson names.
    package var sweepNames: [Named] {
        var out: [Named] = []
        for v in values {
            switch v.source {
            case let .sweep(s, _, _, _), let .sweepFact(s, _): out.append(s)
            default: break
            }
        }
        for s in sections { for case let .figure(f) in s.blocks { if let w = f.sweep { out.append(w) } } }
        return out
    }

    /// Reads `folder/ID.md`; nil when there is no such file.
    /// - Throws: `ReportError.badInput` naming file, line and column for anything malformed.
    package static func load(id: String, folder: String) throws -> Lesson? {
        let path = "\(folder)/\(id).md"
        guard let bytes = readFile(path) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ReportError.badInput("\(path): not UTF-8 text") }
        return try parse(text, id: id, source: path)
    }

    /// Parses a lesson file's text.
    package static func parse(_ content: String, id: String, source: String) throws -> Lesson {
        let lines = content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first?.trimmingTrailingWhitespace() == "---", let end = lines.dropFirst().firstIndex(where: { $0.trimmingTrailingWhitespace() == "---" }) else {
            throw ReportError.badInput("\(source):1:1: a lesson starts with YAML front matter between two lines of ---")
        }
        let y = LessonYAML(file: source, firstLine: 2)
        let map = try y.mapping(try y.compose(lines[1..<end].joined(separator: "\n")), "the front matter", keys, required: ["title", "hook", "story"])
        let story = try y.mapping(map["story"], "story", ["problem", "insight", "impact"], required: ["problem", "insight", "impact"])
        var debate: Debate?
        if let d = map["debate"] {
            let m = try y.mapping(d, "debate", ["motion", "for", "against"], required: ["motion"])
            debate = Debate(motion: try y.text(m["motion"], "debate.motion"), forSide: try y.points(m["for"], "debate.for"),
                            against: try y.points(m["against"], "debate.against"))
        }
        var questions: [Question] = []
        for item in try y.sequence(map["questions"], "questions", "a list of {q: …, a: …}") {
            let m = try y.mapping(item, "each question", ["q", "a"], required: ["q", "a"])
            questions.append(Question(question: try y.text(m["q"], "q"), answer: try y.text(m["a"], "a")))
        }
        var tryIt: TryIt?
        if let t = map["try_it"] {
            let m = try y.mapping(t, "try_it", ["title", "text", "commands", "parameter"], required: ["title", "text", "commands"])
            tryIt = TryIt(title: try y.text(m["title"], "try_it.title"), text: try y.text(m["text"], "try_it.text"),
                          commands: try y.texts(m["commands"], "try_it.commands").map(\.markdown),
                          parameter: try m["parameter"].map { try y.plain($0, "try_it.parameter") })
        }
        var values: [Value] = []
        if let v = map["values"] {
            guard case let .mapping(m) = v else { throw y.fail(v, "values must be a mapping of names to what they are") }
            for (k, spec) in m {
                let name = try y.plain(k, "a value's name")
                guard name.first.map({ $0.isLetter || $0 == "_" }) == true, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                      !LessonExpression.functions.contains(name) else {
                    throw y.fail(k, "'\(name)' cannot name a value: use letters, digits and _, starting with a letter (not a function name)")
                }
                guard !values.contains(where: { $0.name == name }) else { throw y.fail(k, "the value '\(name)' is defined twice") }
                values.append(try y.value(name, spec))
            }
        }
        // The Markdown after the front matter: the problem, then ## sections.
        var problemLines: [(Int, String)] = [], sections: [Section] = []
        var current: Section?, prose: [(Int, String)] = []
        var fence: (kind: String, start: Int, lines: [String])?
        func flushProse() {
            let text = prose.map(\.1).joined(separator: "\n").trimmingWhitespace()
            if !text.isEmpty, let first = prose.first(where: { !$0.1.trimmingWhitespace().isEmpty }) {
                current?.blocks.append(.prose(LessonText(markdown: text, at: SourceSpot(file: source, line: first.0, column: 1))))
            }
            prose = []
        }
        for (offset, line) in lines[(end + 1)...].enumerated() {
            let number = end + 2 + offset
            if var f = fence {
                if line.trimmingTrailingWhitespace() == "```" {
                    let block = LessonYAML(file: source, firstLine: f.start + 1)
                    let node = try block.compose(f.lines.joined(separator: "\n"))
                    let spot = SourceSpot(file: source, line: f.start, column: 1)
                    switch f.kind {
                    case "figure": current?.blocks.append(.figure(try block.figure(node, at: spot)))
                    case "table": current?.blocks.append(.table(try block.table(node, at: spot)))
                    default: current?.blocks.append(.predict(try block.predict(node, at: spot)))
                    }
                    fence = nil
                } else {
                    f.lines.append(line)
                    fence = f
                }
                continue
            }
            if let kind = ["figure", "table", "predict"].first(where: { line.trimmingTrailingWhitespace() == "```" + $0 }) {
                guard current != nil else {
                    throw ReportError.badInput("\(source):\(number):1: a \(kind) block belongs to a section: put a '## Heading' line above it")
                }
                flushProse()
                fence = (kind, number, [])
                continue
            }
            if line.hasPrefix("## ") {
                flushProse()
                if let c = current { sections.append(c) }
                var heading = String(line.dropFirst(3)).trimmingWhitespace(), sid = ""
                if heading.hasSuffix("}"), let open = heading.range(of: "{#", options: .backwards) {
                    sid = String(heading[open.upperBound..<heading.index(before: heading.endIndex)])
                    heading = String(heading[..<open.lowerBound]).trimmingWhitespace()
                }
                if sid.isEmpty { sid = Self.slug(heading) }
                guard !sid.isEmpty, sid.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                    throw ReportError.badInput("\(source):\(number):1: a section id (## Heading {#id}) is letters, digits, - and _")
                }
                guard !sections.contains(where: { $0.id == sid }) else {
                    throw ReportError.badInput("\(source):\(number):1: two sections are called '\(sid)'; give one another id with {#id}")
                }
                current = Section(id: sid, heading: heading, at: SourceSpot(file: source, line: number, column: 4), blocks: [])
                continue
            }
            if current == nil { problemLines.append((number, line)) } else { prose.append((number, line)) }
        }
        if let f = fence { throw ReportError.badInput("\(source):\(f.start):1: the ```\(f.kind) block is not closed with ```") }
        flushProse()
        if let c = current { sections.append(c) }
        let problemText = problemLines.map(\.1).joined(separator: "\n").trimmingWhitespace()
        let problemStart = problemLines.first { !$0.1.trimmingWhitespace().isEmpty }?.0 ?? end + 2

        return Lesson(
            id: id, file: source, title: try y.plain(map["title"], "title"), label: try map["label"].map { try y.plain($0, "label") } ?? y.plain(map["title"], "title"),
            hook: try y.text(map["hook"], "hook"),
            problem: problemText.isEmpty ? nil : LessonText(markdown: problemText, at: SourceSpot(file: source, line: problemStart, column: 1)),
            story: (try y.text(story["problem"], "story.problem"), try y.text(story["insight"], "story.insight"), try y.text(story["impact"], "story.impact")),
            dramaticQuestion: try map["dramatic_question"].map { try y.text($0, "dramatic_question") },
            analogy: try map["analogy"].map { try y.text($0, "analogy") },
            activity: try map["activity"].map { try y.text($0, "activity") },
            debate: debate, whatIf: try y.points(map["what_if"], "what_if"), questions: questions,
            takeaways: try y.texts(map["takeaways"], "takeaways"), tryIt: tryIt,
            notes: try map["notes"].map { try y.text($0, "notes") },
            extraRuns: try y.names(map["runs"], "runs"), values: values, sections: sections, lines: lines)
    }

    /// Where `marker` (the start of a `{{…}}`) is, searching from the text's first line: folded
    /// YAML text has lost its line breaks, the file has not.
    func spot(of marker: Substring, after start: SourceSpot) -> SourceSpot? {
        // The marker itself (up to its }}); folded text may have joined it to the next line's words.
        let whole = marker.range(of: "}}").map { marker[..<$0.upperBound] } ?? marker.prefix(12)
        guard start.line >= 1, start.line <= lines.count else { return nil }
        for probe in [String(whole), String(whole.prefix(12))] where !probe.isEmpty && !probe.contains("\n") {
            for i in (start.line - 1)..<min(lines.count, start.line + 200) {
                if let r = lines[i].range(of: probe) {
                    return SourceSpot(file: file, line: i + 1, column: lines[i].distance(from: lines[i].startIndex, to: r.lowerBound) + 1)
                }
            }
        }
        return nil
    }

    /// A heading as an id: lower-case letters and digits joined by -.
    static func slug(_ heading: String) -> String {
        var out = "", dash = false
        for c in heading.lowercased() {
            if c.isLetter && c.isASCII || c.isNumber && c.isASCII {
                if dash && !out.isEmpty { out.append("-") }
                out.append(c)
                dash = false
            } else {
                dash = true
            }
        }
        return out
    }

    // MARK: - Rendering

    /// Markdown as HTML (Ink). Lesson files are written by the lecturer, like the templates: HTML
    /// in them passes through.
    package static func html(_ markdown: String) -> String {
        var html = MarkdownParser().html(from: markdown).trimmingWhitespace()
        // Column headers say so, as the site's own tables do (screen readers announce them).
        var out = "", rest = Substring(html)
        while let open = rest.range(of: "<thead>"), let close = rest[open.upperBound...].range(of: "</thead>") {
            out += rest[..<open.upperBound] + rest[open.upperBound..<close.lowerBound].replacing("<th>", with: "<th scope=\"col\">") + "</thead>"
            rest = rest[close.upperBound...]
        }
        html = out + rest
        return html
    }

    /// Markdown as plain text for slides: emphasis, code and link syntax removed.
    package static func plain(_ markdown: String) -> String {
        var s = markdown
        // [text](url) → text
        while let open = s.firstRange(of: "]("), let start = s[..<open.lowerBound].lastIndex(of: "["),
              let close = s[open.upperBound...].firstIndex(of: ")") {
            s.replaceSubrange(start...close, with: s[s.index(after: start)..<open.lowerBound])
        }
        for mark in ["**", "__", "`"] { s = s.replacing(mark, with: "") }
        return s.replacing(" *", with: " ").replacing("* ", with: " ").replacing("\n", with: " ").trimmingWhitespace()
    }
}

/// Reading YAML nodes of a lesson file into its parts, with file:line:column in every message.
struct LessonYAML {
    let file: String
    /// The file's line number of the YAML text's first line.
    let firstLine: Int

    func spot(_ node: Node?) -> SourceSpot {
        node?.mark.map { SourceSpot(file: file, line: $0.line + firstLine - 1, column: $0.column) } ?? SourceSpot(file: file, line: firstLine, column: 1)
    }

    func fail(_ node: Node?, _ message: String) -> ReportError { ReportError.badInput("\(spot(node)): \(message)") }

    func compose(_ yaml: String) throws -> Node? {
        do { return try Yams.compose(yaml: yaml) } catch let e as YamlError {
            switch e {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
                let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                throw ReportError.badInput("\(file):\(mark.line + firstLine - 1):\(mark.column): not valid YAML (\(what))")
            case let .duplicatedKeysInMapping(duplicates, _):
                throw ReportError.badInput("\(file): \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) is given twice; keep one")
            default:
                throw ReportError.badInput("\(file):\(firstLine): not YAML: \(e)")
            }
        }
    }

    func mapping(_ node: Node?, _ what: String, _ allowed: [String], required: [String]) throws -> [String: Node] {
        guard let node, case let .mapping(m) = node else { throw fail(node, "\(what) must be a mapping of \(allowed.joined(separator: ", "))") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.string, allowed.contains(key) else {
                throw fail(k, "unknown key '\(k.string ?? "?")' in \(what); allowed: \(allowed.joined(separator: ", "))")
            }
            guard out[key] == nil else { throw fail(k, "'\(key)' is given twice") }
            out[key] = v
        }
        for r in required where out[r] == nil { throw fail(node, "\(what) needs \(r)") }
        return out
    }

    func sequence(_ node: Node?, _ what: String, _ shape: String) throws -> [Node] {
        guard let node else { return [] }
        guard case let .sequence(seq) = node else { throw fail(node, "\(what) must be \(shape)") }
        return Array(seq)
    }

    func plain(_ node: Node?, _ what: String) throws -> String {
        guard let node, case let .scalar(s) = node, !s.string.trimmingWhitespace().isEmpty else { throw fail(node, "\(what) must be text") }
        return s.string.trimmingWhitespace()
    }

    func text(_ node: Node?, _ what: String) throws -> LessonText {
        var at = spot(node)
        // A block scalar (> or |) starts on the line after its indicator.
        if case let .scalar(s)? = node, s.style == .folded || s.style == .literal { at.line += 1; at.column = 1 }
        return LessonText(markdown: try plain(node, what), at: at)
    }

    func texts(_ node: Node?, _ what: String) throws -> [LessonText] {
        try sequence(node, what, "a list of texts").map { try text($0, "each item of \(what)") }
    }

    func names(_ node: Node?, _ what: String) throws -> [Lesson.Named] {
        try sequence(node, what, "a list of names").map { Lesson.Named(name: try plain($0, "each item of \(what)"), at: spot($0)) }
    }

    func name(_ node: Node?, _ what: String) throws -> Lesson.Named {
        Lesson.Named(name: try plain(node, what), at: spot(node))
    }

    /// A list of texts, each either plain or `{text: …, evidence: [runs]}`.
    func points(_ node: Node?, _ what: String) throws -> [Lesson.Point] {
        try sequence(node, what, "a list of texts").map { item in
            if case .mapping = item {
                let m = try mapping(item, "each item of \(what)", ["text", "evidence"], required: ["text"])
                return Lesson.Point(text: try text(m["text"], "\(what).text"), evidence: try names(m["evidence"], "\(what).evidence"))
            }
            return Lesson.Point(text: try text(item, "each item of \(what)"), evidence: [])
        }
    }

    func number(_ node: Node?, _ what: String) throws -> Double {
        let s = try plain(node, what)
        guard let v = Double(s.replacing("_", with: "")), v.isFinite else { throw fail(node, "\(what) must be a number, not '\(s)'") }
        return v
    }

    func bool(_ node: Node?, _ what: String) throws -> Bool {
        guard let node else { return false }
        switch try plain(node, what) {
        case "true", "yes": return true
        case "false", "no": return false
        case let s: throw fail(node, "\(what) is true or false, not '\(s)'")
        }
    }

    func value(_ name: String, _ node: Node) throws -> Lesson.Value {
        let common = ["format", "digits", "unit", "scale"]
        let sources = ["run", "expr", "sweep", "diagram", "profile"]
        guard case let .mapping(m) = node else {
            throw fail(node, "the value '\(name)' must be a mapping with one of \(sources.joined(separator: ", ")) (see docs/lessons.md)")
        }
        let keys = m.keys.compactMap(\.string)
        let from = sources.filter { keys.contains($0) }
        guard from.count == 1 else {
            throw fail(node, "the value '\(name)' needs exactly one of \(sources.joined(separator: ", ")); it has \(from.isEmpty ? "none" : from.joined(separator: " and "))")
        }
        let source: Lesson.Value.Source, map: [String: Node]
        switch from[0] {
        case "run":
            map = try mapping(node, "the value '\(name)'", ["run", "metric", "param"] + common, required: ["run"])
            let run = try self.name(map["run"], "run")
            switch (map["metric"], map["param"]) {
            case let (metric?, nil): source = .metric(run: run, metric: try self.name(metric, "metric"))
            case let (nil, param?): source = .parameter(run: run, key: try self.name(param, "param"))
            default: throw fail(node, "the value '\(name)' takes a run's metric: or its param: (one of them)")
            }
        case "expr":
            map = try mapping(node, "the value '\(name)'", ["expr"] + common, required: ["expr"])
            do { source = .expression(try LessonExpressionParser.expression(try plain(map["expr"], "expr"))) } catch let e as LessonError {
                throw fail(map["expr"], e.description)
            }
        case "sweep":
            map = try mapping(node, "the value '\(name)'", ["sweep", "metric", "where", "by", "fact"] + common, required: ["sweep"])
            let sweep = try self.name(map["sweep"], "sweep")
            if let fact = map["fact"] {
                let f = try plain(fact, "fact")
                guard ["runs", "points", "repetitions"].contains(f) else { throw fail(fact, "a sweep's fact is runs, points or repetitions") }
                source = .sweepFact(sweep: sweep, fact: f)
            } else {
                guard map["metric"] != nil else { throw fail(node, "the value '\(name)' takes a sweep's metric: (or fact:)") }
                var filter: [(String, String)] = []
                if let w = map["where"] {
                    guard case let .mapping(wm) = w else { throw fail(w, "where: is a mapping of scenario keys to values") }
                    filter = try wm.map { (try plain($0.key, "a where: key"), try plain($0.value, "a where: value")) }
                }
                source = .sweep(sweep: sweep, metric: try self.name(map["metric"], "metric"), filter: filter, by: try map["by"].map { try plain($0, "by") })
            }
        case "diagram":
            map = try mapping(node, "the value '\(name)'", ["diagram", "fact"] + common, required: ["diagram", "fact"])
            source = .diagram(name: try self.name(map["diagram"], "diagram"), fact: try self.name(map["fact"], "fact"))
        default:
            map = try mapping(node, "the value '\(name)'", ["profile", "theorem", "fact", "examples"] + common, required: ["profile", "fact"])
            let theorem = try map["theorem"].map { try number($0, "theorem") } ?? 1
            guard [1, 2, 3].contains(theorem) else { throw fail(map["theorem"], "theorem is 1, 2 or 3") }
            let fact = try plain(map["fact"], "fact")
            guard ["holds", "counterexamples", "examples"].contains(fact) else {
                throw fail(map["fact"], "a profile's fact is holds, counterexamples or examples")
            }
            source = .profile(name: try self.name(map["profile"], "profile"), theorem: Int(theorem), fact: fact,
                              examples: Int(try map["examples"].map { try number($0, "examples") } ?? 3))
        }
        var format: ValueFormat?
        if let f = map["format"] {
            let s = try plain(f, "format")
            guard let v = ValueFormat(rawValue: s) else { throw fail(f, "unknown format '\(s)'; allowed: \(ValueFormat.allCases.map(\.rawValue).joined(separator: ", "))") }
            format = v
        }
        var digits: Int?
        if let d = map["digits"] {
            let v = try number(d, "digits")
            guard v >= 0, v <= 5, v == v.rounded() else { throw fail(d, "digits is a whole number from 0 to 5") }
            digits = Int(v)
        }
        return Lesson.Value(name: name, at: spot(node), source: source, format: format, digits: digits,
                            unit: try map["unit"].map { QuantityUnit.metric(try plain($0, "unit")) },
                            scale: try map["scale"].map { try number($0, "scale") } ?? 1)
    }

    static let figureKeys = ["chart", "name", "run", "runs", "sweep", "profile", "title", "categories", "series", "unit", "axis", "stacked", "log", "notice",
                             "caption", "alt"]

    func figure(_ node: Node?, at: SourceSpot) throws -> Lesson.Figure {
        let m = try mapping(node, "a figure", Self.figureKeys, required: ["chart"])
        let kindText = try plain(m["chart"], "chart")
        guard let kind = ChartKind(rawValue: kindText) else {
            throw fail(m["chart"], "unknown chart kind '\(kindText)'; allowed: \(ChartKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var f = Lesson.Figure(at: at, kind: kind, name: try m["name"].map { try plain($0, "name") }, run: try m["run"].map { try name($0, "run") },
                              runs: try names(m["runs"], "runs"), sweep: try m["sweep"].map { try name($0, "sweep") },
                              profile: try m["profile"].map { try name($0, "profile") }, title: try m["title"].map { try plain($0, "title") },
                              categories: try texts(m["categories"], "categories").map(\.markdown), series: [], unit: .plain,
                              axis: try m["axis"].map { try plain($0, "axis") }, stacked: try bool(m["stacked"], "stacked"), log: try bool(m["log"], "log"),
                              notice: try m["notice"].map { try text($0, "notice") }, caption: try m["caption"].map { try text($0, "caption") },
                              alt: try m["alt"].map { try text($0, "alt") })
        if let u = m["unit"] {
            let s = try plain(u, "unit")
            guard let unit = AxisUnit(rawValue: s) else { throw fail(u, "unknown axis unit '\(s)'; allowed: \(AxisUnit.allCases.map(\.rawValue).joined(separator: ", "))") }
            f.unit = unit
        }
        if let name = f.name, name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            throw fail(m["name"], "a figure's name is letters, digits, - and _ (it names figures/NAME.svg)")
        }
        for s in try sequence(m["series"], "series", "a list of {label, metric, runs}") {
            let sm = try mapping(s, "each series", ["label", "metric", "runs", "scale"], required: ["label", "metric", "runs"])
            let series = Lesson.Figure.Series(label: try plain(sm["label"], "label"), metric: try name(sm["metric"], "metric"),
                                              runs: try names(sm["runs"], "runs"), scale: try sm["scale"].map { try number($0, "scale") } ?? 1)
            guard series.runs.count == f.categories.count else {
                throw fail(sm["runs"], "a series has one run per category: \(f.categories.count) categories, \(series.runs.count) runs")
            }
            f.series.append(series)
        }
        // What each kind needs, and nothing it would ignore.
        func only(_ allowed: [String], needs: [String]) throws {
            for (k, v) in m where !(["chart", "notice", "caption", "alt"] + allowed).contains(k) {
                throw fail(v, "a \(kind.rawValue) figure does not take \(k); it takes \((allowed + ["notice", "caption", "alt"]).joined(separator: ", "))")
            }
            for n in needs where m[n] == nil { throw fail(node, "a \(kind.rawValue) figure needs \(n)") }
        }
        switch kind {
        case .bars:
            try only(["name", "title", "categories", "series", "unit", "axis", "stacked", "log"], needs: ["name", "title", "categories", "series"])
        case .exitReasons where m["runs"] != nil:
            try only(["name", "title", "runs", "axis", "log"], needs: ["name", "title"])
        case .sweep: try only(["sweep"], needs: ["sweep"])
        case .venn: try only(["profile"], needs: ["profile"])
        case .walk2D: try only([], needs: [])
        case .exitReasons, .cycles, .outcomes, .latencyCDF, .latencyHistogram, .rounds, .stages, .remaining, .heatmap, .wwsVenn, .timeline, .eventCounts:
            try only(["run"], needs: ["run"])
        }
        return f
    }

    func predict(_ node: Node?, at: SourceSpot) throws -> Lesson.Predict {
        let m = try mapping(node, "a predict block", ["question", "answer", "choices", "check", "tolerance", "unit", "explain", "figure"],
                            required: ["question", "answer"])
        var p = Lesson.Predict(at: at, question: try text(m["question"], "question"), value: nil, choices: try texts(m["choices"], "choices").map(\.markdown),
                               correct: nil, check: try m["check"].map { try text($0, "check") }, tolerance: 0,
                               unit: try m["unit"].map { try plain($0, "unit") }, explain: try m["explain"].map { try text($0, "explain") },
                               figure: try m["figure"].map { try plain($0, "figure") })
        if p.choices.isEmpty {
            p.value = try name(m["answer"], "answer")
            guard p.check == nil else { throw fail(m["check"], "check: backs a choice; a number's answer is a value of the runs already") }
            if let t = m["tolerance"] {
                let s = try plain(t, "tolerance")
                guard s.hasSuffix("%"), let v = Double(s.dropLast().trimmingWhitespace()), v >= 0, v <= 100 else {
                    throw fail(t, "tolerance is a percentage from 0% to 100% (0%: exact)")
                }
                p.tolerance = v / 100
            }
        } else {
            let correct = try plain(m["answer"], "answer")
            guard p.choices.contains(correct) else { throw fail(m["answer"], "the answer '\(correct)' is not one of the choices: \(p.choices.joined(separator: ", "))") }
            guard p.choices.count >= 2 else { throw fail(m["choices"], "give at least two choices") }
            guard p.check != nil else { throw fail(node, "a choice needs check: a claim that the runs make it the right one (e.g. check: post_down < pre_down)") }
            guard m["tolerance"] == nil else { throw fail(m["tolerance"], "tolerance goes with a number's answer, not a choice") }
            p.correct = correct
        }
        return p
    }

    func table(_ node: Node?, at: SourceSpot) throws -> Lesson.Table {
        let m = try mapping(node, "a table", ["caption", "runs", "columns", "verdicts"], required: [])
        var t = Lesson.Table(at: at, caption: try m["caption"].map { try plain($0, "caption") }, runs: try names(m["runs"], "runs"), columns: [])
        if let v = m["verdicts"] {
            guard m["runs"] == nil else { throw fail(v, "a table shows runs or verdicts, not both") }
            t.verdictColumns = try texts(v, "verdicts").map(\.markdown)
            guard t.verdictColumns?.count == 4 else { throw fail(v, "verdicts: lists four column labels: profile, theorem 1, theorem 2, theorem 3") }
            return t
        }
        guard !t.runs.isEmpty, let c = m["columns"], case let .mapping(cols) = c else {
            throw fail(node, "a table needs runs: (a list) and columns: (metric: label, …), or verdicts:")
        }
        t.columns = try cols.map { (Lesson.Named(name: try plain($0.key, "a column's metric"), at: spot($0.key)), try plain($0.value, "a column's label")) }
        return t
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
