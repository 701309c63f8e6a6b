import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct ExercisesTests {
    @Test(arguments: ExerciseKind.allCases)
    func theSameSeedGivesTheSameExercise(_ kind: ExerciseKind) throws {
        try expectEqual(Exercises.make(kind, seed: 42), try Exercises.make(kind, seed: 42))
        // Different students get different problems (a handful of names, at least most differ).
        let problems = Set(try ["ada", "grace", "linus", "barbara", "ken", "dennis"].map { try Exercises.make(kind, seed: Exercises.seed(student: $0)).problem })
        expectAtLeast(problems.count, 4, "\(kind): only \(problems.count) different problems for 6 students")
    }

    /// The walk answer is the simulator's walk on real tables; the textbook case is 24.
    @Test func walkAnswersComeFromTheWalk() throws {
        for seed in UInt64(0)..<40 {
            let e = try Exercises.make(.walk, seed: seed)
            let n = Int(e.problem.split(separator: "-").first!.split(separator: " ").last!)!
            expectAtLeast(n, 2)
            expectAtMost(n, 5)
            let count = Int(e.answers[0].value)!
            #expect(e.explanation.hasSuffix("In all \(count)."))
        }
        expectEqual(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4).count, 24)
    }

    /// The pre-copy answers are the run's own results: simulating the stated problem again
    /// gives the same rounds, convergence and downtime.
    @Test(arguments: [UInt64(3), 7, 11])
    func precopyAnswersAreWhatTheSimulatorReports(seed: UInt64) throws {
        let e = try Exercises.make(.precopy, seed: seed)
        // The problem text carries the parameters: read them back as a student would (the prose
        // groups thousands, "56,704 random pages per second").
        let words = e.problem.split(separator: " ")
        func number(_ w: Substring) throws -> Double {
            let digits = String(w.filter { $0 != "," })
            return try #require(Double(digits), "\(w)")
        }
        let memory = Int(try number(words[1]))
        let mbps = try number(words[words.firstIndex(of: "Mbit/s")! - 1])
        let rate = try number(words[words.firstIndex(of: "writes")! + 1])
        let s = try Exercises.precopyScenario(memoryMiB: memory, mbps: mbps, dirtyRate: rate, name: "check")
        let metrics = try withTracedRun(s) { _, m in m }
        func m(_ k: String) -> Double { metrics.first { $0.name == k }!.value }
        let answers = Dictionary(uniqueKeysWithValues: e.answers.map { ($0.name, $0.value) })
        expectEqual(answers["converges"], m("converged") == 1 ? "yes" : "no")
        expectEqual(answers["rounds"], String(Int(m("rounds"))))
        expectEqual(answers["downtime_ms"], String(Int(m("downtime_ms").rounded())))
        expectEqual(e.answers.first { $0.name == "downtime_ms" }?.tolerance, "±2 %")
    }

    /// The prose writes numbers as every page does, thousands grouped; the answers stay plain
    /// digits (Moodle reads them as numbers).
    @Test func theProseGroupsThousandsAndTheAnswersDoNot() throws {
        let e = try Exercises.make(.precopy, seed: 7)
        expectContains(e.problem, "writes 56,704 random pages per second")
        expectContains(e.explanation, "The link moves about 76,293 pages per second")
        #expect(e.answers.allSatisfy { !$0.value.contains(",") }, "\(e.answers)")
        let shadow = try Exercises.make(.shadow, seed: 3_651_147_340_947_294_795)
        expectContains(shadow.problem, "for 28,000 accesses in all")
    }
}

/// The other families: each answer is what the simulator reports when the stated problem is run
/// again, and the explanation's arithmetic agrees with the model at every generated point.
struct MoreExercisesTests {
    static func metric(_ s: Scenario, _ name: String) throws -> Double {
        try withTracedRun(s) { _, m in m }.first { $0.name == name }!.value
    }

