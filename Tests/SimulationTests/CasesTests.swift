import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

/// Case studies and design challenges: every family makes cases whose configuration misses the
/// target and whose reference fix meets it, judged by running both; proposals are checked key by key.
struct CasesTests {
    @Test(arguments: CaseFamily.allCases)
    func theReferenceFixMeetsTheTargetAndTheOriginalDoesNot(_ family: CaseFamily) throws {
        let c = try Cases.make(family, seed: 11)
        #expect(!Cases.judge(c, try Cases.measure(c, [:])).met)
        #expect(Cases.judge(c, try Cases.measure(c, c.reference)).met)
        #expect(c.target.allSatisfy { $0.bound.isFinite })
        // Same seed, same case; the secret changes it (or at least its derivation).
        let again = try Cases.make(family, seed: 11)
        expectEqual(again.hidden, c.hidden)
        expectEqual(again.target, c.target)
        expectEqual(again.reference, c.reference)
    }

    @Test func proposalsChangeOnlyWhatTheCaseAllows() throws {
        let c = try Cases.make(.memory, seed: 7)
        try expectEqual(Cases.proposal("memory:\n  mode: nested\n", source: "p.yaml", for: c), ["memory.mode": .text("nested")])
        try expectEqual(Cases.proposal("memory.shadow.root_cache: 8\n", source: "p.yaml", for: c), ["memory.shadow.root_cache": .integer(8)])
        #expect(try Cases.proposal("", source: "p.yaml", for: c).isEmpty)
        func error(_ text: String) -> String {
            do { _ = try Cases.proposal(text, source: "p.yaml", for: c); return "no error" } catch { return "\(error)" }
        }
        expectContains(error("memory:\n  workload:\n    accesses: 5\n"), "p.yaml:3:15: memory.workload.accesses: is part of the case")
        expectContains(error("io:\n  approach: paravirtual\n"), "a proposal for io does not apply")
        expectContains(error("memory:\n  mode: turbo\n"), "memory.mode: must be one of native, shadow, nested")
        expectContains(error("memory:\n  colour: red\n"), "is not a key of the memory topic")
        expectContains(error("seed: 3\n"), "not the scenario's seed")
        expectContains(error("memory:\n  mode: [a, b]\n"), "must be a value, not a list")
    }
}
