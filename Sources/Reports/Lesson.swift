import Ink
import SafeOutput
import Yams

/// The classroom part of a lesson, from `Templates/lessons/TOPIC.md`: the story (problem →
/// insight → impact), the dramatic question and an analogy, the in-class activity, the debate,
/// what-if questions and a question bank, plus free Markdown teaching notes. A lecturer edits,
/// translates or deletes these files without touching Swift (a topic without a lesson file
/// simply has no classroom sections). Text fields are Markdown, rendered with Ink; the file
/// format is in docs/lessons.md with a complete example.
///
/// The front matter is YAML between `---` lines; the Markdown after it is the teaching notes.
/// Every mistake names the file, line and column, and what is allowed.
package struct Lesson: Sendable, Equatable {
    package struct Debate: Sendable, Equatable {
        package var motion: String
        package var forSide: [String]
        package var against: [String]
    }

    package struct Question: Sendable, Equatable {
        package var question: String
        package var answer: String
    }

    package var topic: String
    package var story: (problem: String, insight: String, impact: String)
    package var dramaticQuestion: String?
    package var analogy: String?
    package var activity: String?
    package var debate: Debate?
    package var whatIf: [String]
    package var questions: [Question]
    /// The Markdown after the front matter.
    package var notes: String

    package static func == (a: Lesson, b: Lesson) -> Bool {
        a.topic == b.topic && a.story == b.story && a.dramaticQuestion == b.dramaticQuestion && a.analogy == b.analogy
            && a.activity == b.activity && a.debate == b.debate && a.whatIf == b.whatIf && a.questions == b.questions && a.notes == b.notes
    }

    static let keys = ["topic", "story", "dramatic_question", "analogy", "activity", "debate", "what_if", "questions"]

    /// Reads `folder/TOPIC.md`; nil when there is no such file.
    /// - Throws: `ReportError.badInput` naming file, line and column for anything malformed.
    package static func load(topic: String, folder: String) throws -> Lesson? {
        let path = "\(folder)/\(topic).md"
        guard let bytes = readFile(path) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ReportError.badInput("\(path): not UTF-8 text") }
        let lesson = try parse(text, source: path)
        guard lesson.topic == topic else {
            throw ReportError.badInput("\(path): topic is '\(lesson.topic)' but the file is named for '\(topic)'; rename one of them")
        }
        return lesson
    }

    /// Parses a lesson file's text.
    package static func parse(_ content: String, source: String) throws -> Lesson {
        let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingTrailingWhitespace() == "---", let end = lines.dropFirst().firstIndex(where: { $0.trimmingTrailingWhitespace() == "---" }) else {
            throw ReportError.badInput("\(source):1:1: a lesson starts with YAML front matter between two lines of ---")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let notes = lines[(end + 1)...].joined(separator: "\n").trimmingWhitespace()
        func fail(_ node: Node?, _ message: String) -> ReportError {
            // Lines in the front matter are one below the file's (the opening ---).
            let at = node?.mark.map { "\($0.line + 1):\($0.column)" } ?? "2:1"
            return ReportError.badInput("\(source):\(at): \(message)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch let e as YamlError {
            switch e {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
                let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                throw ReportError.badInput("\(source):\(mark.line + 1):\(mark.column): the front matter is not valid YAML (\(what))")
            case let .duplicatedKeysInMapping(duplicates, _):
                throw ReportError.badInput("\(source): \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) is given twice in the front matter; keep one")
            default:
                throw ReportError.badInput("\(source): the front matter is not YAML: \(e)")
            }
        }
        guard let root, case let .mapping(map) = root else { throw fail(root, "the front matter must be a mapping of keys: \(keys.joined(separator: ", "))") }
        var values: [String: Node] = [:]
        for (k, v) in map {
            guard let key = k.string, keys.contains(key) else {
                throw fail(k, "unknown key '\(k.string ?? "?")'; a lesson has \(keys.joined(separator: ", "))")
            }
            guard values[key] == nil else { throw fail(k, "'\(key)' is given twice") }
            values[key] = v
        }
        func text(_ node: Node?, _ what: String) throws -> String {
            guard let node, case let .scalar(s) = node, !s.string.trimmingWhitespace().isEmpty else { throw fail(node, "\(what) must be text") }
            return s.string.trimmingWhitespace()
        }
        func list(_ node: Node?, _ what: String) throws -> [String] {
            guard let node else { return [] }
            guard case let .sequence(seq) = node else { throw fail(node, "\(what) must be a list of texts") }
            return try seq.map { try text($0, "each item of \(what)") }
        }
        func mapping(_ node: Node?, _ what: String, _ allowed: [String], required: [String]) throws -> [String: Node] {
            guard let node, case let .mapping(m) = node else { throw fail(node ?? root, "\(what) must be a mapping of \(allowed.joined(separator: ", "))") }
            var out: [String: Node] = [:]
            for (k, v) in m {
                guard let key = k.string, allowed.contains(key) else { throw fail(k, "unknown key '\(k.string ?? "?")' in \(what); allowed: \(allowed.joined(separator: ", "))") }
                out[key] = v
            }
            for r in required where out[r] == nil { throw fail(node, "\(what) needs \(r)") }
            return out
        }
        guard values["topic"] != nil else { throw fail(root, "a lesson names its topic (topic: memory)") }
        guard values["story"] != nil else { throw fail(root, "a lesson tells its story: story: with problem, insight and impact") }
        let story = try mapping(values["story"], "story", ["problem", "insight", "impact"], required: ["problem", "insight", "impact"])
        var debate: Debate?
        if let d = values["debate"] {
            let m = try mapping(d, "debate", ["motion", "for", "against"], required: ["motion"])
            debate = Debate(motion: try text(m["motion"], "debate.motion"), forSide: try list(m["for"], "debate.for"), against: try list(m["against"], "debate.against"))
        }
        var questions: [Question] = []
        if let q = values["questions"] {
            guard case let .sequence(seq) = q else { throw fail(q, "questions must be a list of {q: …, a: …}") }
            for item in seq {
                let m = try mapping(item, "each question", ["q", "a"], required: ["q", "a"])
                questions.append(Question(question: try text(m["q"], "q"), answer: try text(m["a"], "a")))
            }
        }
        return Lesson(topic: try text(values["topic"], "topic"),
                      story: (try text(story["problem"], "story.problem"), try text(story["insight"], "story.insight"), try text(story["impact"], "story.impact")),
                      dramaticQuestion: try values["dramatic_question"].map { try text($0, "dramatic_question") },
                      analogy: try values["analogy"].map { try text($0, "analogy") },
                      activity: try values["activity"].map { try text($0, "activity") },
                      debate: debate, whatIf: try list(values["what_if"], "what_if"), questions: questions, notes: notes)
    }

    // MARK: - Rendering

    /// Markdown as HTML (Ink). Lesson files are written by the lecturer, like the templates: HTML
    /// in them passes through.
    package static func html(_ markdown: String) -> String {
        MarkdownParser().html(from: markdown).trimmingWhitespace()
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
