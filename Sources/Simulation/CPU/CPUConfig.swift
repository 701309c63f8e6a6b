/// The parameters of a CPU-virtualization run, read from a scenario's `cpu` section.
package struct CPUConfig: Sendable, Equatable {
    package enum Strategy: String, Sendable, CaseIterable {
        case native
        case trapAndEmulate = "trap-and-emulate"
        case binaryTranslation = "binary-translation"
        case hybrid
        case paravirtual
        case hardwareAssisted = "hardware-assisted"
    }

    package enum Mix: String, Sendable, CaseIterable {
        case compute
        case syscallHeavy = "syscall-heavy"
        case interruptToggling = "interrupt-toggling"
        case pagetableHeavy = "pagetable-heavy"
    }

    package var profile: String
    package var strategy: Strategy
    /// The ring the deprivileged guest kernel runs in (1 or 3).
    package var guestRing: Int
    /// Hardware-assisted runs have nested paging (EPT): page-table work does not exit.
    package var nestedPaging: Bool
    package var mix: Mix
    package var instructions: UInt64
    /// Share of user-mode instructions that are user-sensitive ones (a "red pill" probe).
    package var userSensitiveRate: Double
    package var kernelBlocks: Int
    package var blockInstructions: Int
    package var translationCacheBlocks: Int
    package var pvBatch: Int
    package var costs: CPUCosts
    package var clockGHz: Double
    package var counterInterval: UInt64

    package static let keys: [ScenarioKey] = [
        ScenarioKey("cpu.profile", .text(maxBytes: 4_096), default: .text("x86-legacy"),
                    "instruction-set profile: x86-legacy, x86-vtx, pg-ideal, or a profile file (YAML)"),
        ScenarioKey("cpu.strategy", .choice(Strategy.allCases.map(\.rawValue)), default: .text("trap-and-emulate"),
                    "how the VMM runs the guest kernel"),
        ScenarioKey("cpu.guest_ring", .integer(1...3), default: .integer(1), "ring of the deprivileged guest kernel (1 or 3)"),
        ScenarioKey("cpu.nested_paging", .choice(["yes", "no"]), default: .text("no"),
                    "hardware-assisted runs with EPT (no exits for page-table work); no: shadow paging, every guest page-table store exits (as on first-generation VT-x)"),
        ScenarioKey("cpu.workload.mix", .choice(Mix.allCases.map(\.rawValue)), default: .text("syscall-heavy"),
                    "the kernel work between user compute"),
        ScenarioKey("cpu.workload.instructions", .integer(1_000...10_000_000_000), default: .integer(5_000_000), "instructions to simulate"),
        ScenarioKey("cpu.workload.user_sensitive_rate", .real(0...0.5), default: .real(0),
                    "share of user-mode instructions that are user-sensitive (SGDT-style probes)"),
        ScenarioKey("cpu.bt.kernel_blocks", .integer(1...1_000_000), default: .integer(2_000), "distinct basic blocks of guest kernel code"),
        ScenarioKey("cpu.bt.block_instructions", .integer(1...1_000), default: .integer(8), "instructions per basic block"),
        ScenarioKey("cpu.bt.cache_blocks", .integer(1...10_000_000), default: .integer(4_096), "translation-cache capacity in blocks"),
        ScenarioKey("cpu.pv.batch", .integer(1...4_096), default: .integer(16), "page-table updates per batched hypercall"),
    ] + CPUCosts.keys + [
        ScenarioKey("cpu.clock_ghz", .real(0.1...10), default: .real(3.0), "CPU clock that turns cycles into time"),
        ScenarioKey("cpu.trace.counter_interval", .integer(1_000...1_000_000_000), default: .integer(65_536),
                    "instructions between two counter samples"),
    ]

    package init(_ s: Scenario) {
        profile = s.text("cpu.profile")
        strategy = Strategy(rawValue: s.text("cpu.strategy"))!
        guestRing = Int(s.int("cpu.guest_ring"))
        nestedPaging = s.text("cpu.nested_paging") == "yes"
        mix = Mix(rawValue: s.text("cpu.workload.mix"))!
        instructions = UInt64(s.int("cpu.workload.instructions"))
        userSensitiveRate = s.real("cpu.workload.user_sensitive_rate")
        kernelBlocks = Int(s.int("cpu.bt.kernel_blocks"))
        blockInstructions = Int(s.int("cpu.bt.block_instructions"))
        translationCacheBlocks = Int(s.int("cpu.bt.cache_blocks"))
        pvBatch = Int(s.int("cpu.pv.batch"))
        costs = CPUCosts(s)
        clockGHz = s.real("cpu.clock_ghz")
        counterInterval = UInt64(s.int("cpu.trace.counter_interval"))
    }

    /// The same run under another strategy (the native baseline).
    package func with(strategy: Strategy) -> CPUConfig {
        var c = self
        c.strategy = strategy
        return c
    }

    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? {
        let ring = s.int("cpu.guest_ring")
        if ring == 2 { return ("cpu.guest_ring", "must be 1 or 3: VMMs deprivilege the guest kernel to ring 1 or ring 3") }
        let p = s.text("cpu.profile")
        if !ShippedProfiles.names.contains(p) && !p.hasSuffix(".yaml") && !p.hasSuffix(".yml") {
            return ("cpu.profile", "must be one of \(ShippedProfiles.names.joined(separator: ", ")) or a .yaml profile file, got '\(p)'")
        }
        return nil
    }
}

