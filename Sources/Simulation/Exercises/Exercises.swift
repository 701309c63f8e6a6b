import Vocabulary
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// The exercise families: each makes a problem from a seed and answers it by running the
/// simulator's own code on that problem (never a second, hand-written formula).
package enum ExerciseKind: String, CaseIterable, Sendable {
    /// How many memory references one TLB miss takes under nested paging.
    case walk
    /// Shadow paging: CR3-load exits and shadow roots rebuilt for a round-robin of processes.
    case shadow
    /// Popek and Goldberg: which instructions of a fragment are sensitive but not privileged; do theorems 1 and 3 hold.
    case popek
    /// I/O: VM exits per operation of an emulated device and of a batched split driver.
    case io
    /// Pre-copy: does it converge, in how many rounds, with what downtime.
    case precopy
    /// Post-copy: pages sent, network faults with and without prepaging, what a source failure loses.
    case postcopy

    package var summary: String {
        switch self {
        case .walk: "the 2-D page walk: references of one nested TLB miss for given guest and nested levels and page sizes"
        case .shadow: "shadow paging: CR3-load exits and shadow roots rebuilt when processes outnumber the root cache"
        case .popek: "Popek and Goldberg: classify an instruction fragment; do theorems 1 and 3 hold"
        case .io: "I/O: VM exits per operation of an emulated NIC and of a batched paravirtual driver"
        case .precopy: "pre-copy live migration: converges or not, rounds, downtime for a given VM, dirty rate and link"
        case .postcopy: "post-copy live migration: pages sent, network faults with and without prepaging"
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
        /// For an answer that is not a number: the options a student picks from (the right one
        /// is `value`); with `multiple`, `value` lists every right option, comma-separated.
        package var choices: [String] = []
        package var multiple = false

        /// The relative tolerance as a fraction (0.02 for "±2 %"), 0 when exact.
        package var relativeTolerance: Double {
            guard tolerance.hasPrefix("±"), let v = Double(tolerance.dropFirst().split(separator: " ").first ?? "") else { return 0 }
            return v / 100
        }
    }

    package var kind: ExerciseKind
    package var seed: UInt64
    package var title: String
    package var problem: String
    package var answers: [Answer]
    package var explanation: String
    /// The generated problem's parameters by name, for the tests and for Moodle's question text.
    package var parameters: [String: String] = [:]
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
        case .shadow: return try shadow(seed: seed, rng: &rng)
        case .popek: return try popek(seed: seed, rng: &rng)
        case .io: return try io(seed: seed, rng: &rng)
        case .precopy: return try precopy(seed: seed, rng: &rng)
        case .postcopy: return try postcopy(seed: seed, rng: &rng)
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
        func m(_ name: String) -> Double { metrics.first { $0.name == name }?.value ?? .nan }
        func m(_ k: MetricName) -> Double { m(k.rawValue) }
        let converged = m(.converged) == 1, rounds = Int(m(.rounds)), downtime = m(.downtimeMs)
        let zeros = Int((scenario.real("migration.vm.zero_fraction") * 100).rounded())
        let rules = scenario.text("migration.precopy.rules")
        let problem = """
        A \(grouped(memory)) MiB VM (4 KiB pages, \(zeros) % of them zero pages) migrates by pre-copy over a \(grouped(mbps)) Mbit/s link \
        while its guest writes \(grouped(rate)) random pages per second. The \(rules) stop rules apply (migration.precopy.rules). \
        (a) Does pre-copy converge? (b) How many rounds does it run? (c) What is the downtime in milliseconds?
        """
        let sent = (1...max(rounds, 1)).map { m(MetricFamily.roundPages.name(String($0))) }.filter { !$0.isNaN }
        let shrinking = zip(sent, sent.dropFirst()).allSatisfy { $0 > $1 }
        var explanation = "The link moves about \(grouped(linkPages.rounded(.down))) pages per second and the guest writes \(grouped(rate)) random pages per second; "
            + "a page written again while it is still dirty adds nothing, so at most the VM's \(grouped(memory * 256)) pages can be dirty. "
        explanation += sent.count < 2 ? "" : (shrinking ? "Each round sent fewer pages than the one before: " : "The rounds did not keep shrinking: ")
        let perRound = (1...max(rounds, 1)).compactMap { r -> String? in
            let pages = m(MetricFamily.roundPages.name(String(r))), dirtied = m(MetricFamily.roundDirtied.name(String(r)))
            return pages.isNaN ? nil : "round \(r) sent \(grouped(pages)) and saw \(grouped(dirtied)) dirtied"
        }
        explanation += perRound.joined(separator: "; ") + ". "
        explanation += (converged ? "It converged after " : "It stopped without converging after ") + (rounds == 1 ? "1 round." : "\(rounds) rounds.")
        return Exercise(kind: .precopy, seed: seed, title: "Pre-copy: rounds and downtime", problem: problem, answers: [
            Exercise.Answer(name: "converges", value: converged ? "yes" : "no", tolerance: "exact", choices: ["yes", "no"]),
            Exercise.Answer(name: "rounds", value: String(rounds), tolerance: "exact"),
            Exercise.Answer(name: "downtime_ms", value: String(Int(downtime.rounded())), tolerance: "±2 %"),
        ], explanation: explanation)
    }

    static func shadow(seed: UInt64, rng: inout SplitMix64) throws -> Exercise {
        let processes = Int.random(in: 2...8, using: &rng), cache = Int.random(in: 1...8, using: &rng)
        let switchEvery = [500, 1_000, 2_000, 2_500, 5_000].randomElement(using: &rng)!
        let accesses = switchEvery * Int.random(in: 10...60, using: &rng)
        let metrics = try simulate(try shadowScenario(processes: processes, cache: cache, switchEvery: switchEvery, accesses: accesses))
        func m(_ k: String) -> Int { Int(metrics.first { $0.name == k }?.value ?? -1) }
        let cr3 = m(MetricFamily.exits.name(MemoryEvents.ExitReason.cr3Write.name)), roots = m(MetricName.shadowRootsBuilt.rawValue)
        let reloads = m(MetricName.shadowRootsReloaded.rawValue), switches = m(MetricName.contextSwitches.rawValue)
        let problem = """
        A guest runs \(processes) processes round-robin on one vCPU under shadow paging, switching every \(grouped(switchEvery)) memory accesses, \
        for \(grouped(accesses)) accesses in all. As KVM does, the vCPU keeps \(cache) shadow roots ready (the current one and the most recently \
        used before it); a root that falls out is not thrown away — its shadow pages stay in the hypervisor's hash, and there is room \
        for all of them. (a) How many VM exits do the guest's CR3 loads cause? (b) How many shadow roots does the hypervisor build? \
        (c) How many CR3 loads must look their root up in the hash (under the MMU lock) instead of switching to a ready one?
        """
        let thrash = cache < processes
        let explanation = "Every context switch loads CR3, and under shadow paging a CR3 load is a privileged instruction the hypervisor must "
            + "intercept: \(grouped(accesses)) ÷ \(grouped(switchEvery)) = \(grouped(switches)) switches, \(grouped(cr3)) exits. Each process's root is built once, the first "
            + "time it runs, and then kept: \(roots) built. "
            + (thrash ? "With \(processes) processes taking turns and \(cache) roots ready, the root a process needs is always the one that fell "
                + "out longest ago — least-recently-used is the worst policy for a round-robin — so every switch after the first round looks "
                + "its root up in the hash: \(reloads) of them."
                : "All \(processes) roots fit among the \(cache) the vCPU keeps, so every later switch is a fast one: \(reloads) lookups.")
        return Exercise(kind: .shadow, seed: seed, title: "Shadow paging: CR3 exits and the roots a vCPU keeps", problem: problem, answers: [
            Exercise.Answer(name: "cr3_exits", value: String(cr3), tolerance: "exact"),
            Exercise.Answer(name: "roots_built", value: String(roots), tolerance: "exact"),
            Exercise.Answer(name: "roots_reloaded", value: String(reloads), tolerance: "exact"),
        ], explanation: explanation, parameters: ["processes": String(processes), "cache": String(cache), "switch_every": String(switchEvery),
                                                  "accesses": String(accesses)])
    }

    static func popek(seed: UInt64, rng: inout SplitMix64) throws -> Exercise {
        let isa = try ShippedProfiles.profile("x86-legacy")!
        // A fragment: a few instructions of each kind, so that most fragments have something to find.
        var picked = isa.instructions.filter(\.safe).shuffled(using: &rng).prefix(2)
            + isa.instructions.filter { $0.privileged && $0.sensitive }.shuffled(using: &rng).prefix(2)
        let unsafe = isa.instructions.filter { $0.sensitive && !$0.privileged }.shuffled(using: &rng)
        picked += unsafe.prefix(Int.random(in: 0...3, using: &rng))
        let fragment = InstructionSet(name: "fragment", description: "a fragment of x86-legacy", timingDependencies: false,
                                      instructions: picked.sorted { $0.mnemonic < $1.mnemonic }, text: "")
        let report = VirtualizabilityReport(fragment)
        let breaking = report.theorem1.counterexamples
        func yes(_ b: Bool) -> String { b ? "yes" : "no" }
        let problem = """
        A machine has only these instructions of 32-bit x86 before VT-x: \(fragment.instructions.map(\.mnemonic).joined(separator: ", ")). \
        (a) Which of them are sensitive but not privileged (list them, or "none")? (b) Can a trap-and-emulate VMM be built for it \
        (theorem 1)? (c) Can a hybrid VMM be built (theorem 3)?
        """
        var explanation = "Theorem 1 needs every sensitive instruction to trap in user mode. "
        for i in fragment.instructions where i.sensitive {
            explanation += "\(i.mnemonic) is \(i.controlSensitive ? "control" : "behaviour") sensitive and \(i.privileged ? "privileged: it traps" : "not privileged: " + (i.unprivilegedEffect ?? "it runs without trapping")). "
        }
        explanation += breaking.isEmpty ? "Every sensitive instruction traps, so theorem 1 holds. "
            : "\(breaking.joined(separator: ", ")) \(breaking.count == 1 ? "breaks" : "break") theorem 1. "
        explanation += report.theorem3.holds ? "Theorem 3 only asks that user-sensitive instructions trap: it holds."
            : "Theorem 3 fails too: \(report.theorem3.counterexamples.joined(separator: ", ")) \(report.theorem3.counterexamples.count == 1 ? "is" : "are") sensitive even in user mode."
        return Exercise(kind: .popek, seed: seed, title: "Popek and Goldberg: classify and decide", problem: problem, answers: [
            Exercise.Answer(name: "sensitive_unprivileged", value: breaking.isEmpty ? "none" : breaking.joined(separator: ", "), tolerance: "exact (as a set)",
                            choices: fragment.instructions.map(\.mnemonic) + ["none"], multiple: true),
            Exercise.Answer(name: "theorem1", value: yes(report.theorem1.holds), tolerance: "exact", choices: ["yes", "no"]),
            Exercise.Answer(name: "theorem3", value: yes(report.theorem3.holds), tolerance: "exact", choices: ["yes", "no"]),
        ], explanation: explanation, parameters: ["instructions": fragment.instructions.map(\.mnemonic).joined(separator: ",")])
    }

    static func io(seed: UInt64, rng: inout SplitMix64) throws -> Exercise {
        let perRequest = Int.random(in: 2...6, using: &rng), perInterrupt = Int.random(in: 1...4, using: &rng)
        let batch = [2, 4, 8, 16, 32].randomElement(using: &rng)!, coalesce = [2, 4, 8, 16].randomElement(using: &rng)!
        func run(_ approach: String) throws -> Double {
            let s = try ioScenario(approach: approach, perRequest: perRequest, perInterrupt: perInterrupt, batch: batch, coalesce: coalesce)
            return try simulate(s).first { $0.name == MetricName.exitsPerOp.rawValue }?.value ?? .nan
        }
        let emulated = try run("emulation"), split = try run("paravirtual")
        let problem = """
        A VM sends packets through an emulated NIC whose driver makes \(perRequest) register accesses to send a packet and \(perInterrupt) \
        to take each completion interrupt (one interrupt per packet). The same VM then uses a paravirtual split driver that notifies \
        the backend once per \(batch) packets and takes one interrupt per \(coalesce) completions. How many VM exits per packet \
        (a) with the emulated NIC, (b) with the split driver?
        """
        let emulatedText = decimal(emulated), splitText = decimal(split)
        var explanation = "Under emulation every register access traps, and the completion interrupt is injected on an exit of its own: "
        explanation += "\(perRequest) + \(perInterrupt) + 1 = \(emulatedText) exits a packet. The split driver writes descriptors into a shared "
        explanation += "ring without exiting; only the kick (one per \(batch)) and the interrupt (one per \(coalesce)) exit: 1/\(batch) + 1/\(coalesce) = "
        explanation += "\(splitText) a packet."
        return Exercise(kind: .io, seed: seed, title: "I/O: exits per packet", problem: problem, answers: [
            Exercise.Answer(name: "emulated_exits_per_packet", value: emulatedText, tolerance: "±2 %"),
            Exercise.Answer(name: "split_exits_per_packet", value: splitText, tolerance: "±2 %"),
        ], explanation: explanation, parameters: ["per_request": String(perRequest), "per_interrupt": String(perInterrupt), "batch": String(batch),
                                                  "coalesce": String(coalesce)])
    }

    static func postcopy(seed: UInt64, rng: inout SplitMix64) throws -> Exercise {
        let memory = [256, 512, 1_024].randomElement(using: &rng)!
        let window = [8, 16, 32, 64].randomElement(using: &rng)!
        func m(_ r: [Metric], _ k: MetricName) -> Double { r.first { $0.name == k.rawValue }?.value ?? .nan }
        let push = try simulate(try postcopyScenario(memoryMiB: memory, window: window, prepaging: false))
        let prepaged = try simulate(try postcopyScenario(memoryMiB: memory, window: window, prepaging: true))
        let sent = Int(m(push, .pagesSent)), pages = Int(m(push, .memoryPages))
        let faults = Int(m(push, .postcopyRequests)), faultsPrepaged = Int(m(prepaged, .postcopyRequests))
        let problem = """
        A \(grouped(memory)) MiB VM (4 KiB pages) migrates by post-copy with active push: after the switch-over the source streams every page \
        in order, and a page the guest touches before it arrives is fetched at once (a network fault). The guest reads memory in \
        runs of neighbouring pages. (a) How many pages cross the network? (b) Prepaging pushes the \(window) pages around each \
        fault first: are there more or fewer network faults with it?
        """
        let explanation = "Post-copy sends each page exactly once — the destination never asks for a page it already has and the source never "
            + "resends: \(grouped(sent)) of the VM's \(grouped(pages)) pages. Without prepaging the guest faulted \(grouped(faults)) times; with it \(grouped(faultsPrepaged)): a fault's "
            + "neighbours arrive before the guest's run of reads reaches them."
        return Exercise(kind: .postcopy, seed: seed, title: "Post-copy: pages and faults", problem: problem, answers: [
            Exercise.Answer(name: "pages_sent", value: String(sent), tolerance: "exact"),
            Exercise.Answer(name: "prepaging_faults", value: faultsPrepaged < faults ? "fewer" : faultsPrepaged > faults ? "more" : "the same", tolerance: "exact",
                            choices: ["fewer", "the same", "more"]),
        ], explanation: explanation, parameters: ["memory_mib": String(memory), "window": String(window)])
    }

    /// The shadow-paging problem as a scenario: the context-switch-heavy preset with the problem's numbers.
    package static func shadowScenario(processes: Int, cache: Int, switchEvery: Int, accesses: Int) throws -> Scenario {
        var o = Preset.named(.contextSwitchHeavyShadow).overrides
        o["memory.os.processes"] = .integer(Int64(processes))
        o["memory.shadow.root_cache"] = .integer(Int64(cache))
        o["memory.os.switch_every"] = .integer(Int64(switchEvery))
        o["memory.workload.accesses"] = .integer(Int64(accesses))
        return try Preset(name: "exercise-shadow", topic: .memory, summary: "exercise", seed: 1, overrides: o).scenario()
    }

    /// The I/O problem as a scenario: the network preset of `approach` with the problem's driver.
    package static func ioScenario(approach: String, perRequest: Int, perInterrupt: Int, batch: Int, coalesce: Int) throws -> Scenario {
        var o = Preset.named("net-\(approach)")!.overrides
        o["io.requests"] = .integer(3_200)
        o["io.emulation.accesses_per_request"] = .integer(Int64(perRequest))
        o["io.emulation.accesses_per_interrupt"] = .integer(Int64(perInterrupt))
        o["io.paravirtual.batch"] = .integer(Int64(batch))
        o["io.paravirtual.coalesce"] = .integer(Int64(coalesce))
        return try Preset(name: "exercise-io", topic: .io, summary: "exercise", seed: 1, overrides: o).scenario()
    }

    /// The post-copy problem as a scenario: active push, with or without prepaging.
    package static func postcopyScenario(memoryMiB: Int, window: Int, prepaging: Bool) throws -> Scenario {
        var o = Preset.named(.postcopyPush).overrides
        o["migration.vm.memory_mib"] = .integer(Int64(memoryMiB))
        o["migration.postcopy.push"] = .text("linear")
        o["migration.postcopy.prepaging"] = .text(prepaging ? "yes" : "no")
        o["migration.postcopy.prepage_window"] = .integer(Int64(window))
        return try Preset(name: "exercise-postcopy", topic: .migration, summary: "exercise", seed: 1, overrides: o).scenario()
    }

    /// A number to three decimals, trailing zeros dropped (0.188, 9).
    static func decimal(_ v: Double) -> String {
        guard v.isFinite else { return v.description }
        let r = (v * 1_000).rounded() / 1_000
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }

    /// The pre-copy problem as a scenario: the busy preset with the problem's VM, link and dirty rate.
    package static func precopyScenario(memoryMiB: Int, mbps: Double, dirtyRate: Double, name: String) throws -> Scenario {
        var o = Preset.named(.precopyBusy).overrides
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

/// A number as an exercise's prose writes it, thousands grouped as everywhere else in VirtLab
/// ("56,704 random pages per second"); the answers keep their plain digits for Moodle.
func grouped<N: BinaryInteger>(_ n: N) -> String { SummaryTemplate.number(Double(n)) }
func grouped(_ x: Double) -> String { SummaryTemplate.number(x) }
