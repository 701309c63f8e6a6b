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

struct CaseCommandTests {
    /// A case: the report hides the configuration; the reference fix is accepted, the case as it
    /// is is not; a proposal that changes the workload or another topic is refused with exit 2.
    @Test func aCaseIsMadeCheckedAndKeyed() throws {
        let dir = TestFixtures.folder("case")
        defer { removeTree(dir) }
        let made = try Fixtures.cli(["case", "new", "io", "--seed", "4", "-o", "\(dir)/case"])
        expectEqual(made.status, 0, "\(made.stderr)")
        let page = String(decoding: readFile("\(dir)/case/index.html")!, as: UTF8.self)
        let c = try Cases.make(.io, seed: 4)
        expectLacks(page, "id=\"run\"", "the reproducibility block would give the configuration away")
        expectLacks(page, "virtlab run", "the reproducibility block would give the configuration away")
        let hidden: Set<String> = ["index.yaml", "case-io-4.yaml"]
        expectEqual(directoryNames("\(dir)/case").filter { (name: String) -> Bool in name.hasSuffix(".vlt") || hidden.contains(name) }, [],
                    "the case folder gives its traces or configuration away")
        expectContains(page, "Target: exits_per_op")
        let key = try Fixtures.cli(["case", "key", "\(dir)/case"])
        expectEqual(key.status, 0)
        expectContains(key.stdout, "reference fix:")
        expectContains(key.stdout, "hidden configuration: preset \(c.base.rawValue)")
        func check(_ yaml: String) throws -> Fixtures.Outcome {
            try OutputFile.write(text: yaml, to: "\(dir)/p.yaml")
            return try Fixtures.cli(["case", "check", "\(dir)/case", "\(dir)/p.yaml"])
        }
        var fix = ""
        for (k, v) in c.reference.sorted(by: { $0.key < $1.key }) { fix += "\(k): \(v.description)\n" }
        let good = try check(fix), none = try check("# nothing changed\n")
        expectEqual(good.status, 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.hasSuffix("meets the target\n"), "\(good.stdout)\(good.stderr)")
        expectEqual(none.status, 0, "\(none.stdout)")
        #expect(none.stdout.hasSuffix("does not meet the target\n"), "\(none.stdout)")
        let workload = try check("io:\n  workload:\n    bytes: 64\n"), other = try check("migration:\n  strategy: post-copy\n")
        expectEqual(workload.status, 2)
        expectContains(workload.stderr, "is part of the case")
        expectEqual(other.status, 2)
        expectContains(other.stderr, "a proposal for migration does not apply")
        let unknown = try Fixtures.cli(["case", "new", "gpu", "-o", "\(dir)/x"])
        expectEqual(unknown.status, 2)
        expectContains(unknown.stderr, "no case family 'gpu'")
        #expect(!fileExists("\(dir)/x"))
    }
}
