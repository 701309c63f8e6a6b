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

struct ExerciseCommandTests {
    @Test func exercisesPrintAndRefuseMistakes() throws {
        let list = try Fixtures.cli(["exercise", "list"])
        expectEqual(list.status, 0)
        expectContains(list.stdout, "walk")
        expectContains(list.stdout, "precopy")
        let a = try Fixtures.cli(["exercise", "walk", "--student", "ada"])
        let b = try Fixtures.cli(["exercise", "walk", "--student", "ada"])
        expectEqual(a.status, 0)
        expectEqual(a.stdout, b.stdout)
        expectLacks(a.stdout, "Answers", "the problem alone has no answers")
        let key = try Fixtures.cli(["exercise", "walk", "--student", "ada", "--answer", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(key.stdout.utf8)) as! [String: Any]
        expectEqual((object["answers"] as? [[String: String]])?.first?["tolerance"], "exact")
        // A worksheet has no answers, its key has all of them, for every student; rebuilding gives the same bytes.
        let dir = TestFixtures.folder("sheet")
        defer { removeTree(dir) }
        for round in 0..<2 {
            let r = try Fixtures.cli(["exercise", "sheet", "--kinds", "walk,precopy", "--students", "ada,grace,linus",
                                              "-o", "\(dir)/sheet\(round).html", "--key", "\(dir)/key\(round).html"])
            expectEqual(r.status, 0, "\(r.stderr)")
        }
        let sheet = String(decoding: readFile("\(dir)/sheet0.html")!, as: UTF8.self)
        let answerKey = String(decoding: readFile("\(dir)/key0.html")!, as: UTF8.self)
        expectEqual(readFile("\(dir)/sheet0.html"), readFile("\(dir)/sheet1.html"))
        expectEqual(readFile("\(dir)/key0.html"), readFile("\(dir)/key1.html"))
        expectLacks(sheet, "class=\"answers\"")
        expectEqual(sheet.components(separatedBy: "class=\"space\"").count - 1, 6)
        expectEqual(answerKey.components(separatedBy: "class=\"answers\"").count - 1, 6)
        expectLacks(answerKey, "class=\"space\"")
        for name in ["ada", "grace", "linus"] {
            let walk = try Fixtures.cli(["exercise", "walk", "--student", name, "--answer", "--json"])
            let answer = ((try JSONSerialization.jsonObject(with: Data(walk.stdout.utf8)) as! [String: Any])["answers"] as! [[String: String]])[0]["value"]!
            expectContains(answerKey, "<strong>\(name)</strong>", "\(name)")
            expectContains(answerKey, "<strong>references:</strong> \(answer) ", "\(name)")
        }
        let none = try Fixtures.cli(["exercise", "sheet", "-o", "\(dir)/x.html", "--key", "\(dir)/y.html"])
        expectEqual(none.status, 2)
        expectContains(none.stderr, "needs students")
        for (args, message) in [(["exercise", "tlb"], "no exercise kind 'tlb'"),
                                (["exercise", "walk", "--seed", "1", "--student", "ada"], "not both"),
                                (["exercise", "walk", "--seed", "9223372036854775808"], "at most")] {
            let r = try Fixtures.cli(args)
            expectEqual(r.status, 2, "\(args)")
            expectContains(r.stderr, message, "\(args): \(r.stderr)")
        }
    }

}
