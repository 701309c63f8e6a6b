#if canImport(Glibc)
import Glibc
#endif
import TraceFormat
import Vocabulary

/// One guest running its instruction stream under one strategy.
///
/// The stream alternates user compute with system calls into kernel code built from basic
/// blocks; a mix sets how often kernel code uses which sensitive instructions. What happens
/// to each instruction (direct, emulated, translated, hypercall, VM exit, violation) and what
/// it costs is precomputed per instruction from the profile and the strategy.
struct CPUMachine {
    let c: CPUConfig
    let k: CPUCosts
    let isa: InstructionSet
    let writer: TraceWriter?
    let clock: CycleClock
    var totals: CPUTotals

    /// What the VMM does with one instruction in one mode, and what it costs.
    struct Action {
        var outcome: CPUEvents.Outcome
        var cost: UInt64
        /// The part of `cost` spent in the VMM.
        var vmm: UInt64
        /// The exit reason of an emulated, hypercall or VM-exit outcome, else nil.
        var reason: CPUEvents.ExitReason?
    }

    var kernelActions: [Action] = []
    var userActions: [Action] = []
    var pteAction = Action(outcome: .direct, cost: 0, vmm: 0, reason: nil)
    let pteIndex: Int
    let syscall: Int?
    let userSensitive: [Int]
    /// Sensitive work of the mix: cumulative weights and, per class, the instructions to draw from (-1: a PTE write).
    var classes: [(cumulative: Double, pool: [Int])] = []
    let shape: MixShape
    // Binary translation
    var translated: [Bool]
    var fifo: [Int32] = []
    var fifoHead = 0
    var pvPending = 0
    var nextCounter: UInt64

    /// The kernel-work profile of a workload mix.
    struct MixShape {
        var userMean: Double
        var kernelMean: Double
        var sensitiveShare: Double
        var weights: [(Instruction.Kind?, Double)]
    }

    static func shape(_ mix: CPUConfig.Mix) -> MixShape {
        switch mix {
        case .compute:
            MixShape(userMean: 20_000, kernelMean: 200, sensitiveShare: 0.02,
                     weights: [(.interrupt, 2), (.segment, 1), (.system, 0.2)])
        case .syscallHeavy:
            // A 32-bit system-call path: segment loads and flag saves around the handler, an
            // interrupt-flag toggle or two; rarely anything that touches devices or control registers.
            MixShape(userMean: 300, kernelMean: 500, sensitiveShare: 0.02,
                     weights: [(.segment, 3), (.interrupt, 3), (.descriptor, 0.2)])
        case .interruptToggling:
            MixShape(userMean: 1_000, kernelMean: 600, sensitiveShare: 0.15,
                     weights: [(.interrupt, 6), (.segment, 1), (.system, 0.2)])
        case .pagetableHeavy:
            // fork/exec-like kernel work: page-table stores, CR3 loads, INVLPG. The density is
            // calibrated with `shadow_update_cycles` so that, at a first-generation exit cost, the
            // three runs stand as in Adams and Agesen's forkwait (docs/models.md).
            MixShape(userMean: 1_000, kernelMean: 1_000, sensitiveShare: 0.011,
                     weights: [(nil, 4), (.pagetable, 1), (.interrupt, 2), (.segment, 1)])
        }
    }

    init(config: CPUConfig, isa: InstructionSet, writer: TraceWriter?) {
        c = config
        k = config.costs
        self.isa = isa
        self.writer = writer
        clock = CycleClock(ghz: config.clockGHz)
        totals = CPUTotals(instructions: isa.instructions.count)
        pteIndex = 3 * isa.instructions.count
        syscall = isa.instructions.firstIndex { $0.kind == .syscall }
        userSensitive = isa.instructions.indices.filter { isa.instructions[$0].userSensitive }
        shape = Self.shape(config.mix)
        translated = [Bool](repeating: false, count: config.kernelBlocks)
        nextCounter = config.counterInterval
        var total = 0.0
        for (kind, weight) in shape.weights {
            let pool: [Int]
            if let kind {
                pool = isa.instructions.indices.filter {
                    isa.instructions[$0].kind == kind && (isa.instructions[$0].privileged || isa.instructions[$0].sensitive)
                }
            } else {
                pool = [-1]
            }
            guard !pool.isEmpty else { continue }
            total += weight
            classes.append((total, pool))
        }
        classes = classes.map { ($0.cumulative / max(total, 1e-9), $0.pool) }
        // Hardware assist on a profile that does not describe VMX borrows VT-x's exit behaviour
        // for the same mnemonics (x86-legacy under VT-x is x86-vtx).
        var vmx: [String: Instruction] = [:]
        if config.strategy == .hardwareAssisted, !isa.describesVMX, let vtx = try? ShippedProfiles.profile("x86-vtx") {
            for i in vtx.instructions { vmx[i.mnemonic] = i }
        }
        kernelActions = isa.instructions.map { action(vmx[$0.mnemonic] ?? $0, kernel: true, nativeCost: nativeCost($0)) }
        userActions = isa.instructions.map { action(vmx[$0.mnemonic] ?? $0, kernel: false, nativeCost: nativeCost($0)) }
        pteAction = pteWriteAction()
    }

