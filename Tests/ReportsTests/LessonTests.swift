import Foundation
import Testing
import TestKit
@testable import Reports

struct LessonTests {
    static let example: String = {
        // The complete example of docs/lessons.md is a valid lesson: the documentation cannot drift.
        let doc = try! String(contentsOfFile: CourseFiles.repoRoot + "/docs/lessons.md", encoding: .utf8)
        let start = doc.range(of: "```markdown\n")!.upperBound
        let end = doc.range(of: "\n````", range: start..<doc.endIndex)!.lowerBound
        return String(doc[start..<end]) + "\n"
    }()

    @Test func theDocumentedExampleParses() throws {
        let l = try Lesson.parse(Self.example, id: "migration", source: "example.md")
        #expect(l.title.hasPrefix("Live migration"))
        #expect(l.story.problem.markdown.hasPrefix("A running VM"))
        expectEqual(l.debate?.motion.markdown, "Post-copy should replace pre-copy as the default.")
        expectEqual(l.debate?.forSide.first?.evidence.map(\.name), ["postcopy-push"])
        expectContains(l.values.map(\.name), "busy_ratios")
        expectEqual(l.sections.map(\.id), ["precopy", "strategies"])
        expectContains(l.runNames.map(\.name), "precopy-busy")
        expectContains(l.runNames.map(\.name), "non-live")
        guard case let .figure(f) = l.sections[0].blocks[1] else { Issue.record("the second block is not a figure"); return }
        expectEqual(f.kind, .rounds)
        expectEqual(f.run?.name, "precopy-busy")
        expectEqual(f.notice?.markdown.contains("{{? busy_ratios <= predicted }}"), true)
        expectContains(Lesson.html("**Pre-copy** sends"), "<strong>Pre-copy</strong>")
        expectEqual(Lesson.plain("**Pre-copy** sends `pages` to [the host](http://x)"), "Pre-copy sends pages to the host")
    }

    static func error(_ text: String) -> String {
        do { _ = try Lesson.parse(text, id: "l", source: "l.md"); return "no error" } catch { return "\(error)" }
    }

    static let front = "---\ntitle: T\nhook: H\nstory: {problem: a, insight: b, impact: c}\n"

