/// The instruction-set profiles VirtLab ships, as YAML data (`virtlab isa show NAME` prints
/// one to copy and edit). Data, not code: each profile is the YAML below.
package enum ShippedProfiles {
    package static let names = ["x86-legacy", "x86-umip", "x86-vtx", "pg-ideal"]

    /// The YAML text of a shipped profile.
    package static func yaml(_ name: String) -> String? {
        switch name {
        case "x86-legacy": x86Legacy
        case "x86-umip": x86UMIP
        case "x86-vtx": x86VTX
        case "pg-ideal": pgIdeal
        default: nil
        }
    }

    /// A shipped profile, decoded.
    package static func profile(_ name: String) throws -> InstructionSet? {
        guard let text = yaml(name) else { return nil }
        return try ProfileDecoder.decode(text: text, source: "profile \(name)")
    }

    static let x86Legacy = """
name: x86-legacy
description: "32-bit x86 before VT-x, with the instructions Robin and Irvine (USENIX Security 2000) found sensitive but unprivileged"
timing_dependencies: false
instructions:
  - mnemonic: "ADD"
    description: "add two registers"
    class: compute
  - mnemonic: "SUB"
    description: "subtract"
    class: compute
  - mnemonic: "AND"
    description: "bitwise and"
    class: compute
  - mnemonic: "XOR"
    description: "bitwise exclusive or"
    class: compute
  - mnemonic: "CMP"
    description: "compare and set flags"
    class: compute
  - mnemonic: "INC"
    description: "increment"
    class: compute
  - mnemonic: "IMUL"
    description: "signed multiply"
    class: compute
  - mnemonic: "SHL"
    description: "shift left"
    class: compute
  - mnemonic: "MOV reg"
    description: "move between general registers"
    class: compute
  - mnemonic: "MOV mem"
    description: "load or store memory"
    class: compute
  - mnemonic: "LEA"
    description: "load effective address"
    class: compute
  - mnemonic: "PUSH reg"
    description: "push a general register"
    class: compute
  - mnemonic: "POP reg"
    description: "pop a general register"
    class: compute
  - mnemonic: "CALL near"
    description: "call within the segment"
    class: compute
  - mnemonic: "RET near"
    description: "return within the segment"
    class: compute
  - mnemonic: "JMP near"
    description: "jump within the segment"
    class: compute
  - mnemonic: "Jcc"
    description: "conditional jump"
    class: compute
  - mnemonic: "NOP"
    description: "no operation"
    class: compute
  - mnemonic: "SGDT"
    description: "store the global descriptor table register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "stores the real GDTR, the VMM's table, not the guest's"
  - mnemonic: "SIDT"
    description: "store the interrupt descriptor table register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "stores the real IDTR, the VMM's table, not the guest's"
  - mnemonic: "SLDT"
    description: "store the local descriptor table register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "stores the real LDTR selector, not the guest's"
  - mnemonic: "STR"
    description: "store the task register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "stores the real task register, not the guest's"
  - mnemonic: "SMSW"
    description: "store the machine status word (low CR0 bits)"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "shows the real CR0 bits (e.g. PE, TS) instead of the guest's virtual CR0"
  - mnemonic: "PUSHF"
    description: "push the flags register"
    class: interrupt
    behavior_sensitive: true
    unprivileged_effect: "pushes the real IF and IOPL: the guest kernel sees interrupts in a state it did not set"
  - mnemonic: "POPF"
    description: "pop the flags register"
    class: interrupt
    control_sensitive: true
    behavior_sensitive: true
    unprivileged_effect: "silently ignores the change to IF when not in ring 0: interrupts stay as they were, no trap"
  - mnemonic: "LAR"
    description: "load access rights of a segment"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "reports the DPL the VMM gave the guest's segments (1 or 3), not 0"
  - mnemonic: "LSL"
    description: "load segment limit"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "reports the limit the VMM truncated to protect itself"
  - mnemonic: "VERR"
    description: "verify a segment for reading"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "checks against the deprivileged CPL: answers differ from ring 0"
  - mnemonic: "VERW"
    description: "verify a segment for writing"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    unprivileged_effect: "checks against the deprivileged CPL: answers differ from ring 0"
  - mnemonic: "PUSH seg"
    description: "push a segment register (e.g. PUSH CS)"
    class: segment
    behavior_sensitive: true
    unprivileged_effect: "the pushed CS selector reveals the real CPL (1 or 3) to a kernel that expects 0"
  - mnemonic: "POP seg"
    description: "pop into a segment register"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    unprivileged_effect: "loads are checked against the deprivileged CPL: some succeed or fail differently"
  - mnemonic: "MOV seg"
    description: "move to or from a segment register"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    unprivileged_effect: "reading CS or SS reveals the real CPL; loads are checked against it"
  - mnemonic: "CALL far"
    description: "call through a far pointer or call gate"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    unprivileged_effect: "gate and privilege checks use the deprivileged CPL"
  - mnemonic: "JMP far"
    description: "jump through a far pointer or call gate"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    unprivileged_effect: "gate and privilege checks use the deprivileged CPL"
  - mnemonic: "RET far"
    description: "return to another segment"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    unprivileged_effect: "compares the return RPL with the real CPL: a return to ring 0 code behaves differently"
  - mnemonic: "INT n"
    description: "software interrupt through the IDT"
    class: syscall
    control_sensitive: true
    behavior_sensitive: true
    unprivileged_effect: "enters through the VMM's IDT and checks gate DPL against the deprivileged CPL; the VMM must reflect it"
  - mnemonic: "LGDT"
    description: "load the global descriptor table register"
    class: descriptor
    privileged: true
    control_sensitive: true
  - mnemonic: "LIDT"
    description: "load the interrupt descriptor table register"
    class: descriptor
    privileged: true
    control_sensitive: true
  - mnemonic: "LLDT"
    description: "load the local descriptor table register"
    class: descriptor
    privileged: true
    control_sensitive: true
  - mnemonic: "LTR"
    description: "load the task register"
    class: descriptor
    privileged: true
    control_sensitive: true
  - mnemonic: "MOV CR0"
    description: "move to or from control register 0"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "MOV CR3"
    description: "load the page-table base (CR3)"
    class: pagetable
    privileged: true
    control_sensitive: true
  - mnemonic: "MOV CR4"
    description: "move to or from control register 4"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "MOV DR"
    description: "move to or from a debug register"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "LMSW"
    description: "load the machine status word"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "CLTS"
    description: "clear the task-switched flag in CR0"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "HLT"
    description: "halt until the next interrupt"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "CLI"
    description: "clear the interrupt flag (traps when CPL > IOPL)"
    class: interrupt
    privileged: true
    control_sensitive: true
  - mnemonic: "STI"
    description: "set the interrupt flag (traps when CPL > IOPL)"
    class: interrupt
    privileged: true
    control_sensitive: true
  - mnemonic: "IN"
    description: "read an I/O port (traps when CPL > IOPL)"
    class: io
    privileged: true
    control_sensitive: true
  - mnemonic: "OUT"
    description: "write an I/O port (traps when CPL > IOPL)"
    class: io
    privileged: true
    control_sensitive: true
  - mnemonic: "INVLPG"
    description: "invalidate one TLB entry"
    class: pagetable
    privileged: true
    control_sensitive: true
  - mnemonic: "INVD"
    description: "invalidate caches without write-back"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "WBINVD"
    description: "write back and invalidate caches"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "RDMSR"
    description: "read a model-specific register"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "WRMSR"
    description: "write a model-specific register"
    class: system
    privileged: true
    control_sensitive: true
"""

    static let x86UMIP = """
name: x86-umip
description: "x86-legacy with User-Mode Instruction Prevention (UMIP, CR4 bit 11; Intel since Cannon Lake and Zen 2): SGDT, SIDT, SLDT, SMSW and STR fault at CPL > 0 — the modern answer to theorem 3's counterexamples (Intel SDM vol. 3A, 2.5)"
timing_dependencies: false
base: x86-legacy
instructions:
  - mnemonic: "SGDT"
    description: "store the global descriptor table register"
    privileged: true
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    note: "UMIP: a #GP fault at CPL > 0, so the deprivileged guest kernel traps and the VMM emulates it"
  - mnemonic: "SIDT"
    description: "store the interrupt descriptor table register"
    privileged: true
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    note: "UMIP: a #GP fault at CPL > 0, so the deprivileged guest kernel traps and the VMM emulates it"
  - mnemonic: "SLDT"
    description: "store the local descriptor table register"
    privileged: true
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    note: "UMIP: a #GP fault at CPL > 0, so the deprivileged guest kernel traps and the VMM emulates it"
  - mnemonic: "STR"
    description: "store the task register"
    privileged: true
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    note: "UMIP: a #GP fault at CPL > 0, so the deprivileged guest kernel traps and the VMM emulates it"
  - mnemonic: "SMSW"
    description: "store the machine status word (low CR0 bits)"
    privileged: true
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    note: "UMIP: a #GP fault at CPL > 0, so the deprivileged guest kernel traps and the VMM emulates it"
"""

    static let x86VTX = """
name: x86-vtx
description: "The same instructions under Intel VT-x (VMX non-root operation). privileged and sensitive mean what they mean on x86-legacy (Popek and Goldberg: traps in user mode; reads or changes privileged state); vm_exit says whether VMX non-root operation can make the instruction exit, guest_state that it runs on the guest's own copy of the state it touches"
timing_dependencies: false
instructions:
  - mnemonic: "ADD"
    description: "add two registers"
    class: compute
    vm_exit: never
  - mnemonic: "SUB"
    description: "subtract"
    class: compute
    vm_exit: never
  - mnemonic: "AND"
    description: "bitwise and"
    class: compute
    vm_exit: never
  - mnemonic: "XOR"
    description: "bitwise exclusive or"
    class: compute
    vm_exit: never
  - mnemonic: "CMP"
    description: "compare and set flags"
    class: compute
    vm_exit: never
  - mnemonic: "INC"
    description: "increment"
    class: compute
    vm_exit: never
  - mnemonic: "IMUL"
    description: "signed multiply"
    class: compute
    vm_exit: never
  - mnemonic: "SHL"
    description: "shift left"
    class: compute
    vm_exit: never
  - mnemonic: "MOV reg"
    description: "move between general registers"
    class: compute
    vm_exit: never
  - mnemonic: "MOV mem"
    description: "load or store memory"
    class: compute
    vm_exit: never
  - mnemonic: "LEA"
    description: "load effective address"
    class: compute
    vm_exit: never
  - mnemonic: "PUSH reg"
    description: "push a general register"
    class: compute
    vm_exit: never
  - mnemonic: "POP reg"
    description: "pop a general register"
    class: compute
    vm_exit: never
  - mnemonic: "CALL near"
    description: "call within the segment"
    class: compute
    vm_exit: never
  - mnemonic: "RET near"
    description: "return within the segment"
    class: compute
    vm_exit: never
  - mnemonic: "JMP near"
    description: "jump within the segment"
    class: compute
    vm_exit: never
  - mnemonic: "Jcc"
    description: "conditional jump"
    class: compute
    vm_exit: never
  - mnemonic: "NOP"
    description: "no operation"
    class: compute
    vm_exit: never
  - mnemonic: "SGDT"
    description: "store the global descriptor table register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: gdtr_idtr_access
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM; exits only if the VMM asks"
  - mnemonic: "SIDT"
    description: "store the interrupt descriptor table register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: gdtr_idtr_access
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM; exits only if the VMM asks"
  - mnemonic: "SLDT"
    description: "store the local descriptor table register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: ldtr_tr_access
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM; exits only if the VMM asks"
  - mnemonic: "STR"
    description: "store the task register"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: ldtr_tr_access
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM; exits only if the VMM asks"
  - mnemonic: "SMSW"
    description: "store the machine status word (low CR0 bits)"
    class: descriptor
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: never
    guest_state: true
    note: "reads the CR0 read shadow the VMM set: the guest sees its own CR0"
  - mnemonic: "PUSHF"
    description: "push the flags register"
    class: interrupt
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "POPF"
    description: "pop the flags register"
    class: interrupt
    control_sensitive: true
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "LAR"
    description: "load access rights of a segment"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "LSL"
    description: "load segment limit"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "VERR"
    description: "verify a segment for reading"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "VERW"
    description: "verify a segment for writing"
    class: segment
    behavior_sensitive: true
    user_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "PUSH seg"
    description: "push a segment register (e.g. PUSH CS)"
    class: segment
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "POP seg"
    description: "pop into a segment register"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "MOV seg"
    description: "move to or from a segment register"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "CALL far"
    description: "call through a far pointer or call gate"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "JMP far"
    description: "jump through a far pointer or call gate"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "RET far"
    description: "return to another segment"
    class: segment
    control_sensitive: true
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "INT n"
    description: "software interrupt through the IDT"
    class: syscall
    control_sensitive: true
    behavior_sensitive: true
    vm_exit: never
    guest_state: true
    note: "runs in VMX non-root ring 0 on the guest's own state (loaded from the VMCS): correct without the VMM"
  - mnemonic: "LGDT"
    description: "load the global descriptor table register"
    class: descriptor
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: gdtr_idtr_access
    guest_state: true
    note: "operates on the guest's own state in non-root operation; exits only if the VMM asks"
  - mnemonic: "LIDT"
    description: "load the interrupt descriptor table register"
    class: descriptor
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: gdtr_idtr_access
    guest_state: true
    note: "operates on the guest's own state in non-root operation; exits only if the VMM asks"
  - mnemonic: "LLDT"
    description: "load the local descriptor table register"
    class: descriptor
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: ldtr_tr_access
    guest_state: true
    note: "operates on the guest's own state in non-root operation; exits only if the VMM asks"
  - mnemonic: "LTR"
    description: "load the task register"
    class: descriptor
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "descriptor-table exiting"
    exit_reason: ldtr_tr_access
    guest_state: true
    note: "operates on the guest's own state in non-root operation; exits only if the VMM asks"
  - mnemonic: "MOV CR0"
    description: "move to or from control register 0"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "CR0 guest/host mask"
    exit_reason: cr_access
  - mnemonic: "MOV CR3"
    description: "load the page-table base (CR3)"
    class: pagetable
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "CR3-load exiting (off with EPT)"
    exit_reason: cr_access
  - mnemonic: "MOV CR4"
    description: "move to or from control register 4"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "CR4 guest/host mask"
    exit_reason: cr_access
  - mnemonic: "MOV DR"
    description: "move to or from a debug register"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "MOV-DR exiting"
    exit_reason: dr_access
  - mnemonic: "LMSW"
    description: "load the machine status word"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "CR0 guest/host mask"
    exit_reason: cr_access
  - mnemonic: "CLTS"
    description: "clear the task-switched flag in CR0"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "CR0 guest/host mask"
    exit_reason: cr_access
  - mnemonic: "HLT"
    description: "halt until the next interrupt"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "HLT exiting"
    exit_reason: hlt
  - mnemonic: "CLI"
    description: "clear the interrupt flag (traps when CPL > IOPL)"
    class: interrupt
    privileged: true
    control_sensitive: true
    vm_exit: never
    guest_state: true
    note: "IF is the guest's own in non-root operation; host interrupts exit through external-interrupt exiting whatever IF says"
  - mnemonic: "STI"
    description: "set the interrupt flag (traps when CPL > IOPL)"
    class: interrupt
    privileged: true
    control_sensitive: true
    vm_exit: never
    guest_state: true
    note: "IF is the guest's own in non-root operation; host interrupts exit through external-interrupt exiting whatever IF says"
  - mnemonic: "IN"
    description: "read an I/O port (traps when CPL > IOPL)"
    class: io
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "unconditional I/O exiting or I/O bitmaps"
    exit_reason: io_instruction
  - mnemonic: "OUT"
    description: "write an I/O port (traps when CPL > IOPL)"
    class: io
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "unconditional I/O exiting or I/O bitmaps"
    exit_reason: io_instruction
  - mnemonic: "INVLPG"
    description: "invalidate one TLB entry"
    class: pagetable
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "INVLPG exiting (off with EPT)"
    exit_reason: invlpg
  - mnemonic: "INVD"
    description: "invalidate caches without write-back"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: always
    exit_reason: invd
  - mnemonic: "WBINVD"
    description: "write back and invalidate caches"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "WBINVD exiting"
    exit_reason: wbinvd
  - mnemonic: "RDMSR"
    description: "read a model-specific register"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "MSR bitmaps"
    exit_reason: msr
  - mnemonic: "WRMSR"
    description: "write a model-specific register"
    class: system
    privileged: true
    control_sensitive: true
    vm_exit: conditional
    vmcs_control: "MSR bitmaps"
    exit_reason: msr
"""

    static let pgIdeal = """
name: pg-ideal
description: "A classic third-generation machine in the spirit of Popek and Goldberg (1974): every sensitive instruction is privileged"
timing_dependencies: false
instructions:
  - mnemonic: "LOAD"
    description: "load a word"
    class: compute
  - mnemonic: "STORE"
    description: "store a word"
    class: compute
  - mnemonic: "ADD"
    description: "add"
    class: compute
  - mnemonic: "SUB"
    description: "subtract"
    class: compute
  - mnemonic: "MUL"
    description: "multiply"
    class: compute
  - mnemonic: "CMP"
    description: "compare"
    class: compute
  - mnemonic: "BRANCH"
    description: "branch"
    class: compute
  - mnemonic: "CALL"
    description: "subroutine call"
    class: compute
  - mnemonic: "RETURN"
    description: "subroutine return"
    class: compute
  - mnemonic: "NOP"
    description: "no operation"
    class: compute
  - mnemonic: "SVC"
    description: "supervisor call: always traps to the supervisor"
    class: syscall
  - mnemonic: "LPSW"
    description: "load program status word (mode, relocation, interrupts)"
    class: system
    privileged: true
    control_sensitive: true
    behavior_sensitive: true
  - mnemonic: "SSM"
    description: "set system mask (enable or disable interrupts)"
    class: interrupt
    privileged: true
    control_sensitive: true
  - mnemonic: "SPSW"
    description: "store program status word (reveals the mode)"
    class: interrupt
    privileged: true
    behavior_sensitive: true
  - mnemonic: "LRB"
    description: "load the relocation-bounds register"
    class: pagetable
    privileged: true
    control_sensitive: true
  - mnemonic: "LRA"
    description: "load real address (translate through relocation)"
    class: pagetable
    privileged: true
    behavior_sensitive: true
  - mnemonic: "SIO"
    description: "start I/O"
    class: io
    privileged: true
    control_sensitive: true
  - mnemonic: "TIO"
    description: "test I/O"
    class: io
    privileged: true
    behavior_sensitive: true
  - mnemonic: "HALT"
    description: "halt the processor"
    class: system
    privileged: true
    control_sensitive: true
  - mnemonic: "DIAG"
    description: "model-specific diagnose: privileged, but touches no resource the VMM controls"
    class: system
    privileged: true
"""
}