    /// What an instruction costs on bare metal.
    func nativeCost(_ i: Instruction) -> UInt64 {
        i.kind == .syscall ? k.syscallNative : i.privileged ? k.privilegedNative : k.instruction
    }

    /// What the strategy does with an instruction; an instruction that runs directly costs what it does natively.
    func action(_ i: Instruction, kernel: Bool, nativeCost: UInt64) -> Action {
        let direct = Action(outcome: .direct, cost: nativeCost, vmm: 0, reason: nil)
        let trap = Action(outcome: .emulated, cost: k.trap + k.emulate, vmm: k.trap + k.emulate, reason: .trap)
        let exit = Action(outcome: .vmExit, cost: k.vmExit + k.exitHandler, vmm: k.vmExit + k.exitHandler,
                          reason: i.exitReason.flatMap(CPUEvents.ExitReason.init(traceName:)) ?? .other)
        let violation = Action(outcome: .violation, cost: k.instruction, vmm: 0, reason: nil)
        if i.kind == .syscall {
            switch c.strategy {
            case .native, .hardwareAssisted, .paravirtual: return direct // PV: a direct fast trap into the guest kernel
            case .trapAndEmulate, .binaryTranslation, .hybrid: return trap // the VMM reflects it into the guest kernel
            }
        }
        if i.safe { return direct }
        switch c.strategy {
        case .native:
            return direct
        case .hardwareAssisted:
            // The VMM enables only the exits it needs: unconditional ones, and conditional ones
            // for instructions that touch real resources.
            let exits: Bool
            // An instruction that runs on the guest's own copy of its state needs no exit.
            if let e = i.vmExit { exits = e == .always || (e == .conditional && i.sensitive && !i.guestState) } else { exits = i.privileged && i.sensitive }
            if exits && c.nestedPaging && i.kind == .pagetable { return direct } // EPT: CR3 loads and INVLPG need no exit
            return exits ? exit : direct
        case .trapAndEmulate:
            return i.privileged ? trap : violation
        case .binaryTranslation:
            if !kernel { return i.privileged ? trap : violation } // user code runs untranslated
            return Action(outcome: .translated, cost: k.callout, vmm: k.callout, reason: nil)
        case .hybrid:
            if i.privileged { return trap }
            if !kernel { return violation }
            return Action(outcome: .translated, cost: k.callout, vmm: k.callout, reason: nil)
        case .paravirtual:
            if !kernel { return i.privileged ? trap : violation } // user code is unmodified
            // The modified kernel keeps a virtual interrupt flag in memory shared with the VMM
            // and has its sensitive-but-unprivileged code rewritten; only privileged work is a hypercall.
            if i.kind == .interrupt || !i.privileged { return direct }
            return Action(outcome: .hypercall, cost: k.hypercall, vmm: k.hypercall, reason: .hypercall)
        }
    }