    @Test func mistakesNameFileLineColumnAndWhatIsAllowed() {
        let e = Self.error
        expectContains(e("title: x\n"), "l.md:1:1: a lesson starts with YAML front matter")
        expectContains(e("---\ntitle: T\nstorry: x\n---\n"), "l.md:3:1: unknown key 'storry' in the front matter; allowed: title")
        expectContains(e("---\ntitle: T\nhook: H\n---\n"), "the front matter needs story")
        expectContains(e("---\ntitle: T\nhook: H\nstory:\n  problem: a\n  insight: b\n---\n"), "story needs impact")
        expectContains(e(Self.front + "what_if: just one\n---\n"), "l.md:5:10: what_if must be a list of texts")
        expectContains(e(Self.front + "debate: {for: [x]}\n---\n"), "debate needs motion")
        expectContains(e(Self.front + "story: [unclosed\n---\n"), "l.md:6:1: not valid YAML")
        // Values.
        expectContains(e(Self.front + "values:\n  x: {run: a}\n---\n"), "l.md:6:6: the value 'x' takes a run's metric: or its param:")
        expectContains(e(Self.front + "values:\n  x: {run: a, metric: m, format: pct}\n---\n"), "unknown format 'pct'; allowed: number, count, percent")
        expectContains(e(Self.front + "values:\n  x: {expr: \"a <\"}\n---\n"), "l.md:6:13: unexpected '<'")
        expectContains(e(Self.front + "values:\n  max: {expr: \"1\"}\n---\n"), "'max' cannot name a value")
        // Blocks in the body: located on their own lines.
        let body = Self.front + "---\nIntro.\n\n## A section\n\nText.\n\n```figure\nchart: pie\n```\n"
        expectContains(e(body), "l.md:13:8: unknown chart kind 'pie'; allowed: exit-reasons")
        expectContains(e(Self.front + "---\n```figure\nchart: rounds\n```\n"), "l.md:6:1: a figure block belongs to a section")
        expectContains(e(Self.front + "---\n## S\n```figure\nchart: rounds\n"), "l.md:7:1: the ```figure block is not closed")
        expectContains(e(Self.front + "---\n## S\n```figure\nchart: rounds\n```\n"), "a rounds figure needs run")
        expectContains(e(Self.front + "---\n## S\n```figure\nchart: rounds\nrun: r\nseries: []\n```\n"), "l.md:10:9: a rounds figure does not take series")
        #expect(e(Self.front + "---\n## S\n```figure\nchart: bars\nname: b\ntitle: B\ncategories: [x, y]\nseries:\n  - {label: s, metric: m, runs: [r]}\n```\n")
                    .contains("a series has one run per category: 2 categories, 1 runs"))
        expectContains(e(Self.front + "---\n## S\n```table\nruns: [a]\n```\n"), "a table needs runs: (a list) and columns:")
        expectContains(e(Self.front + "---\n## S\n## S\n"), "two sections are called 's'")
        // Predictions.
        let predict = Self.front + "---\n## S\n```predict\nquestion: Q\n"
        expectContains(e(predict + "answer: c\nchoices: [a, b]\ncheck: x > 1\n```\n"), "l.md:9:9: the answer 'c' is not one of the choices: a, b")
        expectContains(e(predict + "answer: a\nchoices: [a, b]\n```\n"), "a choice needs check: a claim that the runs make it the right one")
        expectContains(e(predict + "answer: rounds\ntolerance: 10\n```\n"), "l.md:10:12: tolerance is a percentage from 0% to 100%")
        expectContains(e(predict + "answer: rounds\ncheck: x > 1\n```\n"), "check: backs a choice")
        expectContains(e(predict + "```\n"), "a predict block needs answer")
    }

    @Test func aPredictionNamesItsValueOrItsChoices() throws {
        let l = try Lesson.parse(Self.front + "---\n## S\n```predict\nquestion: How many?\nanswer: rounds\ntolerance: 10%\nunit: rounds\n```\n\n"
                                 + "```predict\nquestion: Which?\nchoices: [a, b]\nanswer: b\ncheck: x < y\n```\n", id: "l", source: "l.md")
        guard case let .predict(n) = l.sections[0].blocks[0], case let .predict(c) = l.sections[0].blocks[1] else { Issue.record("not predictions"); return }
        expectEqual(n.value?.name, "rounds")
        expectEqual(n.tolerance, 0.1)
        expectEqual(n.unit, "rounds")
        expectEqual(n.correct, nil)
        expectEqual(c.correct, "b")
        expectEqual(c.choices, ["a", "b"])
        expectEqual(c.check?.markdown, "x < y")
        expectEqual(c.value, nil)
        #expect(l.texts.contains { $0.markdown == "x < y" }, "a choice's claim is checked with the others")
    }

    @Test func sectionsKeepTheirBlocksInOrderWithTheirLines() throws {
        let text = Self.front + "---\nThe problem.\n\n## First part {#one}\n\nProse one.\n\n```figure\nchart: rounds\nrun: precopy-busy\n```\n\nProse two.\n\n## Second\n\n```table\nruns: [a, b]\ncolumns:\n  m1: first\n  m2: second\n```\n"
        let l = try Lesson.parse(text, id: "x", source: "x.md")
        expectEqual(l.problem?.markdown, "The problem.")
        expectEqual(l.problem?.at.line, 6)
        expectEqual(l.sections.map(\.id), ["one", "second"])
        expectEqual(l.sections[0].blocks.count, 3)
        if case let .prose(p) = l.sections[0].blocks[2] { #expect(p.markdown == "Prose two." && p.at.line == 17) } else { Issue.record("block 3 is not prose") }
        if case let .table(t) = l.sections[1].blocks[0] {
            #expect(t.runs.map(\.name) == ["a", "b"] && t.columns.map(\.label) == ["first", "second"] && t.columns[1].metric.at.line == 25)
        } else { Issue.record("not a table") }
        expectEqual(l.runNames.map(\.name), ["precopy-busy", "a", "b"])
    }
}
