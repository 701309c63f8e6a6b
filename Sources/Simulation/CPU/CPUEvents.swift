import TraceFormat
import Vocabulary

/// The event kinds the CPU simulator writes; ids are stable across versions.
package enum CPUEvents {
    package static let instructionTrap: UInt16 = 101
    package static let vmExit: UInt16 = 102
    package static let violation: UInt16 = 103
    package static let translation: UInt16 = 104
    package static let counters: UInt16 = 105

    /// Exit reasons: deprivileged traps, hypercalls, page faults on traced page tables, and the
    /// VT-x basic exit reasons a profile's `exit_reason` may name.
    package enum ExitReason: Int, VMExitReason {
        case trap, hypercall, pageFault, crAccess, drAccess, hlt, ioInstruction, invlpg, invd, wbinvd, msr
        case gdtrIdtrAccess, ldtrTrAccess, other
    }

    /// How the VMM dealt with an instruction.
    package enum Outcome: Int, TraceEnumeration, Sendable {
        case direct, emulated, translated, hypercall, vmExit, violation

        package var name: String { traceName }
    }

    package static let modes = ["kernel", "user"]

    package static let kinds: [EventKind] = [
        EventKind(id: instructionTrap, .instructionTrap, category: .cpu, fields: [
            FieldSpec("instruction", .string), FieldSpec("mode", .enumeration(modes), packed: true),
            FieldSpec("outcome", .enumeration(Outcome.allCases.dropFirst().map(\.name)), packed: true),
        ]),
        VMExitEvent.kind(id: vmExit, reasons: ExitReason.self),
        EventKind(id: violation, .equivalenceViolation, category: .cpu, fields: [
            FieldSpec("instruction", .string), FieldSpec("expected", .string), FieldSpec("actual", .string),
            FieldSpec("mode", .enumeration(modes), packed: true),
        ]),
        EventKind(id: translation, .translation, category: .cpu, fields: [
            FieldSpec("block", .unsigned), FieldSpec("instructions", .unsigned), FieldSpec("evicted", .enumeration(["no", "yes"]), packed: true),
        ]),
        EventKind(id: counters, .cpuCounters, category: .counter, shape: .counter, fields: [
            FieldSpec("instructions", .unsigned, delta: true), FieldSpec("direct", .unsigned, delta: true),
            FieldSpec("vmm_entries", .unsigned, delta: true), FieldSpec("violations", .unsigned, delta: true),
            FieldSpec("translations", .unsigned, delta: true),
        ]),
    ]

    /// The trace's string table for a profile: each mnemonic, then each description and effect.
    package static func strings(_ isa: InstructionSet) -> [String] {
        var out: [String] = []
        for i in isa.instructions { out.append(i.mnemonic) }
        for i in isa.instructions { out.append(i.description) }
        for i in isa.instructions { out.append(i.unprivilegedEffect ?? "") }
        out.append("store to a guest page-table entry")
        return out
    }
}
