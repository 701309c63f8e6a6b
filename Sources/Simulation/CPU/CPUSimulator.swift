#if canImport(Glibc)
import Glibc
#endif
import TraceFormat
import Vocabulary

/// Runs a guest's instruction stream under a VMM strategy and measures Popek and Goldberg's
/// three properties — equivalence, resource control, efficiency — plus cycles against native.
package struct CPUSimulator {
    package let config: CPUConfig
    package let isa: InstructionSet
    package let seed: UInt64

    package init(config: CPUConfig, isa: InstructionSet, seed: UInt64) {
        self.config = config
        self.isa = isa
        self.seed = seed
    }

    /// Loads the profile a configuration names: a shipped one or a YAML file.
    package static func loadProfile(_ name: String, readFile: (String) -> String?) throws -> InstructionSet {
        if let shipped = try ShippedProfiles.profile(name) { return shipped }
        guard let text = readFile(name) else {
            throw ScenarioError(source: name, "cannot read this profile file; shipped profiles: \(ShippedProfiles.names.joined(separator: ", "))")
        }
        return try ProfileDecoder.decode(text: text, source: name)
    }

    /// The figures of one run.
    package struct Result: Sendable {
        package var totals: CPUTotals
        package var nativeCycles: UInt64
        package var weakIsolation: Bool

        package var overhead: Double { Double(totals.cycles) / Double(max(nativeCycles, 1)) - 1 }
        package var efficiency: Double { Double(totals.direct) / Double(max(totals.instructions, 1)) }
    }

    /// One pass with no native baseline (for `virtlab bench sim`); returns the instructions simulated.
    package static func benchmarkPass(_ c: CPUConfig, isa: InstructionSet, seed: UInt64, writer: TraceWriter?) throws -> UInt64 {
        var m = CPUMachine(config: c, isa: isa, writer: writer)
        try m.run(seed: seed, progress: .silent)
        return m.totals.instructions
    }

    package func run(writer: TraceWriter?, progress: RunProgress = .silent) throws -> Result {
        var native: UInt64 = 0
        if config.strategy != .native {
            var m = CPUMachine(config: config.with(strategy: .native), isa: isa, writer: nil)
            try m.run(seed: seed, progress: .silent)
            native = m.totals.cycles
        }
        var m = CPUMachine(config: config, isa: isa, writer: writer)
        try m.run(seed: seed, progress: progress)
        let weak = config.guestRing == 1 && [.trapAndEmulate, .binaryTranslation, .hybrid, .paravirtual].contains(config.strategy)
        return Result(totals: m.totals, nativeCycles: config.strategy == .native ? m.totals.cycles : native, weakIsolation: weak)
    }

    /// The results summary written into the trace.
    package func metrics(_ r: Result) -> [Metric] {
        let t = r.totals
        let clock = CycleClock(ghz: config.clockGHz)
        var out: [Metric] = [
            Metric(.instructions, Double(t.instructions)),
            Metric(.totalCycles, Double(t.cycles)),
            Metric(.simTimeNs, Double(clock.nanoseconds(t.cycles))),
            Metric(.nativeCycles, Double(r.nativeCycles)),
            Metric(.overheadVsNative, r.overhead * 100),
            Metric(.equivalenceViolations, Double(t.violations)),
            Metric(.equivalenceHolds, t.violations == 0 ? 1 : 0),
            Metric(.resourceControlHolds, r.weakIsolation ? 0 : 1),
            Metric(.efficiency, r.efficiency),
            Metric(.directInstructions, Double(t.direct)),
            Metric(.emulated, Double(t.outcomes[CPUEvents.Outcome.emulated.rawValue])),
            Metric(.translated, Double(t.outcomes[CPUEvents.Outcome.translated.rawValue])),
            Metric(.hypercalls, Double(t.outcomes[CPUEvents.Outcome.hypercall.rawValue] + t.batchedHypercalls)),
            Metric(.vmExits, Double(t.exitsTotal)),
            Metric(.hardwareExits, Double(t.outcomes[CPUEvents.Outcome.vmExit.rawValue])),
            Metric(.translations, Double(t.translations)),
            Metric(.translationEvictions, Double(t.evictions)),
            Metric(.syscalls, Double(t.syscalls)),
            Metric(.vmmCycles, Double(t.vmmCycles)),
        ]
        for reason in CPUEvents.ExitReason.allCases where t.exits[reason.rawValue] > 0 {
            out.append(Metric(.exits, reason.name, Double(t.exits[reason.rawValue])))
        }
        for (i, ins) in isa.instructions.enumerated() where t.vmmByInstruction[i] > 0 {
            out.append(Metric(.vmmHandled, Self.metricName(ins.mnemonic), Double(t.vmmByInstruction[i])))
        }
        for (i, ins) in isa.instructions.enumerated() where t.violationsByInstruction[i] > 0 {
            out.append(Metric(.violations, Self.metricName(ins.mnemonic), Double(t.violationsByInstruction[i])))
        }
        return out
    }

    /// A mnemonic as a metric-name fragment: `MOV CR3` → `mov_cr3`.
    static func metricName(_ s: String) -> String {
        String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(40))
    }
}

/// Running totals of a CPU run.
package struct CPUTotals: Sendable {
    package var instructions: UInt64 = 0
    package var direct: UInt64 = 0
    package var cycles: UInt64 = 0
    package var vmmCycles: UInt64 = 0
    package var violations: UInt64 = 0
    package var translations: UInt64 = 0
    package var evictions: UInt64 = 0
    package var syscalls: UInt64 = 0
    package var batchedHypercalls: UInt64 = 0
    package var outcomes = [UInt64](repeating: 0, count: CPUEvents.Outcome.allCases.count)
    package var exits = [UInt64](repeating: 0, count: CPUEvents.ExitReason.allCases.count)
    package var vmmByInstruction: [UInt64]
    package var violationsByInstruction: [UInt64]

    init(instructions n: Int) {
        vmmByInstruction = [UInt64](repeating: 0, count: n)
        violationsByInstruction = [UInt64](repeating: 0, count: n)
    }

    package var exitsTotal: UInt64 { exits.reduce(0, +) }
    package var vmmEntries: UInt64 { outcomes[1...4].reduce(0, +) }
    package func outcome(_ o: CPUEvents.Outcome) -> UInt64 { outcomes[o.rawValue] }
}
