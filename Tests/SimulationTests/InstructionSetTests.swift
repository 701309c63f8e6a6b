import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct PopekGoldbergVerdictTests {
    static let robinIrvine = ["CALL far", "INT n", "JMP far", "LAR", "LSL", "MOV seg", "POP seg", "POPF", "PUSH seg", "PUSHF",
                              "RET far", "SGDT", "SIDT", "SLDT", "SMSW", "STR", "VERR", "VERW"]

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
            expectEqual(four.sorted(), isa.instructions.map(\.mnemonic).sorted(), "\(name)")
        }
        let legacy = VirtualizabilityReport(try ShippedProfiles.profile("x86-legacy")!)
        expectContains(legacy.region("privileged_and_sensitive"), "MOV CR3")
        expectContains(legacy.region("safe"), "ADD")
        expectContains(legacy.region("behavior_sensitive_only"), "SGDT")
        expectContains(legacy.region("control_and_behavior_sensitive"), "POPF")
        let pg = VirtualizabilityReport(try ShippedProfiles.profile("pg-ideal")!)
        expectEqual(pg.region("privileged_not_sensitive"), ["DIAG"])
        // Under VT-x SGDT is what it is everywhere — sensitive, not privileged — and VMX non-root
        // operation runs it on the guest's own GDTR.
        let vtx = VirtualizabilityReport(try ShippedProfiles.profile("x86-vtx")!)
        expectContains(vtx.region("sensitive_not_privileged"), "SGDT")
        expectContains(vtx.region("sensitive_handled_by_vmx"), "SGDT")
        #expect(vtx.vmx)
        #expect(!legacy.vmx)
    }

    /// Under VT-x the theorems compare the sensitive instructions with what VMX non-root
    /// operation catches: take away POPF's guest state and it is a counterexample again.
    @Test func vmxTheoremsCompareWithWhatVTxCatches() throws {
        var isa = try ShippedProfiles.profile("x86-vtx")!
        #expect(VirtualizabilityReport(isa).region("sensitive_unhandled_by_vmx").isEmpty)
        let i = isa.instructions.firstIndex { $0.mnemonic == "POPF" }!
        isa.instructions[i].guestState = false
        let r = VirtualizabilityReport(isa)
        #expect(!r.theorem1.holds)
        expectEqual(r.theorem1.counterexamples, ["POPF"])
        expectEqual(r.region("sensitive_unhandled_by_vmx"), ["POPF"])
    }

    @Test func timingDependenciesBreakTheorem2Only() throws {
        var isa = try ShippedProfiles.profile("pg-ideal")!
        isa.timingDependencies = true
        let r = VirtualizabilityReport(isa)
        #expect(r.theorem1.holds)
        #expect(!r.theorem2.holds)
    }
}