    /// A store to a page table the VMM traces (shadow paging): by strategy. However the VMM
    /// learns of the store (a trap, a translated call-out, a VM exit), it then checks the new
    /// entry and updates the shadow entry (`shadow_update_cycles`) — the work that binary
    /// translation makes cheaper to reach but cannot avoid (Adams and Agesen, ASPLOS 2006).
    func pteWriteAction() -> Action {
        let pageFault = CPUEvents.ExitReason.pageFault
        let s = k.shadowUpdate
        switch c.strategy {
        case .native: return Action(outcome: .direct, cost: k.pteWrite, vmm: 0, reason: nil)
        case .trapAndEmulate, .hybrid:
            return Action(outcome: .emulated, cost: k.trap + k.emulate + s, vmm: k.trap + k.emulate + s, reason: pageFault)
        case .binaryTranslation: return Action(outcome: .translated, cost: k.callout + s, vmm: k.callout + s, reason: nil)
        case .paravirtual: return Action(outcome: .hypercall, cost: k.pteWrite, vmm: 0, reason: nil) // queued; batches flush below
        case .hardwareAssisted:
            return c.nestedPaging ? Action(outcome: .direct, cost: k.pteWrite, vmm: 0, reason: nil)
                : Action(outcome: .vmExit, cost: k.vmExit + k.exitHandler + s, vmm: k.vmExit + k.exitHandler + s, reason: pageFault)
        }
    }

    /// Deprivileged kernels that share ring 3 with user code switch address spaces on every entry and exit.
    var ringSwitch: UInt64 {
        c.guestRing == 3 && [.trapAndEmulate, .binaryTranslation, .hybrid, .paravirtual].contains(c.strategy) ? k.ringSwitch : 0
    }

    mutating func run(seed: UInt64, progress: RunProgress) throws {
        var rng = SplitMix64.derived(seed: seed, stream: 3)
        var zipf = ZipfSampler(count: c.kernelBlocks, exponent: 1.0)
        let total = c.instructions
        let sensitiveThreshold = UInt64(shape.sensitiveShare * 0x1p64)
        let probeThreshold = c.userSensitiveRate <= 0 ? 0 : UInt64(min(c.userSensitiveRate, 0.999) * 0x1p64)
        var nextProgress: UInt64 = 1 << 20
        // A sample at the start, so the counter lanes begin with the run.
        try writeCounters()
        while totals.instructions < total {
            // User compute, with optional user-sensitive probes.
            let user = min(geometric(shape.userMean, &rng), total - totals.instructions)
            if probeThreshold == 0 || userSensitive.isEmpty {
                safe(user)
            } else {
                for _ in 0..<user {
                    if rng.next() < probeThreshold {
                        try execute(userSensitive[Int(rng.below(UInt64(userSensitive.count)))], kernel: false)
                    } else {
                        safe(1)
                    }
                }
            }
            if totals.instructions >= total { break }
            // System call into the kernel.
            totals.syscalls &+= 1
            charge(ringSwitch, vmm: 0)
            if let s = syscall { try execute(s, kernel: false) }
            var remaining = min(geometric(shape.kernelMean, &rng), total - totals.instructions)
            var block = zipf.sample(&rng) - 1
            while remaining > 0 {
                let n = min(remaining, UInt64(c.blockInstructions))
                if c.strategy == .binaryTranslation { try enterBlock(block) }
                for _ in 0..<n {
                    if rng.next() < sensitiveThreshold, !classes.isEmpty {
                        let u = rng.unit()
                        let pool = classes.first { u < $0.cumulative }?.pool ?? classes[classes.count - 1].pool
                        let pick = pool[Int(rng.below(UInt64(pool.count)))]
                        if pick < 0 { try pteWrite(block) } else { try execute(pick, kernel: true, block: block) }
                    } else {
                        safe(1)
                    }
                }
                remaining -= n
                block = (block + 1) % c.kernelBlocks
            }
            charge(ringSwitch, vmm: 0)
            if totals.instructions >= nextCounter { try writeCounters() }
            if totals.instructions >= nextProgress {
                progress.update(totals.instructions, of: total)
                if let failure = writer?.failure { throw failure } // a failed trace write stops the run
                nextProgress += 1 << 20
            }
        }
        if c.strategy == .paravirtual && pvPending > 0 { try flushBatch() }
        try writeCounters()
        progress.update(total, of: total)
    }

    /// A geometric length with the given mean (at least 1).
    func geometric(_ mean: Double, _ rng: inout SplitMix64) -> UInt64 {
        let u = max(rng.unit(), 1e-12)
        return UInt64(max(1, (-log(u) * mean).rounded()))
    }

    /// `n` safe instructions run directly.
    @inline(__always)
    mutating func safe(_ n: UInt64) {
        totals.instructions &+= n
        totals.direct &+= n
        totals.cycles &+= n &* k.instruction
        totals.outcomes[0] &+= n
    }

