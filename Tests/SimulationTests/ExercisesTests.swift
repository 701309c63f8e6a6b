import Testing
@testable import Simulation
@testable import TraceFormat

@Suite struct ExercisesTests {
    @Test(arguments: ExerciseKind.allCases)
    func theSameSeedGivesTheSameExercise(_ kind: ExerciseKind) throws {
        #expect(try Exercises.make(kind, seed: 42) == (try Exercises.make(kind, seed: 42)))
        // Different students get different problems (a handful of names, at least most differ).
        let problems = Set(try ["ada", "grace", "linus", "barbara", "ken", "dennis"].map { try Exercises.make(kind, seed: Exercises.seed(student: $0)).problem })
        #expect(problems.count >= 4, "\(kind): only \(problems.count) different problems for 6 students")
    }

    /// The walk answer is the simulator's walk on real tables; the textbook case is 24.
    @Test func walkAnswersComeFromTheWalk() throws {
        for seed in UInt64(0)..<40 {
            let e = try Exercises.make(.walk, seed: seed)
            let n = Int(e.problem.split(separator: "-").first!.split(separator: " ").last!)!
            #expect(n >= 2 && n <= 5)
            let count = Int(e.answers[0].value)!
            #expect(e.explanation.hasSuffix("In all \(count)."))
        }
        #expect(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4).count == 24)
    }

    /// The pre-copy answers are the run's own results: simulating the stated problem again
    /// gives the same rounds, convergence and downtime.
    @Test(arguments: [UInt64(3), 7, 11])
    func precopyAnswersAreWhatTheSimulatorReports(seed: UInt64) throws {
        let e = try Exercises.make(.precopy, seed: seed)
        // The problem text carries the parameters: read them back as a student would.
        let words = e.problem.split(separator: " ")
        let memory = Int(words[1])!
        let mbps = Double(words[words.firstIndex(of: "Mbit/s")! - 1])!
        let rate = Double(words[words.firstIndex(of: "writes")! + 1])!
        let s = try Exercises.precopyScenario(memoryMiB: memory, mbps: mbps, dirtyRate: rate, name: "check")
        let metrics = try withTracedRun(s) { _, m in m }
        func m(_ k: String) -> Double { metrics.first { $0.name == k }!.value }
        let answers = Dictionary(uniqueKeysWithValues: e.answers.map { ($0.name, $0.value) })
        #expect(answers["converges"] == (m("converged") == 1 ? "yes" : "no"))
        #expect(answers["rounds"] == String(Int(m("rounds"))))
        #expect(answers["downtime_ms"] == String(Int(m("downtime_ms").rounded())))
        #expect(e.answers.first { $0.name == "downtime_ms" }?.tolerance == "±2 %")
    }
}
