import Testing
import TestKit
@testable import Simulation
import Vocabulary

/// What each strategy does with each instruction of a profile — the decision table under every
/// CPU run — checked against Popek and Goldberg's classes for every instruction, not a sample.
struct CPUMachineTests {
    static func machine(_ strategy: CPUConfig.Strategy, profile: String = "x86-legacy", nested: Bool = false) throws -> CPUMachine {
        var s = try Preset.named(.x86SyscallHeavyNative).scenario()
        s.values["cpu.strategy"] = .text(strategy.rawValue)
        s.values["cpu.profile"] = .text(profile)
        var c = CPUConfig(s)
        c.nestedPaging = nested
        return CPUMachine(config: c, isa: try #require(try ShippedProfiles.profile(profile)), writer: nil)
    }

    @Test(arguments: CPUConfig.Strategy.allCases)
    func everyInstructionGetsTheOutcomeItsClassCalls(strategy: CPUConfig.Strategy) throws {
        let m = try Self.machine(strategy)
        for i in m.isa.instructions {
            for kernel in [true, false] {
                let a = m.action(i, kernel: kernel, nativeCost: m.nativeCost(i))
                expectAtMost(a.vmm, a.cost, "\(i.mnemonic): the VMM's part of the cost is part of it")
                #expect((a.reason != nil) == [.emulated, .vmExit].contains(a.outcome) || a.outcome == .hypercall,
                        "\(i.mnemonic) \(strategy): an exit reason exactly when the VMM is entered")
                if i.kind == .syscall { continue }
                if i.safe || strategy == .native {
                    expectEqual(a.outcome, .direct, "\(i.mnemonic) \(strategy)")
                    expectEqual(a.cost, m.nativeCost(i), "\(i.mnemonic) \(strategy)")
                    expectEqual(a.vmm, 0, "\(i.mnemonic) \(strategy)")
                    continue
                }
                switch strategy {
                case .native: break
                case .trapAndEmulate:
                    // Theorem 1's premise: only privileged instructions reach the VMM; the others run wrong.
                    expectEqual(a.outcome, i.privileged ? .emulated : .violation, "\(i.mnemonic)")
                case .binaryTranslation:
                    expectEqual(a.outcome, kernel ? .translated : i.privileged ? .emulated : .violation, "\(i.mnemonic)")
                case .hybrid:
                    expectEqual(a.outcome, i.privileged ? .emulated : kernel ? .translated : .violation, "\(i.mnemonic)")
                case .paravirtual:
                    if !kernel { expectEqual(a.outcome, i.privileged ? .emulated : .violation, "\(i.mnemonic)") }
                    else { expectEqual(a.outcome, i.privileged && i.kind != .interrupt ? .hypercall : .direct, "\(i.mnemonic)") }
                case .hardwareAssisted:
                    #expect(a.outcome == .vmExit || a.outcome == .direct, "\(i.mnemonic): hardware assist never translates or violates")
                }
            }
        }
    }

    /// With VT-x, no sensitive instruction runs wrong in the kernel: each exits or runs on the
    /// guest's own state — the hardware keeps equivalence, whatever the profile says of traps.
    @Test func vtxKeepsEveryKernelInstructionCorrect() throws {
        let m = try Self.machine(.hardwareAssisted, profile: "x86-vtx")
        for i in m.isa.instructions where i.sensitive && i.kind != .syscall {
            let a = m.action(i, kernel: true, nativeCost: m.nativeCost(i))
            #expect(a.outcome == .vmExit || i.guestState, "\(i.mnemonic) runs directly on state that is not the guest's")
        }
    }

    /// A guest page-table store under shadow paging: every strategy that learns of it pays the
    /// shadow update; native, paravirtual (batched) and EPT do not.
    @Test(arguments: CPUConfig.Strategy.allCases)
    func pageTableStoresPayTheShadowUpdateUnlessNothingIsShadowed(strategy: CPUConfig.Strategy) throws {
        for nested in [false, true] {
            let m = try Self.machine(strategy, nested: nested)
            let a = m.pteWriteAction()
            let shadowed = ![.native, .paravirtual].contains(strategy) && !(strategy == .hardwareAssisted && nested)
            expectEqual(a.vmm >= m.k.shadowUpdate && a.vmm > 0, shadowed, "\(strategy) nested \(nested): \(a)")
            if !shadowed { expectEqual(a.cost, m.k.pteWrite) }
        }
    }
}
