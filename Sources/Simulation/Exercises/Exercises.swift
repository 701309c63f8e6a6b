import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// The exercise families: each makes a problem from a seed and answers it by running the
/// simulator's own code on that problem (never a second, hand-written formula).
package enum ExerciseKind: String, CaseIterable, Sendable {
    /// How many memory references one TLB miss takes under nested paging.
    case walk
    /// Does pre-copy converge, in how many rounds, with what downtime.
    case precopy

    package var summary: String {
        switch self {
        case .walk: "the 2-D page walk: references of one nested TLB miss for given guest and nested levels and page sizes"
        case .precopy: "pre-copy live migration: converges or not, rounds, downtime for a given VM, dirty rate and link"
        }
    }
}

/// One generated exercise: the problem, and the answers with how close a student's must be.
package struct Exercise: Sendable, Equatable {
    package struct Answer: Sendable, Equatable {
        package var name: String
        package var value: String
        /// What counts as right: "exact", or a relative tolerance such as "±2 %".
        package var tolerance: String
    }

    package var kind: ExerciseKind
    package var seed: UInt64
    package var title: String
    package var problem: String
    package var answers: [Answer]
    package var explanation: String
}

package enum Exercises {
    /// A student's seed: the same name gives the same exercise, different names (almost always) different ones.
    package static func seed(student: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in student.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h & 0x7FFF_FFFF_FFFF_FFFF
    }

    package static func make(_ kind: ExerciseKind, seed: UInt64) throws -> Exercise {
        var rng = SplitMix64(seed: seed ^ 0x5EED_0F_E8E2C15E)
        switch kind {
        case .walk: return walk(seed: seed, rng: &rng)
        case .precopy: return try precopy(seed: seed, rng: &rng)
        }
    }

    static func walk(seed: UInt64, rng: inout SplitMix64) -> Exercise {
        let n = Int.random(in: 2...5, using: &rng), m = Int.random(in: 2...5, using: &rng)
        let guestLarge = Bool.random(using: &rng) && n >= 3, nestedLarge = Bool.random(using: &rng) && m >= 3
        // The simulator's walk, carried out on real radix tables (the same code the memory simulator uses).
        let refs = TwoDimensionalWalk.references(guestLevels: n, nestedLevels: m, guestLargePages: guestLarge, nestedLargePages: nestedLarge)
        let rows = (refs.map(\.row).max() ?? 0) + 1
        let perRow = (0..<rows).map { r in refs.filter { $0.row == r }.count }
        func pages(_ large: Bool) -> String { large ? "2 MiB pages" : "4 KiB pages" }
        let problem = """
        A guest uses \(n)-level page tables with \(pages(guestLarge)); the hypervisor's nested (EPT/NPT) tables have \(m) levels with \
        \(pages(nestedLarge)). No TLB, page-walk cache or nested TLB helps. How many memory references does the hardware make to \
        translate one guest-virtual address that misses the TLB?
        """
        var explanation = "Walk it row by row. "
        for (r, count) in perRow.enumerated() {
            let what = r == rows - 1 ? "the data page's guest-physical address" : "guest table \(r + 1) of \(rows - 1)"
            explanation += r == rows - 1 ? "Finally \(what) needs \(count) nested reads. " : "For \(what): \(count) references (nested reads to find it, then its entry). "
        }
        explanation += "In all \(refs.count)."
        return Exercise(kind: .walk, seed: seed, title: "The two-dimensional page walk", problem: problem,
                        answers: [Exercise.Answer(name: "references", value: String(refs.count), tolerance: "exact")], explanation: explanation)
    }

    static func precopy(seed: UInt64, rng: inout SplitMix64) throws -> Exercise {
        let memory = [256, 512, 1_024, 2_048].randomElement(using: &rng)!
        let mbps = [1_000.0, 2_500.0, 10_000.0].randomElement(using: &rng)!
        let linkPages = mbps * 1e6 / 8 / 4_096
        let rate = (linkPages * Double.random(in: 0.1...1.3, using: &rng)).rounded()
        let scenario = try precopyScenario(memoryMiB: memory, mbps: mbps, dirtyRate: rate, name: "exercise-precopy-\(seed)")
        let metrics = try simulate(scenario)
        func m(_ k: String) -> Double { metrics.first { $0.name == k }?.value ?? .nan }
        let converged = m("converged") == 1, rounds = Int(m("rounds")), downtime = m("downtime_ms")
        let zeros = Int((scenario.real("migration.vm.zero_fraction") * 100).rounded())
        let rules = scenario.text("migration.precopy.rules")
        let problem = """
        A \(memory) MiB VM (4 KiB pages, \(zeros) % of them zero pages) migrates by pre-copy over a \(Int(mbps)) Mbit/s link while \
        its guest writes \(Int(rate)) random pages per second. The \(rules) stop rules apply (migration.precopy.rules). \
        (a) Does pre-copy converge? (b) How many rounds does it run? (c) What is the downtime in milliseconds?
        """
        let sent = (1...max(rounds, 1)).map { m("round_\($0)_pages") }.filter { !$0.isNaN }
        let shrinking = zip(sent, sent.dropFirst()).allSatisfy { $0 > $1 }
        var explanation = "The link moves about \(Int(linkPages)) pages per second and the guest writes \(Int(rate)) random pages per second; "
            + "a page written again while it is still dirty adds nothing, so at most the VM's \(memory * 256) pages can be dirty. "
        explanation += sent.count < 2 ? "" : (shrinking ? "Each round sent fewer pages than the one before: " : "The rounds did not keep shrinking: ")
        let perRound = (1...max(rounds, 1)).compactMap { r -> String? in
            let pages = m("round_\(r)_pages"), dirtied = m("round_\(r)_dirtied")
            return pages.isNaN ? nil : "round \(r) sent \(Int(pages)) and saw \(Int(dirtied)) dirtied"
        }
        explanation += perRound.joined(separator: "; ") + ". "
        explanation += (converged ? "It converged after " : "It stopped without converging after ") + (rounds == 1 ? "1 round." : "\(rounds) rounds.")
        return Exercise(kind: .precopy, seed: seed, title: "Pre-copy: rounds and downtime", problem: problem, answers: [
            Exercise.Answer(name: "converges", value: converged ? "yes" : "no", tolerance: "exact"),
            Exercise.Answer(name: "rounds", value: String(rounds), tolerance: "exact"),
            Exercise.Answer(name: "downtime_ms", value: String(Int(downtime.rounded())), tolerance: "±2 %"),
        ], explanation: explanation)
    }

    /// The pre-copy problem as a scenario: the busy preset with the problem's VM, link and dirty rate.
    package static func precopyScenario(memoryMiB: Int, mbps: Double, dirtyRate: Double, name: String) throws -> Scenario {
        var o = Preset.named("precopy-busy")!.overrides
        o["migration.vm.memory_mib"] = .integer(Int64(memoryMiB))
        o["migration.network.bandwidth_mbps"] = .real(mbps)
        o["migration.workload.dirty_rate"] = .real(dirtyRate)
        o["migration.workload.writer"] = .text("uniform")
        return try Preset(name: name, topic: .migration, summary: "exercise", seed: 1, overrides: o).scenario()
    }

    /// Runs a scenario into a scratch trace (removed afterwards) and returns its results.
    static func simulate(_ s: Scenario) throws -> [Metric] {
        let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let path = "\(dir)/virtlab-exercise-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).vlt"
        defer { unlink(path) }
        let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
        let metrics = try Runner.run(s, writer: writer)
        try writer.close(summary: metrics)
        return metrics
    }
}
