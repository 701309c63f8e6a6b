import Vocabulary
import TraceFormat
import Yams

/// Case studies and design challenges, the lesson plans' key activities made runnable.
///
/// A **case** ("what is slowing this VM down?") is a seeded run whose configuration is hidden:
/// students see its symptoms (the report), propose a fix as the scenario keys they would
/// change, and `virtlab case check` runs the hidden configuration with their changes and says
/// whether it meets the case's target. A **design challenge** states its configuration and a
/// target in numbers; students choose the strategy and parameters. Either way the judge is the
/// simulator, and every generated case is checked when it is made: the original configuration
/// misses the target and the reference fix meets it.
package enum CaseFamily: String, CaseIterable, Sendable {
    case memory, io, migration
    case designMigration = "design-migration", designMemory = "design-memory"

    package var topic: Topic {
        switch self {
        case .memory, .designMemory: .memory
        case .io: .io
        case .migration, .designMigration: .migration
        }
    }

    /// A challenge states its configuration; a case hides it.
    package var isDesign: Bool { self == .designMigration || self == .designMemory }

    /// Keys a proposal may change (dotted prefixes); everything else — the workload, the VM,
    /// the hardware — is the case itself.
    package var allowed: [String] {
        switch topic {
        case .memory: ["memory.mode", "memory.page_size", "memory.nested.", "memory.shadow.", "memory.tlb."]
        case .io: ["io.approach", "io.paravirtual.", "io.passthrough.", "io.iommu.enabled"]
        case .migration: ["migration.strategy", "migration.precopy.", "migration.postcopy."]
        case .cpu: ["cpu.strategy"]
        }
    }

    package var summary: String {
        switch self {
        case .memory: "a memory-virtualization bottleneck (paging mode, page size, shadow pages)"
        case .io: "an I/O-virtualization bottleneck (device model, batching)"
        case .migration: "a live migration that misses its downtime (strategy, stop rules)"
        case .designMigration: "design: migrate a write-heavy VM within a downtime and a total time"
        case .designMemory: "design: run a fork-heavy guest under an overhead bound"
        }
    }
}

/// A condition of a target: a metric, a comparison, a bound.
package struct CaseCondition: Sendable, Equatable {
    package var metric: MetricName
    package var atMost: Bool
    package var bound: Double

    package init(metric: MetricName, atMost: Bool, bound: Double) {
        self.metric = metric
        self.atMost = atMost
        self.bound = bound
    }

    /// The metric's unit as a case prints it (none for a count).
    package var unit: String { metric.unit == .count ? "" : metric.unit.rawValue }
    package func holds(_ v: Double) -> Bool { atMost ? v <= bound : v >= bound }
    package var text: String { "\(metric.rawValue) \(atMost ? "≤" : "≥") \(CaseStudy.number(bound))\(unit.isEmpty ? "" : " " + unit)" }
}

/// One generated case or challenge.
package struct CaseStudy: Sendable {
    package var family: CaseFamily
    package var seed: UInt64
    /// "memory-7": what students type to check a proposal.
    package var id: String { "\(family.rawValue)-\(seed)" }
    package var title: String
    /// What students are told.
    package var brief: String
    package var target: [CaseCondition]
    /// The preset the case starts from and the keys it sets (hidden for a case).
    package var base: PresetName
    package var hidden: [String: ScenarioValue]
    /// The reference fix: the keys it changes.
    package var reference: [String: ScenarioValue]
    package var referenceWhy: String
    /// What is wrong, for the key.
    package var diagnosis: String

    /// The scenario with a proposal's changes applied.
    package func scenario(_ changes: [String: ScenarioValue]) throws -> Scenario {
        let preset = Preset.named(base)
        var o = preset.overrides
        for (k, v) in hidden { o[k] = v }
        for (k, v) in changes { o[k] = v }
        return try Preset(name: "case-\(id)", topic: family.topic, summary: isDesignBrief, seed: preset.seed, overrides: o).scenario()
    }

    var isDesignBrief: String { family.isDesign ? brief : "case \(id): configuration hidden" }

    package static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String((v * 100).rounded() / 100)
    }
}

