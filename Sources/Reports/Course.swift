import SafeOutput
import Yams

/// The words of the course's pages and decks that are not in a lesson: navigation, deck links,
/// slide titles, the claim marks. They live in `course.yaml` (`words:`) so that a translated
/// course has no English left from Swift; every one is required, and a missing or unknown one
/// is bad input.
package enum CourseWord: String, CaseIterable, Sendable {
    case overview, figures, topicOf = "topic_of", pending, run
    case deckPowerPoint = "deck_powerpoint", deckPDF = "deck_pdf", deckNotes = "deck_notes"
    case checked, disagrees, evidence
    case theProblem = "the_problem", theStory = "the_story", storyProblem = "story_problem", storyInsight = "story_insight", storyImpact = "story_impact"
    case askTheRoom = "ask_the_room", analogy, keyActivity = "key_activity", debate, forSide = "for", against, whatIf = "what_if"
    case questions, takeaways, whatToNotice = "what_to_notice", holds, fails
    case predict, yourPrediction = "your_prediction", checkPrediction = "check_prediction", answer, closeEnough = "close_enough", notQuite = "not_quite"
    case within, notANumber = "not_a_number"
}

/// The course: `LESSONS/course.yaml` (the site's title and introduction, the lessons in
/// teaching order, the sweeps listed as experiments, the words of the pages) and a lesson file
/// per entry. `virtlab course --lessons DIR` builds it; the builder simulates exactly the runs
/// and sweeps the lessons name.
package struct Course: Sendable {
    package var folder: String
    package var title: String
    package var intro: LessonText
    package var lessons: [Lesson]
    /// Sweeps the index lists as experiments (beside those the lessons use).
    package var experiments: [Lesson.Named]
    package var words: [CourseWord: String]

    /// A word of the pages, with `{n}`-style placeholders filled.
    package func word(_ w: CourseWord, _ fill: [String: String] = [:]) -> String {
        var s = words[w] ?? w.rawValue
        for (k, v) in fill { s = s.replacing("{\(k)}", with: v) }
        return s
    }

    /// Every run the lessons name, once, in lesson order.
    package var runNames: [Lesson.Named] {
        var seen = Set<String>()
        return lessons.flatMap(\.runNames).filter { seen.insert($0.name).inserted }
    }

    /// Every sweep the lessons name or the course lists, once.
    package var sweepNames: [Lesson.Named] {
        var seen = Set<String>()
        return (lessons.flatMap(\.sweepNames) + experiments).filter { seen.insert($0.name).inserted }
    }

    /// The navigation bar of every course page.
    package func nav(current: String?) -> [NavLink] {
        [NavLink(href: "index.html", label: word(.overview), current: current == "index")]
            + lessons.map { NavLink(href: "\($0.id).html", label: $0.label, current: current == $0.id) }
            + [NavLink(href: "figures.html", label: word(.figures), current: current == "figures")]
    }

    /// Reads `folder/course.yaml` and the lessons it lists.
    /// - Throws: `ReportError.badInput` with file, line and column for anything malformed.
    package static func load(folder: String) throws -> Course {
        let path = "\(folder)/course.yaml"
        guard let bytes = readFile(path) else {
            throw ReportError.badInput("\(path): no course file; a lessons folder has course.yaml and a lesson per topic (virtlab course init DIR writes one)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ReportError.badInput("\(path): not UTF-8 text") }
        let y = LessonYAML(file: path, firstLine: 1)
        let map = try y.mapping(try y.compose(text), "course.yaml", ["title", "intro", "lessons", "experiments", "words"],
                                required: ["title", "intro", "lessons", "words"])
        var lessons: [Lesson] = []
        for n in try y.names(map["lessons"], "lessons") {
            guard n.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), n.name != "index", n.name != "figures" else {
                throw ReportError.badInput("\(n.at): a lesson's name is letters, digits, - and _ (and not index or figures): it names NAME.md and NAME.html")
            }
            guard !lessons.contains(where: { $0.id == n.name }) else { throw ReportError.badInput("\(n.at): the lesson '\(n.name)' is listed twice") }
            guard let lesson = try Lesson.load(id: n.name, folder: folder) else {
                throw ReportError.badInput("\(n.at): no lesson file \(folder)/\(n.name).md")
            }
            lessons.append(lesson)
        }
        guard !lessons.isEmpty else { throw y.fail(map["lessons"], "a course lists at least one lesson") }
        guard case let .mapping(wm)? = map["words"] else { throw y.fail(map["words"], "words: is a mapping of \(CourseWord.allCases.map(\.rawValue).joined(separator: ", "))") }
        var words: [CourseWord: String] = [:]
        for (k, v) in wm {
            let key = try y.plain(k, "a word's key")
            guard let w = CourseWord(rawValue: key) else {
                throw y.fail(k, "unknown word '\(key)'; words: has \(CourseWord.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            words[w] = try y.plain(v, "the word \(key)")
        }
        let missing = CourseWord.allCases.filter { words[$0] == nil }
        guard missing.isEmpty else { throw y.fail(map["words"], "words: misses \(missing.map(\.rawValue).joined(separator: ", "))") }
        return Course(folder: folder, title: try y.plain(map["title"], "title"), intro: try y.text(map["intro"], "intro"), lessons: lessons,
                      experiments: try y.names(map["experiments"], "experiments"), words: words)
    }

    /// Checks that every run the lessons name is one the builder can simulate, before it does.
    /// - Throws: `ReportError.badInput` at the first unknown name, listing the allowed ones.
    package func checkRuns(known: Set<String>) throws {
        for n in runNames where !known.contains(n.name) {
            let close = known.filter { $0.hasPrefix(String(n.name.prefix(4))) }.sorted().prefix(8)
            throw ReportError.badInput("\(n.at): no run '\(n.name)': a lesson names a built-in preset (virtlab scenarios list)"
                                        + (close.isEmpty ? "" : "; similar: \(close.joined(separator: ", "))"))
        }
    }

    /// Checks that every sweep the lessons name has a sweep file.
    package func checkSweeps(known: Set<String>) throws {
        for n in sweepNames where !known.contains(n.name) {
            throw ReportError.badInput("\(n.at): no sweep '\(n.name)'; the sweeps folder has \(known.sorted().joined(separator: ", "))")
        }
    }
}