    @Test(arguments: [UInt64(1), 5, 9, 23])
    func shadowAnswersAreTheRunsOwn(seed: UInt64) throws {
        let e = try Exercises.make(.shadow, seed: seed)
        let p = e.parameters.mapValues { Int($0)! }
        let s = try Exercises.shadowScenario(processes: p["processes"]!, cache: p["cache"]!, switchEvery: p["switch_every"]!, accesses: p["accesses"]!)
        let answers = Dictionary(uniqueKeysWithValues: e.answers.map { ($0.name, $0.value) })
        expectEqual(answers["cr3_exits"], String(Int(try Self.metric(s, "exits_cr3_write"))))
        expectEqual(answers["roots_built"], String(Int(try Self.metric(s, "shadow_roots_built"))))
        expectEqual(answers["roots_reloaded"], String(Int(try Self.metric(s, "shadow_roots_reloaded"))))
        // The model behind the explanation: a CR3 exit per switch; each root built once (the hash keeps
        // them); with fewer roots ready than processes, LRU makes every switch after the first round a lookup.
        let switches = p["accesses"]! / p["switch_every"]!, processes = p["processes"]!
        let ran = min(processes, switches + 1)
        expectEqual(answers["cr3_exits"], String(switches))
        expectEqual(answers["roots_built"], String(ran))
        expectEqual(answers["roots_reloaded"], String(p["cache"]! < processes ? switches + 1 - ran : 0))
    }

    @Test(arguments: [UInt64(2), 4, 8, 16])
    func ioAnswersAreTheRunsOwn(seed: UInt64) throws {
        let e = try Exercises.make(.io, seed: seed)
        let p = e.parameters.mapValues { Int($0)! }
        for (approach, answer) in [("emulation", "emulated_exits_per_packet"), ("paravirtual", "split_exits_per_packet")] {
            let s = try Exercises.ioScenario(approach: approach, perRequest: p["per_request"]!, perInterrupt: p["per_interrupt"]!,
                                             batch: p["batch"]!, coalesce: p["coalesce"]!)
            let simulated = try Self.metric(s, "exits_per_op")
            let given = Double(e.answers.first { $0.name == answer }!.value)!
            expectAtMost(abs(given - simulated), 0.0005, "\(answer): \(given) vs \(simulated)")
        }
        let emulated = Double(e.answers[0].value)!, split = Double(e.answers[1].value)!
        expectEqual(emulated, Double(p["per_request"]! + p["per_interrupt"]! + 1))
        expectLess(abs(split - (1 / Double(p["batch"]!) + 1 / Double(p["coalesce"]!))), 0.01)
    }

    @Test(arguments: [UInt64(3), 6])
    func postcopyAnswersAreTheRunsOwn(seed: UInt64) throws {
        let e = try Exercises.make(.postcopy, seed: seed)
        let memory = Int(e.parameters["memory_mib"]!)!, window = Int(e.parameters["window"]!)!
        let s = try Exercises.postcopyScenario(memoryMiB: memory, window: window, prepaging: false)
        expectEqual(e.answers[0].value, String(Int(try Self.metric(s, "pages_sent"))))
        expectEqual(e.answers[0].value, String(memory * 256), "post-copy sends every page once")
        let with = try Self.metric(try Exercises.postcopyScenario(memoryMiB: memory, window: window, prepaging: true), "postcopy_requests")
        let without = try Self.metric(s, "postcopy_requests")
        expectEqual(e.answers[1].value, with < without ? "fewer" : with > without ? "more" : "the same")
    }

    @Test func popekAnswersAreTheProfilesVerdicts() throws {
        let isa = try ShippedProfiles.profile("x86-legacy")!
        for seed in UInt64(0)..<30 {
            let e = try Exercises.make(.popek, seed: seed)
            let names = e.parameters["instructions"]!.split(separator: ",").map(String.init)
            let fragment = InstructionSet(name: "f", description: "", timingDependencies: false,
                                          instructions: names.map { isa.instruction($0)! }, text: "")
            let r = VirtualizabilityReport(fragment)
            let expected = isa.instructions.filter { names.contains($0.mnemonic) && $0.sensitive && !$0.privileged }.map(\.mnemonic).sorted()
            expectEqual(e.answers[0].value, expected.isEmpty ? "none" : expected.joined(separator: ", "))
            #expect(e.answers[1].value == (r.theorem1.holds ? "yes" : "no") && e.answers[2].value == (r.theorem3.holds ? "yes" : "no"))
        }
    }
}
