import SafeOutput
import Foundation
import Testing
import TestKit
@testable import Reports

/// `course.yaml`: the lessons in teaching order, the words of the pages, each mistake located.
struct CourseFileTests {
    /// The shipped course: every lesson parses, names its parts, and the course orders them as
    /// the lecture notes do (migration, Popek–Goldberg, memory, I/O).
    @Test func theShippedCourseLoadsInTheNotesOrder() throws {
        let course = try Course.load(folder: CourseFiles.repoRoot + "/Templates/lessons")
        expectEqual(course.lessons.map(\.id), ["migration", "cpu", "memory", "io"])
        for l in course.lessons {
            #expect(l.debate != nil && !l.whatIf.isEmpty && !l.questions.isEmpty && l.activity != nil && l.tryIt != nil, "\(l.id)")
            #expect(!l.sections.isEmpty, "\(l.id)")
            #expect(!l.values.isEmpty, "\(l.id)")
            // Each debate has evidence on both sides.
            #expect(l.debate!.forSide.contains { !$0.evidence.isEmpty } && l.debate!.against.contains { !$0.evidence.isEmpty }, "\(l.id)")
        }
        expectEqual(course.sweepNames.map(\.name).sorted(), ["dirty-rate", "io-load", "vcpus", "working-set"])
        #expect(Set(CourseWord.allCases).isSubset(of: Set(course.words.keys)))
    }

    /// A folder with course.yaml listing `lessons` (a copy of the shipped words) and those lesson files.
    static func folder(yaml: (String) -> String, lessons: [String] = ["memory"]) throws -> String {
        let dir = NSTemporaryDirectory() + "virtlab-coursefile-\(UUID().uuidString)"
        try makeDirectory(dir)
        let shipped = CourseFiles.repoRoot + "/Templates/lessons"
        let words = String(decoding: readFile(shipped + "/course.yaml")!, as: UTF8.self)
        try OutputFile.write(text: yaml(words), to: dir + "/course.yaml")
        for l in lessons { try OutputFile.write(readFile("\(shipped)/\(l).md")!, to: "\(dir)/\(l).md") }
        return dir
    }

    @Test func mistakesInTheCourseFileAreLocated() throws {
        let one = { (w: String) in w.replacingOccurrences(of: "lessons: [migration, cpu, memory, io]", with: "lessons: [memory]") }
        let cases: [(String, (String) -> String, String)] = [
            ("twice", { one($0).replacingOccurrences(of: "lessons: [memory]", with: "lessons: [memory, memory]") }, "listed twice"),
            ("missing file", { one($0).replacingOccurrences(of: "lessons: [memory]", with: "lessons: [memory, storage]") }, "no lesson file"),
            ("bad name", { one($0).replacingOccurrences(of: "lessons: [memory]", with: "lessons: [\"../x\"]") }, "a lesson's name is letters"),
            ("unknown word", { one($0).replacingOccurrences(of: "words:\n", with: "words:\n  colour: red\n") }, "unknown word 'colour'"),
        ]
        for (what, edit, message) in cases {
            let dir = try Self.folder(yaml: edit)
            defer { removeTree(dir) }
            do {
                _ = try Course.load(folder: dir)
                Issue.record("\(what) was accepted")
            } catch let e as ReportError {
                expectContains("\(e)", message, "\(what): \(e)")
                expectContains("\(e)", "course.yaml", "\(what): \(e)")
            }
        }
        #expect(throws: ReportError.self) { try Course.load(folder: "/nonexistent") }
    }

    @Test func wordsAreFilledAndTheNavigationMarksThePage() throws {
        let course = try Course.load(folder: CourseFiles.repoRoot + "/Templates/lessons")
        let nav = course.nav(current: "memory")
        expectEqual(nav.filter(\.current).count, 1)
        #expect(nav.contains { $0.href == "memory.html" && $0.current })
        for w in CourseWord.allCases { #expect(!course.word(w, ["n": "3"]).contains("{n}"), "\(w.rawValue)") }
        // Every run the lessons name is known to the builder, or the check says which is not.
        #expect(throws: ReportError.self) { try course.checkRuns(known: []) }
        try course.checkRuns(known: Set(course.runNames.map(\.name)))
    }
}
