/// One instruction of an instruction-set profile and how it behaves when the guest kernel is
/// deprivileged (Popek and Goldberg's classification).
package struct Instruction: Sendable, Equatable {
    /// What the VMM-relevant classes of the workload generator draw from.
    package enum Kind: String, Sendable, CaseIterable {
        case compute, interrupt, segment, descriptor, pagetable, io, system, syscall, timing
    }

    /// Whether the instruction exits under VMX non-root operation.
    package enum VMExit: String, Sendable, CaseIterable {
        case always, conditional, never
    }

    package var mnemonic: String
    package var description: String
    /// Traps when executed outside supervisor mode.
    package var privileged: Bool
    /// Changes the machine's configuration or resources (mode, memory map, interrupts, I/O).
    package var controlSensitive: Bool
    /// Its effect depends on the mode or location it runs in.
    package var behaviorSensitive: Bool
    /// Sensitive when executed in user mode too (theorem 3's concern).
    package var userSensitive: Bool
    /// For a sensitive, unprivileged instruction: what goes wrong when it runs deprivileged.
    package var unprivilegedEffect: String?
    package var kind: Kind
    /// VT-x behaviour (profiles of VMX non-root operation only).
    package var vmExit: VMExit?
    /// The VMCS control that makes a conditional exit happen.
    package var vmcsControl: String?
    /// The VM-exit reason it raises (VT-x basic exit reason family).
    package var exitReason: String?
    /// VT-x profiles: in VMX non-root operation the instruction works on the guest's own copy
    /// of the state it touches (loaded from the VMCS), so it is correct without an exit.
    package var guestState = false
    package var note: String?
    /// Line of the entry in its profile file (for messages).
    package var line: Int?

    package var sensitive: Bool { controlSensitive || behaviorSensitive }
    /// VT-x profiles: the hardware keeps the instruction from running unseen — it can exit
    /// (always, or under a VMCS control) or it runs on the guest's own state.
    package var handledByVMX: Bool { vmExit == .always || vmExit == .conditional || guestState }
    package var safe: Bool { !privileged && !sensitive }
}

/// A machine's instruction set as Popek and Goldberg see it, plus the flag theorem 2 needs.
package struct InstructionSet: Sendable, Equatable {
    package var name: String
    package var description: String
    /// The VMM depends on timing (theorem 2 requires that it does not).
    package var timingDependencies: Bool
    package var instructions: [Instruction]
    /// The YAML the profile was read from.
    package var text: String

    package func instruction(_ mnemonic: String) -> Instruction? {
        instructions.first { $0.mnemonic == mnemonic }
    }

    /// Whether this profile says which instructions exit under VT-x.
    package var describesVMX: Bool { instructions.contains { $0.vmExit != nil } }
}

/// A theorem's verdict: whether it holds, and the instructions that break it.
package struct Verdict: Sendable, Equatable {
    package var holds: Bool
    package var counterexamples: [String]
}

/// Popek and Goldberg's three theorems and the set regions, computed from a profile.
package struct VirtualizabilityReport: Sendable, Equatable {
    package var profile: String
    /// Theorem 1: a VMM can be built if sensitive ⊆ privileged.
    package var theorem1: Verdict
    /// Theorem 2: recursively virtualizable if theorem 1 holds and the VMM has no timing dependencies.
    package var theorem2: Verdict
    /// Theorem 3: a hybrid VMM can be built if user-sensitive ⊆ privileged.
    package var theorem3: Verdict
    /// Region name → sorted mnemonics, in a fixed order.
    package var regions: [(name: String, members: [String])]

    package static func == (a: Self, b: Self) -> Bool {
        a.profile == b.profile && a.vmx == b.vmx && a.theorem1 == b.theorem1 && a.theorem2 == b.theorem2 && a.theorem3 == b.theorem3
            && a.regions.map(\.name) == b.regions.map(\.name) && a.regions.map(\.members) == b.regions.map(\.members)
    }

    /// Whether the theorems were checked against VMX non-root behaviour (a VT-x profile) rather
    /// than against traps in user mode.
    package var vmx = false

    /// Popek and Goldberg's theorems. For a profile of VMX non-root operation (one that says
    /// `vm_exit`), "privileged" still means what it means everywhere — traps in user mode — but
    /// the VMM no longer relies on traps: an instruction is kept from running unseen when VT-x can
    /// make it exit or runs it on the guest's own state, and the theorems compare the sensitive
    /// instructions with *that* set.
    package init(_ isa: InstructionSet) {
        profile = isa.name
        let all = isa.instructions
        vmx = isa.describesVMX
        func names(_ f: (Instruction) -> Bool) -> [String] { all.filter(f).map(\.mnemonic).sorted() }
        let caught: (Instruction) -> Bool = isa.describesVMX ? { $0.handledByVMX } : { $0.privileged }
        let breaking1 = names { $0.sensitive && !caught($0) }
        theorem1 = Verdict(holds: breaking1.isEmpty, counterexamples: breaking1)
        var breaking2 = breaking1
        if isa.timingDependencies { breaking2.append("(the VMM has timing dependencies)") }
        theorem2 = Verdict(holds: breaking1.isEmpty && !isa.timingDependencies, counterexamples: breaking2)
        let breaking3 = names { $0.userSensitive && !caught($0) }
        theorem3 = Verdict(holds: breaking3.isEmpty, counterexamples: breaking3)
        regions = [
            ("privileged_and_sensitive", names { $0.privileged && $0.sensitive }),
            ("sensitive_not_privileged", names { $0.sensitive && !$0.privileged }),
            ("privileged_not_sensitive", names { $0.privileged && !$0.sensitive }),
            ("safe", names { $0.safe }),
            ("control_sensitive_only", names { $0.controlSensitive && !$0.behaviorSensitive }),
            ("behavior_sensitive_only", names { $0.behaviorSensitive && !$0.controlSensitive }),
            ("control_and_behavior_sensitive", names { $0.controlSensitive && $0.behaviorSensitive }),
            ("user_sensitive", names { $0.userSensitive }),
            // VT-x: what VMX non-root operation does with each instruction.
            ("sensitive_handled_by_vmx", names { $0.sensitive && $0.handledByVMX }),
            ("sensitive_unhandled_by_vmx", names { $0.sensitive && $0.vmExit != nil && !$0.handledByVMX }),
            ("handled_by_vmx_not_sensitive", names { !$0.sensitive && $0.handledByVMX }),
        ]
    }

    /// The members of a region by name.
    package func region(_ name: String) -> [String] { regions.first { $0.name == name }?.members ?? [] }
}
