import Foundation
import Testing
import TestKit
import VirtLabTestSupport

/// The README and docs/ point readers at files ("tests in `Tests/SimulationTests/…`", "edit
/// `Templates/lessons/memory.md`"); when a file moves, the sentence must move with it.
struct DocumentationTests {
    /// Paths under the checkout's folders named in the README and docs/*.md.
    static func namedPaths() throws -> [(doc: String, path: String)] {
        let root = TestFixtures.repoRoot
        let docs = ["README.md"] + (try FileManager.default.contentsOfDirectory(atPath: root + "/docs")).filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        let pattern = try NSRegularExpression(pattern: #"(?:Sources|Tests|Templates|tools|docs|Traces|python)/[A-Za-z0-9_./+-]+"#)
        var out: [(String, String)] = []
        for doc in docs {
            let text = try String(contentsOfFile: root + "/" + doc, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                var path = String(text[Range(m.range, in: text)!])
                while let last = path.last, ".,;:".contains(last) { path.removeLast() }
                out.append((doc, path))
            }
        }
        return out
    }

    /// A pattern a sentence explains rather than a file: `Traces/NAME.vlt`, `Sources/X/Foo.swift`, `sweep-*.yaml`.
    static func isPattern(_ path: String) -> Bool {
        path.hasSuffix("-") || path.split(separator: "/").contains { $0 == "X" || $0 == "XTests" || $0.hasPrefix("NAME") || $0.hasPrefix("Foo") }
    }

    @Test func everyFileTheDocsNameExists() throws {
        let named = try Self.namedPaths()
        expectGreater(named.count, 30, "the docs name \(named.count) files; the pattern no longer finds them")
        let missing = named.filter { !Self.isPattern($0.path) && !FileManager.default.fileExists(atPath: TestFixtures.repoRoot + "/" + $0.path) }
        #expect(missing.isEmpty, "\(missing.map { "\($0.doc): \($0.path)" })")
    }

    @Test func patternsAreToldApartFromPaths() {
        #expect(Self.isPattern("Traces/NAME.vlt"))
        #expect(Self.isPattern("Sources/X/Foo.swift"))
        #expect(Self.isPattern("Tests/XTests/FooTests.swift"))
        #expect(Self.isPattern("Traces/scenarios/sweep-"))
        #expect(!Self.isPattern("Tests/SimulationTests/MigrationSimulatorTests.swift"))
        #expect(!Self.isPattern("Templates/lessons/memory.md"))
    }
}
