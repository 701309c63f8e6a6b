import Foundation
import Testing
@testable import Simulation
@testable import TraceFormat

@Suite struct PopekGoldbergVerdictTests {
    static let robinIrvine = ["CALL far", "INT n", "JMP far", "LAR", "LSL", "MOV seg", "POP seg", "POPF", "PUSH seg", "PUSHF",
                              "RET far", "SGDT", "SIDT", "SLDT", "SMSW", "STR", "VERR", "VERW"]

    @Test func x86LegacyFailsTheorem1WithExactlyTheRobinIrvineSet() throws {
        let r = VirtualizabilityReport(try ShippedProfiles.profile("x86-legacy")!)
        #expect(!r.theorem1.holds)
        #expect(r.theorem1.counterexamples == Self.robinIrvine.sorted())
        #expect(!r.theorem2.holds)
        #expect(!r.theorem3.holds)
        #expect(r.theorem3.counterexamples.contains("SGDT"))
        #expect(!r.theorem3.counterexamples.contains("POPF"))
    }

    @Test(arguments: ["x86-vtx", "pg-ideal"])
    func theoremsHold(_ name: String) throws {
        let r = VirtualizabilityReport(try ShippedProfiles.profile(name)!)
        #expect(r.theorem1.holds)
        #expect(r.theorem1.counterexamples.isEmpty)
        #expect(r.theorem2.holds)
        #expect(r.theorem3.holds)
    }

    @Test func regionsPartitionTheInstructions() throws {
        for name in ShippedProfiles.names {
            let isa = try ShippedProfiles.profile(name)!
            let r = VirtualizabilityReport(isa)
            let four = ["privileged_and_sensitive", "sensitive_not_privileged", "privileged_not_sensitive", "safe"].flatMap { r.region($0) }
            #expect(four.sorted() == isa.instructions.map(\.mnemonic).sorted(), "\(name)")
        }
        let legacy = VirtualizabilityReport(try ShippedProfiles.profile("x86-legacy")!)
        #expect(legacy.region("privileged_and_sensitive").contains("MOV CR3"))
        #expect(legacy.region("safe").contains("ADD"))
        #expect(legacy.region("behavior_sensitive_only").contains("SGDT"))
        #expect(legacy.region("control_and_behavior_sensitive").contains("POPF"))
        let pg = VirtualizabilityReport(try ShippedProfiles.profile("pg-ideal")!)
        #expect(pg.region("privileged_not_sensitive") == ["DIAG"])
        // Under VT-x SGDT is what it is everywhere — sensitive, not privileged — and VMX non-root
        // operation runs it on the guest's own GDTR.
        let vtx = VirtualizabilityReport(try ShippedProfiles.profile("x86-vtx")!)
        #expect(vtx.region("sensitive_not_privileged").contains("SGDT") && vtx.region("sensitive_handled_by_vmx").contains("SGDT"))
        #expect(vtx.vmx && !legacy.vmx)
    }

    /// "privileged" means one thing (traps in user mode) and "sensitive" one thing in every
    /// profile of the same instructions: VT-x changes what catches them, not what they are.
    @Test func privilegedAndSensitiveMeanTheSameInEveryProfile() throws {
        let legacy = try ShippedProfiles.profile("x86-legacy")!
        for name in ["x86-vtx", "x86-umip"] {
            let other = try ShippedProfiles.profile(name)!
            #expect(other.instructions.map(\.mnemonic).sorted() == legacy.instructions.map(\.mnemonic).sorted())
            for i in other.instructions {
                let l = legacy.instruction(i.mnemonic)!
                #expect(i.controlSensitive == l.controlSensitive && i.behaviorSensitive == l.behaviorSensitive && i.userSensitive == l.userSensitive,
                        "\(name) \(i.mnemonic)")
                let umipFaults = name == "x86-umip" && ["SGDT", "SIDT", "SLDT", "SMSW", "STR"].contains(i.mnemonic)
                #expect(i.privileged == (l.privileged || umipFaults), "\(name) \(i.mnemonic): privileged")
            }
        }
    }

    /// UMIP makes the five descriptor reads fault in user mode: theorem 3's counterexamples
    /// shrink to LAR, LSL, VERR and VERW; theorem 1 still fails on POPF and the segment moves.
    /// A profile on a shipped base lists only what differs: x86-umip is x86-legacy with five
    /// instructions replaced; a base that is not shipped is refused with its line.
    @Test func aProfileOnABaseReplacesOnlyWhatItLists() throws {
        let umip = try ShippedProfiles.profile("x86-umip")!, legacy = try ShippedProfiles.profile("x86-legacy")!
        #expect(umip.instructions.map(\.mnemonic) == legacy.instructions.map(\.mnemonic))
        #expect(umip.instructions.filter { $0 != legacy.instruction($0.mnemonic)! }.map(\.mnemonic).sorted() == ["SGDT", "SIDT", "SLDT", "SMSW", "STR"])
        do {
            _ = try ProfileDecoder.decode(text: "name: t\ndescription: x\nbase: x86-future\ninstructions:\n  - mnemonic: A\n", source: "p.yaml")
            Issue.record("an unknown base was accepted")
        } catch let e as ScenarioError {
            #expect(e.keyPath == "base" && e.line == 3 && e.description.contains("must name a shipped profile: x86-legacy"))
        }
    }

    @Test func umipAnswersTheRedPillButNotPOPF() throws {
        let r = VirtualizabilityReport(try ShippedProfiles.profile("x86-umip")!)
        #expect(r.theorem3.counterexamples == ["LAR", "LSL", "VERR", "VERW"])
        #expect(!r.theorem1.holds && r.theorem1.counterexamples.contains("POPF") && !r.theorem1.counterexamples.contains("SGDT"))
    }

    /// Under VT-x the theorems compare the sensitive instructions with what VMX non-root
    /// operation catches: take away POPF's guest state and it is a counterexample again.
    @Test func vmxTheoremsCompareWithWhatVTxCatches() throws {
        var isa = try ShippedProfiles.profile("x86-vtx")!
        #expect(VirtualizabilityReport(isa).region("sensitive_unhandled_by_vmx").isEmpty)
        let i = isa.instructions.firstIndex { $0.mnemonic == "POPF" }!
        isa.instructions[i].guestState = false
        let r = VirtualizabilityReport(isa)
        #expect(!r.theorem1.holds && r.theorem1.counterexamples == ["POPF"] && r.region("sensitive_unhandled_by_vmx") == ["POPF"])
    }

    @Test func timingDependenciesBreakTheorem2Only() throws {
        var isa = try ShippedProfiles.profile("pg-ideal")!
        isa.timingDependencies = true
        let r = VirtualizabilityReport(isa)
        #expect(r.theorem1.holds)
        #expect(!r.theorem2.holds)
    }
}
