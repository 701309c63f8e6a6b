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

        package var name: String {
            switch self {
            case .trap: "trap"
            case .hypercall: "hypercall"
            case .pageFault: "page_fault"
            case .crAccess: "cr_access"
            case .drAccess: "dr_access"
            case .hlt: "hlt"
            case .ioInstruction: "io_instruction"
            case .invlpg: "invlpg"
            case .invd: "invd"
            case .wbinvd: "wbinvd"
            case .msr: "msr"
            case .gdtrIdtrAccess: "gdtr_idtr_access"
            case .ldtrTrAccess: "ldtr_tr_access"
            case .other: "other"
            }
        }

        /// The reason a profile names (`exit_reason: cr_access`).
        package init?(name: String) {
            guard let r = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = r
        }
    }

    /// How the VMM dealt with an instruction.
    package enum Outcome: Int, CaseIterable, Sendable {
        case direct, emulated, translated, hypercall, vmExit, violation

        package var name: String {
            switch self {
            case .direct: "direct"
            case .emulated: "emulated"
            case .translated: "translated"
            case .hypercall: "hypercall"
            case .vmExit: "vm_exit"
            case .violation: "violation"
            }
        }
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