/// Cycle costs of the CPU model; every one is a scenario key under `cpu.costs`.
package struct CPUCosts: Sendable, Equatable {
    package var instruction: UInt64
    package var privilegedNative: UInt64
    package var syscallNative: UInt64
    package var trap: UInt64
    package var emulate: UInt64
    package var translateBlock: UInt64
    package var callout: UInt64
    package var hypercall: UInt64
    package var vmExit: UInt64
    package var exitHandler: UInt64
    package var ringSwitch: UInt64
    package var pteWrite: UInt64
    package var shadowUpdate: UInt64

    static let keys: [ScenarioKey] = [
        ScenarioKey("cpu.costs.instruction_cycles", .integer(0...1_000), default: .integer(1), "an instruction run directly"),
        ScenarioKey("cpu.costs.privileged_native_cycles", .integer(0...100_000), default: .integer(30),
                    "a privileged instruction run natively (control-register and I/O work)"),
        ScenarioKey("cpu.costs.syscall_native_cycles", .integer(0...100_000), default: .integer(150), "a native system-call entry and return"),
        ScenarioKey("cpu.costs.trap_cycles", .integer(0...1_000_000), default: .integer(800),
                    "a deprivileged instruction trapping to the VMM and returning"),
        ScenarioKey("cpu.costs.emulate_cycles", .integer(0...1_000_000), default: .integer(400), "the VMM decoding and emulating one instruction"),
        ScenarioKey("cpu.costs.translate_block_cycles", .integer(0...10_000_000), default: .integer(3_000),
                    "translating one basic block into the translation cache"),
        ScenarioKey("cpu.costs.callout_cycles", .integer(0...1_000_000), default: .integer(150),
                    "translated code calling into the VMM for a sensitive instruction"),
        ScenarioKey("cpu.costs.hypercall_cycles", .integer(0...1_000_000), default: .integer(400), "a paravirtual hypercall"),
        ScenarioKey("cpu.costs.vm_exit_cycles", .integer(0...1_000_000), default: .integer(1_500), "a VM exit plus the entry back"),
        ScenarioKey("cpu.costs.exit_handler_cycles", .integer(0...1_000_000), default: .integer(500), "VMM work to handle one VM exit"),
        ScenarioKey("cpu.costs.ring_switch_cycles", .integer(0...1_000_000), default: .integer(1_000),
                    "switching address spaces on a kernel entry or exit when the guest kernel shares ring 3 with user code"),
        ScenarioKey("cpu.costs.pte_write_cycles", .integer(0...100_000), default: .integer(5), "a store into a guest page table"),
        ScenarioKey("cpu.costs.shadow_update_cycles", .integer(0...1_000_000), default: .integer(1_200),
                    "the VMM checking a guest page-table store and updating its shadow entry (shadow paging: no EPT)"),
    ]

    init(_ s: Scenario) {
        func c(_ k: String) -> UInt64 { UInt64(s.int("cpu.costs.\(k)_cycles")) }
        instruction = c("instruction")
        privilegedNative = c("privileged_native")
        syscallNative = c("syscall_native")
        trap = c("trap")
        emulate = c("emulate")
        translateBlock = c("translate_block")
        callout = c("callout")
        hypercall = c("hypercall")
        vmExit = c("vm_exit")
        exitHandler = c("exit_handler")
        ringSwitch = c("ring_switch")
        pteWrite = c("pte_write")
        shadowUpdate = c("shadow_update")
    }
}
