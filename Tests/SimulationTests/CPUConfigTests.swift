import Testing
@testable import Simulation
import Vocabulary

/// The CPU model's rules across keys: the ring a guest kernel can be moved to, and the profiles there are.
@Suite struct CPUConfigTests {
    /// The preset with `changes`, checked across keys: the key a rule names, or nil.
    static func check(_ preset: PresetName, _ changes: [String: ScenarioValue]) throws -> (key: String, message: String)? {
        var s = try Preset.named(preset).scenario()
        for (k, v) in changes { s.values[k] = v }
        return CPUConfig.crossCheck(s)
    }

    @Test func everyPresetIsConsistent() throws {
        for p in Preset.all where p.topic == .cpu { #expect(CPUConfig.crossCheck(try p.scenario()) == nil, "\(p.name)") }
    }

    @Test func theGuestRingAndTheProfileAreChecked() throws {
        #expect(try Self.check(.x86SyscallHeavyNative, ["cpu.guest_ring": .integer(2)])?.key == "cpu.guest_ring")
        for ring: Int64 in [1, 3] { #expect(try Self.check(.x86SyscallHeavyNative, ["cpu.guest_ring": .integer(ring)]) == nil) }
        let profile = try Self.check(.x86SyscallHeavyNative, ["cpu.profile": .text("x86-future")])
        #expect(profile?.key == "cpu.profile" && profile?.message.contains("x86-legacy") == true)
        #expect(try Self.check(.x86SyscallHeavyNative, ["cpu.profile": .text("mine.yaml")]) == nil, "a file is checked when it is read")
    }
}
