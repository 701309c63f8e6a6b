import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct ProfileDecoderTests {
    static let head = "name: t\ndescription: x\ninstructions:\n"

    @Test(arguments: [
        ("  - mnemonic: A\n    privileged: true\n    sneaky: true\n", "instructions[0].sneaky", "unknown attribute", 6),
        ("  - mnemonic: A\n  - mnemonic: B\n  - mnemonic: A\n", "instructions[2].mnemonic", "already defined at line 4", 6),
        ("  - mnemonic: A\n    user_sensitive: true\n", "instructions[0]", "user_sensitive needs", 4),
        ("  - mnemonic: A\n    privileged: true\n    control_sensitive: true\n    unprivileged_effect: oops\n", "instructions[0]", "no unprivileged_effect", 4),
        ("  - mnemonic: A\n    behavior_sensitive: true\n", "instructions[0]", "say what goes wrong", 4),
        ("  - mnemonic: A\n    behavior_sensitive: true\n    guest_state: true\n", "instructions[0]", "give vm_exit too", 4),
        ("  - mnemonic: A\n    vm_exit: never\n    guest_state: true\n", "instructions[0]", "guest_state is for sensitive instructions", 4),
        ("  - mnemonic: A\n    privileged: true\n    vm_exit: conditional\n", "instructions[0]", "names its vmcs_control", 4),
        ("  - mnemonic: A\n    privileged: maybe\n", "instructions[0].privileged", "true or false", 5),
        ("  - mnemonic: A\n    class: gpu\n", "instructions[0].class", "one of compute", 5),
        ("  - mnemonic: A\n    privileged: true\n    vm_exit: always\n    exit_reason: teleport\n", "instructions[0].exit_reason", "must be one of trap", 7),
    ])
    func badProfilesNameTheProblemAndLine(_ body: String, _ key: String, _ words: String, _ line: Int) {
        do {
            _ = try ProfileDecoder.decode(text: Self.head + body, source: "p.yaml")
            Issue.record("accepted: \(body)")
        } catch let e as ScenarioError {
            expectEqual(e.keyPath, key, "\(e)")
            expectContains(e.description, words, "\(e)")
            expectEqual(e.line, line, "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func unknownTopLevelKeyAndMissingListAreErrors() {
        #expect(throws: ScenarioError.self) { try ProfileDecoder.decode(text: "name: t\ncolour: red\n", source: "p") }
        #expect(throws: ScenarioError.self) { try ProfileDecoder.decode(text: "name: t\n", source: "p") }
    }

    @Test(arguments: ShippedProfiles.names)
    func shippedProfilesDecode(_ name: String) throws {
        let isa = try #require(try ShippedProfiles.profile(name))
        expectEqual(isa.name, name)
        expectAtLeast(isa.instructions.count, 20)
    }
}
