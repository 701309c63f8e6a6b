import Foundation
import Testing
@testable import Reports

@Suite struct LessonTests {
    static let example: String = {
        // The complete example of docs/lessons.md is a valid lesson: the documentation cannot drift.
        let doc = try! String(contentsOfFile: CourseFiles.repoRoot + "/docs/lessons.md", encoding: .utf8)
        let start = doc.range(of: "```markdown\n")!.upperBound
        let end = doc.range(of: "\n```", range: start..<doc.endIndex)!.lowerBound
        return String(doc[start..<end]) + "\n"
    }()

    @Test func theDocumentedExampleParses() throws {
        let l = try Lesson.parse(Self.example, source: "example.md")
        #expect(l.topic == "migration")
        #expect(l.story.problem.hasPrefix("A running VM"))
        #expect(l.debate?.motion == "Post-copy should replace pre-copy as the default.")
        #expect(l.debate?.forSide == ["Every page crosses the network once."])
        #expect(l.whatIf.count == 1 && l.questions.count == 1)
        #expect(l.notes == "Teaching notes in Markdown: show the non-converging run twice.")
        #expect(Lesson.html(l.story.insight).contains("<strong>Pre-copy</strong>"))
        #expect(Lesson.plain("**Pre-copy** sends `pages` to [the host](http://x)") == "Pre-copy sends pages to the host")
    }

    /// Every shipped lesson parses and names its topic.
    @Test(arguments: ["memory", "cpu", "io", "migration"])
    func theShippedLessonsParse(_ topic: String) throws {
        let l = try #require(try Lesson.load(topic: topic, folder: CourseFiles.repoRoot + "/Templates/lessons"))
        #expect(l.topic == topic)
        #expect(l.debate != nil && !l.whatIf.isEmpty && !l.questions.isEmpty && l.activity != nil)
    }

    @Test func mistakesNameFileLineAndWhatIsAllowed() throws {
        func error(_ text: String) -> String {
            do { _ = try Lesson.parse(text, source: "l.md"); return "no error" } catch { return "\(error)" }
        }
        #expect(error("topic: x\n").contains("l.md:1:1: a lesson starts with YAML front matter"))
        #expect(error("---\ntopic: io\nstorry: x\n---\n").contains("l.md:3:1: unknown key 'storry'; a lesson has topic, story"))
        #expect(error("---\ntopic: io\n---\n").contains("a lesson tells its story"))
        #expect(error("---\ntopic: io\nstory:\n  problem: a\n  insight: b\n---\n").contains("story needs impact"))
        #expect(error("---\ntopic: io\nstory: {problem: a, insight: b, impact: c}\nwhat_if: just one\n---\n").contains("l.md:4:10: what_if must be a list of texts"))
        #expect(error("---\ntopic: io\nstory: {problem: a, insight: b, impact: c}\ndebate: {for: [x]}\n---\n").contains("debate needs motion"))
        #expect(error("---\ntopic: io\nstory: {problem: a, insight: b, impact: c}\ntopic: cpu\n---\n").contains("'topic' is given twice"))
        #expect(error("---\ntopic: io\nstory: [unclosed\n---\n").contains("l.md:4:1: the front matter is not valid YAML"))
        // A lesson for another topic than its file name.
        let dir = FileManager.default.temporaryDirectory.path + "/virtlab-lessons-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "---\ntopic: io\nstory: {problem: a, insight: b, impact: c}\n---\n".write(toFile: dir + "/cpu.md", atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try Lesson.load(topic: "cpu", folder: dir) }
        #expect(try Lesson.load(topic: "memory", folder: dir) == nil, "no file, no lesson")
    }
}

enum CourseFiles {
    /// The checkout (this file is Tests/ReportsTests/LessonTests.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