/// The outcome of checking a configuration against a case's target.
package struct CaseVerdict: Sendable {
    package var met: Bool
    package var lines: [(condition: CaseCondition, value: Double, holds: Bool)]
}

package enum Cases {
    /// The case of a family and seed (mixed with the lecturer's secret, so that students who
    /// know the seed cannot make the key themselves without it).
    /// - Throws: when no variant of the family both misses its target with the original
    ///   configuration and meets it with the reference fix (a model change would show here).
    package static func make(_ family: CaseFamily, seed: UInt64, secret: String = "") throws -> CaseStudy {
        var mixed = seed
        for b in secret.utf8 { mixed = (mixed ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var rng = SplitMix64(seed: mixed ^ 0xCA5E_5EED_0F_1CE5)
        // A few variants in the family's rotation; the first whose reference fix works is the case.
        for _ in 0..<6 {
            var c = variant(family, seed: seed, rng: &rng)
            let before = try measure(c, [:]), after = try measure(c, c.reference)
            // The bound sits between the two: near enough to the fix that half-measures miss it.
            for i in c.target.indices {
                let m = c.target[i].metric.rawValue
                guard let o = before[m], let f = after[m] else { continue }
                if c.target[i].bound.isNaN {
                    let bound = f + (o - f) * 0.35
                    c.target[i].bound = bound.magnitude >= 10 ? bound.rounded() : (bound * 100).rounded() / 100
                }
            }
            let original = judge(c, before), fixed = judge(c, after)
            if !original.met && fixed.met { return c }
        }
        throw ScenarioError(source: "case \(family.rawValue)-\(seed)", "no variant both misses its target and meets it with the reference fix")
    }

    /// Runs a configuration and returns its metrics by name.
    package static func measure(_ c: CaseStudy, _ changes: [String: ScenarioValue]) throws -> [String: Double] {
        let metrics = try Exercises.simulate(try c.scenario(changes))
        return Dictionary(metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    package static func judge(_ c: CaseStudy, _ metrics: [String: Double]) -> CaseVerdict {
        let lines = c.target.map { cond -> (CaseCondition, Double, Bool) in
            let v = metrics[cond.metric.rawValue] ?? .nan
            return (cond, v, v.isFinite && cond.holds(v))
        }
        return CaseVerdict(met: lines.allSatisfy(\.2), lines: lines.map { (condition: $0.0, value: $0.1, holds: $0.2) })
    }

    /// Reads a proposal: a YAML mapping of the scenario keys to change (nested like a scenario
    /// file, or dotted), each allowed by the case and valid for its key.
    /// - Throws: `ScenarioError` naming the file, line, column and key for anything else.
    package static func proposal(_ text: String, source: String, for c: CaseStudy) throws -> [String: ScenarioValue] {
        // An empty proposal is the case as it is.
        guard text.contains(where: { !$0.isWhitespace }), let root = try ScenarioDecoder.compose(text, source: source) else { return [:] }
        var out: [String: ScenarioValue] = [:]
        func walk(_ node: Node, _ path: String) throws {
            switch node {
            case let .mapping(m):
                for (k, v) in m {
                    guard let name = k.string else { throw ScenarioError(source: source, line: k.mark?.line, column: k.mark?.column, "keys are names") }
                    try walk(v, path.isEmpty ? name : "\(path).\(name)")
                }
            case let .scalar(s):
                let line = node.mark?.line, column = node.mark?.column
                if ["name", "description", "topic", "seed"].contains(path) || path.hasPrefix("sweep") {
                    throw ScenarioError(source: source, keyPath: path, line: line, column: column,
                                        "a proposal changes the \(c.family.topic.rawValue) configuration only, not the scenario's \(path)")
                }
                let top = path.split(separator: ".").first.map(String.init) ?? path
                guard top == c.family.topic.rawValue else {
                    throw ScenarioError(source: source, keyPath: path, line: line, column: column,
                                        "case \(c.id) is a \(c.family.topic.rawValue) case; a proposal for \(top) does not apply")
                }
                guard let key = c.family.topic.keys.first(where: { $0.path == path }) else {
                    throw ScenarioError(source: source, keyPath: path, line: line, column: column, "is not a key of the \(top) topic; `virtlab scenarios show` lists them")
                }
                guard c.family.allowed.contains(where: { $0.hasSuffix(".") ? path.hasPrefix($0) : path == $0 }) else {
                    throw ScenarioError(source: source, keyPath: path, line: line, column: column,
                                        "is part of the case (the workload, the VM, the hardware), not a fix; a proposal may change "
                                            + c.family.allowed.map { $0.hasSuffix(".") ? $0 + "*" : $0 }.joined(separator: ", "))
                }
                switch key.parse(s.string) {
                case let .success(v): out[path] = v
                case let .failure(p): throw ScenarioError(source: source, keyPath: path, line: line, column: column, p.message)
                }
            default:
                throw ScenarioError(source: source, keyPath: path, line: node.mark?.line, column: node.mark?.column, "must be a value, not a list")
            }
        }
        try walk(root, "")
        return out
    }

    // MARK: Families

    static func variant(_ family: CaseFamily, seed: UInt64, rng: inout SplitMix64) -> CaseStudy {
        func c(_ title: String, _ brief: String, _ target: [CaseCondition], base: PresetName, hidden: [String: ScenarioValue],
               reference: [String: ScenarioValue], why: String, diagnosis: String) -> CaseStudy {
            CaseStudy(family: family, seed: seed, title: title, brief: brief, target: target, base: base, hidden: hidden, reference: reference,
                      referenceWhy: why, diagnosis: diagnosis)
        }
        let overhead = CaseCondition(metric: .overheadVsNative, atMost: true, bound: .nan)
        switch family {
        case .memory:
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                return c("What is slowing this VM down? (memory)", "A guest that forks short-lived children runs far slower in its VM than natively. "
                            + "Find out why from the report and propose a change to the VM's memory virtualization.", [overhead],
                         base: .forkHeavyShadow, hidden: ["memory.os.fork_every": .integer(Int64([50_000, 100_000, 200_000].randomElement(using: &rng)!))],
                         reference: ["memory.mode": .text("nested")],
                         why: "nested paging lets the guest write its own page tables without exits",
                         diagnosis: "shadow paging: every copy-on-write PTE write after a fork is a VM exit (pt_write)")
            case 1:
                return c("What is slowing this VM down? (memory)", "A guest doing random accesses over a large array runs far slower in its VM than "
                            + "natively, and the hypervisor reports few exits. Propose a change to the VM's memory virtualization.", [overhead],
                         base: .tlbThrashNested, hidden: ["memory.workload.working_set_mib": .integer(Int64([256, 512].randomElement(using: &rng)!))],
                         reference: ["memory.page_size": .text("2MiB"), "memory.nested.page_size": .text("2MiB")],
                         why: "2 MiB pages in both dimensions multiply the TLB's reach by 512 and shorten the two-dimensional walk",
                         diagnosis: "nested paging with 4 KiB pages: nearly every access misses the TLB and walks two dimensions (up to 24 references)")
            default:
                return c("What is slowing this VM down? (memory)", "A guest with many processes switching often runs slower in its VM than natively; "
                            + "the exits are CR3 loads and hidden faults. Propose a change to the VM's memory virtualization.", [overhead],
                         base: .contextSwitchHeavyShadow, hidden: ["memory.os.processes": .integer(Int64(Int.random(in: 6...8, using: &rng))),
                                                                       "memory.shadow.max_pages": .integer(16)],
                         reference: ["memory.shadow.max_pages": .integer(1_024)],
                         why: "with room for every process's shadow tables a switch is one CR3 exit: the tables survive until the process runs again",
                         diagnosis: "shadow paging with room for too few shadow pages: the hypervisor zaps the tables of the processes not running, "
                            + "so every switch rebuilds one and refills it through hidden faults")
            }
        case .io:
            let exits = CaseCondition(metric: .exitsPerOp, atMost: true, bound: .nan)
            if Bool.random(using: &rng) {
                return c("What is slowing this VM down? (I/O)", "A VM streaming packets burns most of a core in the hypervisor and exits several "
                            + "times per packet. Propose a change to its I/O virtualization.", [exits],
                         base: .netEmulation, hidden: ["io.emulation.accesses_per_request": .integer(Int64(Int.random(in: 3...6, using: &rng)))],
                         reference: ["io.approach": .text("paravirtual")],
                         why: "a split driver puts requests in a shared ring and notifies once per batch",
                         diagnosis: "full device emulation: every register access of the driver is a VM exit")
            }
            return c("What is slowing this VM down? (I/O)", "A VM with a paravirtual NIC still exits about once per packet. Propose a change "
                        + "to its I/O virtualization.", [exits],
                     base: .netParavirtual, hidden: ["io.paravirtual.batch": .integer(1), "io.paravirtual.coalesce": .integer(1)],
                     reference: ["io.paravirtual.batch": .integer(16), "io.paravirtual.coalesce": .integer(8)],
                     why: "one kick per 16 requests and one interrupt per 8 completions",
                     diagnosis: "the split driver kicks the backend for every request and takes an interrupt for every completion (batch 1, coalesce 1)")
        case .migration:
            let downtime = CaseCondition(metric: .downtimeMs, atMost: true, bound: .nan)
            return c("Why does this migration stop the VM for so long?", "A live migration of a busy VM paused it for seconds. Propose a change "
                        + "to how it migrates (not to the VM, its workload or the network).", [downtime],
                     base: .precopyWriteHeavy, hidden: ["migration.workload.dirty_rate": .real(Double([40_000, 50_000, 60_000].randomElement(using: &rng)!))],
                     reference: ["migration.strategy": .text("post-copy"), "migration.postcopy.push": .text("linear")],
                     why: "post-copy moves only the CPU and device state while the VM is paused",
                     diagnosis: "pre-copy of a guest that dirties pages faster than the link sends them: it never converges and stops the VM with gigabytes left")
        case .designMigration:
            let gib = [4, 8, 16].randomElement(using: &rng)!, gbps = [10, 25].randomElement(using: &rng)!
            let linkPages = Double(gbps) * 1e9 / 8 / 4_096
            let rate = (linkPages * Double.random(in: 1.2...1.8, using: &rng) / 1_000).rounded() * 1_000
            return c("Design: migrate a write-heavy VM", "Migrate a \(gib) GiB VM whose guest writes \(grouped(rate)) random pages a second over a "
                        + "\(gbps) Gbit/s link. Choose the strategy and its parameters (migration.strategy, migration.precopy.*, "
                        + "migration.postcopy.*) so that both targets hold.",
                     [CaseCondition(metric: .downtimeMs, atMost: true, bound: 300),
                      CaseCondition(metric: .totalTimeMs, atMost: true, bound: 60_000)],
                     base: .precopyWriteHeavy, hidden: ["migration.vm.memory_mib": .integer(Int64(gib * 1_024)),
                                                           "migration.network.bandwidth_mbps": .real(Double(gbps * 1_000)),
                                                           "migration.workload.dirty_rate": .real(rate)],
                     reference: ["migration.strategy": .text("post-copy"), "migration.postcopy.push": .text("linear"),
                                 "migration.postcopy.prepaging": .text("yes")],
                     why: "post-copy pauses only for the CPU state and sends every page once: the total time is about one copy of memory",
                     diagnosis: "the guest dirties pages faster than the link sends them: pre-copy cannot converge")
        case .designMemory:
            let every = [50_000, 100_000].randomElement(using: &rng)!
            return c("Design: a fork-heavy guest under an overhead bound", "A guest forks a short-lived child every "
                        + "\(grouped(every)) accesses. Choose its memory virtualization (memory.mode, page sizes, "
                        + "memory.shadow.*, memory.tlb.*) so that it runs within 50 % of native.",
                     [CaseCondition(metric: .overheadVsNative, atMost: true, bound: 50)],
                     base: .forkHeavyShadow, hidden: ["memory.os.fork_every": .integer(Int64(every))],
                     reference: ["memory.mode": .text("nested")],
                     why: "nested paging does not exit on the guest's page-table writes after each fork",
                     diagnosis: "shadow paging exits on every copy-on-write PTE write")
        }
    }
}