    @inline(__always)
    mutating func charge(_ cycles: UInt64, vmm: UInt64) {
        totals.cycles &+= cycles
        totals.vmmCycles &+= vmm
    }

    /// Counts and charges one instruction's action; returns true when the VMM was not involved.
    mutating func apply(_ a: Action, block: Int) throws -> Bool {
        totals.instructions &+= 1
        totals.outcomes[a.outcome.rawValue] &+= 1
        charge(a.cost, vmm: a.vmm)
        if a.outcome == .direct {
            totals.direct &+= 1
            return true
        }
        // Hybrid translates a block only when it meets a sensitive instruction that does not trap.
        if a.outcome == .translated, c.strategy == .hybrid { try enterBlock(block) }
        return false
    }

    /// One non-safe instruction.
    mutating func execute(_ index: Int, kernel: Bool, block: Int = 0) throws {
        let a = kernel ? kernelActions[index] : userActions[index]
        if try apply(a, block: block) { return }
        if a.outcome == .violation {
            totals.violations &+= 1
            totals.violationsByInstruction[index] &+= 1
            if let w = writer {
                let n = UInt64(isa.instructions.count), i = UInt64(index)
                try w.append(CPUEvents.violation, at: now, i, n + i, 2 * n + i, kernel ? 0 : 1)
            }
        } else {
            totals.vmmByInstruction[index] &+= 1
        }
        try record(index: UInt64(index), kernel: kernel, a)
    }

    /// A store to a traced guest page table.
    mutating func pteWrite(_ block: Int) throws {
        let a = pteAction
        if try apply(a, block: block) { return }
        try record(index: UInt64(pteIndex), kernel: true, a)
        if c.strategy == .paravirtual {
            pvPending += 1
            if pvPending == c.pvBatch { try flushBatch() }
        }
    }

    /// One hypercall that applies the queued page-table updates (mmu_update style).
    mutating func flushBatch() throws {
        pvPending = 0
        totals.batchedHypercalls &+= 1
        charge(k.hypercall, vmm: k.hypercall)
        totals.exits[CPUEvents.ExitReason.hypercall.rawValue] &+= 1
        if let w = writer {
            try VMExitEvent.append(w, id: CPUEvents.vmExit, at: now, reason: CPUEvents.ExitReason.hypercall, duration: clock.nanoseconds(k.hypercall), vcpu: 0)
        }
    }

    /// Trace records for a VMM-mediated instruction: the trap, and the exit interval when there is one.
    mutating func record(index: UInt64, kernel: Bool, _ a: Action) throws {
        if let r = a.reason { totals.exits[r.rawValue] &+= 1 }
        guard let w = writer else { return }
        let t = now
        try w.append(CPUEvents.instructionTrap, at: t, index, kernel ? 0 : 1, UInt64(a.outcome.rawValue - 1))
        if let r = a.reason {
            try VMExitEvent.append(w, id: CPUEvents.vmExit, at: t, reason: r, duration: clock.nanoseconds(a.cost), vcpu: 0)
        }
    }

    /// Binary translation: the first execution of a kernel block translates it into the
    /// translation cache (FIFO eviction when full).
    mutating func enterBlock(_ block: Int) throws {
        guard !translated[block] else { return }
        var evicted = false
        if fifo.count - fifoHead >= c.translationCacheBlocks {
            translated[Int(fifo[fifoHead])] = false
            fifoHead += 1
            totals.evictions &+= 1
            evicted = true
            if fifoHead > 4_096 { fifo.removeFirst(fifoHead); fifoHead = 0 }
        }
        translated[block] = true
        fifo.append(Int32(block))
        totals.translations &+= 1
        charge(k.translateBlock, vmm: k.translateBlock)
        if let w = writer {
            try w.append(CPUEvents.translation, at: now, UInt64(block), UInt64(c.blockInstructions), evicted ? 1 : 0)
        }
    }

    var now: UInt64 { clock.nanoseconds(totals.cycles) }

    mutating func writeCounters() throws {
        while nextCounter <= totals.instructions { nextCounter &+= c.counterInterval }
        guard let w = writer else { return }
        let t = totals
        try w.append(CPUEvents.counters, at: now, t.instructions, t.direct, t.vmmEntries &+ t.batchedHypercalls, t.violations, t.translations)
    }
}
