import TraceFormat

/// The event kinds the CPU simulator writes; ids are stable across versions.
package enum CPUEvents {
    package static let instructionTrap: UInt16 = 101
    package static let vmExit: UInt16 = 102
    package static let violation: UInt16 = 103
    package static let translation: UInt16 = 104
    package static let counters: UInt16 = 105

    /// Exit reasons: deprivileged traps, hypercalls, page faults on traced page tables, and the
    /// VT-x basic exit reasons a profile's `exit_reason` may name.
    package static let exitReasons = ["trap", "hypercall", "page_fault", "cr_access", "dr_access", "hlt", "io_instruction",
                                      "invlpg", "invd", "wbinvd", "msr", "gdtr_idtr_access", "ldtr_tr_access", "other"]

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
        EventKind(id: instructionTrap, name: "instruction_trap", category: .cpu, fields: [
            FieldSpec("instruction", .string), FieldSpec("mode", .enumeration(modes), packed: true),
            FieldSpec("outcome", .enumeration(Outcome.allCases.dropFirst().map(\.name)), packed: true),
        ]),
        EventKind(id: vmExit, name: "vm_exit", category: .cpu, shape: .interval, fields: [
            FieldSpec("reason", .enumeration(exitReasons), packed: true), FieldSpec("duration", .duration),
            FieldSpec("vcpu", .unsigned, bits: 8),
        ]),
        EventKind(id: violation, name: "equivalence_violation", category: .cpu, fields: [
            FieldSpec("instruction", .string), FieldSpec("expected", .string), FieldSpec("actual", .string),
            FieldSpec("mode", .enumeration(modes), packed: true),
        ]),
        EventKind(id: translation, name: "translation", category: .cpu, fields: [
            FieldSpec("block", .unsigned), FieldSpec("instructions", .unsigned), FieldSpec("evicted", .enumeration(["no", "yes"]), packed: true),
        ]),
        EventKind(id: counters, name: "cpu_counters", category: .counter, shape: .counter, fields: [
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
