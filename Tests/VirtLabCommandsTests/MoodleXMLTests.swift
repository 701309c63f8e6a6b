import Course
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import TraceFormat
import SafeOutput
import Testing
import TestKit
import VirtLabTestSupport
@testable import Reports
@testable import VirtLabCommands

struct MoodleXMLTests {
    /// The Moodle bank parses as XML; every numerical question carries its tolerance (the
    /// exercise's relative tolerance as Moodle's absolute error); single-answer choices have one
    /// right option; multi-answer sets give full marks for exactly the right options; same input, same bytes.
    @Test func aMoodleBankParsesWithTolerancesAndRightAnswers() throws {
        let dir = TestFixtures.folder("moodle")
        defer { removeTree(dir) }
        for round in 0..<2 {
            let r = try Fixtures.cli(["exercise", "moodle", "--variants", "3", "-o", "\(dir)/bank\(round).xml"])
            expectEqual(r.status, 0, "\(r.stderr)")
        }
        expectEqual(readFile("\(dir)/bank0.xml"), readFile("\(dir)/bank1.xml"))
        let doc = try XMLDocument(data: Data(readFile("\(dir)/bank0.xml")!))
        let questions = try doc.nodes(forXPath: "/quiz/question").compactMap { $0 as? XMLElement }
        let byType = Dictionary(grouping: questions) { $0.attribute(forName: "type")?.stringValue ?? "" }
        expectEqual(byType["category"]?.count, ExerciseKind.allCases.count)
        var expected = 0
        for k in ExerciseKind.allCases { for seed in UInt64(1)...3 { expected += try Exercises.make(k, seed: seed).answers.count } }
        expectEqual((byType["numerical"]?.count ?? 0) + (byType["multichoice"]?.count ?? 0), expected)
        /// The text of the first node at `path` under `node`, "" when there is none.
        func text(_ node: XMLNode, _ path: String) throws -> String { try node.nodes(forXPath: path).first?.stringValue ?? "" }
        for q in byType["numerical"] ?? [] {
            let answer = try #require(try q.nodes(forXPath: "answer").first)
            let value: Double = try #require(Double(try text(answer, "text")))
            let tolerance: Double = try #require(Double(try text(answer, "tolerance")), "a numerical question without tolerance")
            let question = try text(q, "questiontext/text")
            let expected: Double = question.contains("±2 %") ? 0.02 * abs(value) : 0
            let off: Double = abs(tolerance - expected)
            expectLess(off, 1e-9, "\(question.suffix(80)): \(tolerance)")
            #expect(!(try text(q, "generalfeedback/text")).isEmpty)
        }
        for q in byType["multichoice"] ?? [] {
            let single: Bool = try text(q, "single") == "true"
            var fractions: [Double] = []
            for node in try q.nodes(forXPath: "answer") {
                if let f = (node as? XMLElement)?.attribute(forName: "fraction")?.stringValue, let v = Double(f) { fractions.append(v) }
            }
            if single {
                let full: Int = fractions.filter { $0 == 100 }.count
                let others: Bool = fractions.allSatisfy { $0 == 0 || $0 == 100 }
                expectEqual(full, 1)
                #expect(others)
            } else {
                var right: Double = 0
                for f in fractions where f > 0 { right += f }
                let off: Double = abs(right - 100)
                expectLess(off, 0.01, "the right options add up to full marks: \(fractions)")
            }
        }
        let bad = try Fixtures.cli(["exercise", "moodle", "-o", "\(dir)/bank.txt"])
        expectEqual(bad.status, 2)
        expectContains(bad.stderr, "moodle needs -o BANK.xml")
    }
}
