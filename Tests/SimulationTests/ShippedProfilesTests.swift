import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

/// The instruction-set profiles VirtLab ships, as data: each parses, each says what its source says.
struct ShippedProfilesTests {
    @Test func everyNameIsAProfileAndNoOtherIs() throws {
        for name in ShippedProfiles.names {
            let isa = try #require(try ShippedProfiles.profile(name), "\(name)")
            expectEqual(isa.name, name)
            #expect(!isa.instructions.isEmpty)
            expectEqual(Set(isa.instructions.map(\.mnemonic)).count, isa.instructions.count, "\(name): a mnemonic listed twice")
        }
        try expectEqual(ShippedProfiles.profile("x86-future"), nil)
    }

    @Test func x86LegacyFailsTheorem1WithExactlyTheRobinIrvineSet() throws {
        let r = VirtualizabilityReport(try ShippedProfiles.profile("x86-legacy")!)
        #expect(!r.theorem1.holds)
        expectEqual(r.theorem1.counterexamples, PopekGoldbergVerdictTests.robinIrvine.sorted())
        #expect(!r.theorem2.holds)
        #expect(!r.theorem3.holds)
        expectContains(r.theorem3.counterexamples, "SGDT")
        expectLacks(r.theorem3.counterexamples, "POPF")
    }

    /// "privileged" means one thing (traps in user mode) and "sensitive" one thing in every
    /// profile of the same instructions: VT-x changes what catches them, not what they are.
    @Test func privilegedAndSensitiveMeanTheSameInEveryProfile() throws {
        let legacy = try ShippedProfiles.profile("x86-legacy")!
        for name in ["x86-vtx", "x86-umip"] {
            let other = try ShippedProfiles.profile(name)!
            expectEqual(other.instructions.map(\.mnemonic).sorted(), legacy.instructions.map(\.mnemonic).sorted())
            for i in other.instructions {
                let l = legacy.instruction(i.mnemonic)!
                expectEqual(i.controlSensitive, l.controlSensitive, "\(name) \(i.mnemonic)")
                expectEqual(i.behaviorSensitive, l.behaviorSensitive, "\(name) \(i.mnemonic)")
                expectEqual(i.userSensitive, l.userSensitive, "\(name) \(i.mnemonic)")
                let umipFaults = name == "x86-umip" && ["SGDT", "SIDT", "SLDT", "SMSW", "STR"].contains(i.mnemonic)
                expectEqual(i.privileged, l.privileged || umipFaults, "\(name) \(i.mnemonic): privileged")
            }
        }
    }

    /// UMIP makes the five descriptor reads fault in user mode: theorem 3's counterexamples
    /// shrink to LAR, LSL, VERR and VERW; theorem 1 still fails on POPF and the segment moves.
    /// A profile on a shipped base lists only what differs: x86-umip is x86-legacy with five
    /// instructions replaced; a base that is not shipped is refused with its line.
    @Test func aProfileOnABaseReplacesOnlyWhatItLists() throws {
        let umip = try ShippedProfiles.profile("x86-umip")!, legacy = try ShippedProfiles.profile("x86-legacy")!
        expectEqual(umip.instructions.map(\.mnemonic), legacy.instructions.map(\.mnemonic))
        expectEqual(umip.instructions.filter { $0 != legacy.instruction($0.mnemonic)! }.map(\.mnemonic).sorted(), ["SGDT", "SIDT", "SLDT", "SMSW", "STR"])
        do {
            _ = try ProfileDecoder.decode(text: "name: t\ndescription: x\nbase: x86-future\ninstructions:\n  - mnemonic: A\n", source: "p.yaml")
            Issue.record("an unknown base was accepted")
        } catch let e as ScenarioError {
            expectEqual(e.keyPath, "base")
            expectEqual(e.line, 3)
            expectContains(e.description, "must name a shipped profile: x86-legacy")
        }
    }

    @Test func umipAnswersTheRedPillButNotPOPF() throws {
        let r = VirtualizabilityReport(try ShippedProfiles.profile("x86-umip")!)
        expectEqual(r.theorem3.counterexamples, ["LAR", "LSL", "VERR", "VERW"])
        #expect(!r.theorem1.holds)
        expectContains(r.theorem1.counterexamples, "POPF")
        expectLacks(r.theorem1.counterexamples, "SGDT")
    }
}
