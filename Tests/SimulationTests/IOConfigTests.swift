import Testing
@testable import Simulation
import Vocabulary

/// The I/O model's rules across keys: what one passthrough device can and cannot do.
@Suite struct IOConfigTests {
    /// The preset with `changes`, checked across keys: the key a rule names, or nil.
    static func check(_ preset: PresetName, _ changes: [String: ScenarioValue]) throws -> (key: String, message: String)? {
        var s = try Preset.named(preset).scenario()
        for (k, v) in changes { s.values[k] = v }
        return IOConfig.crossCheck(s)
    }

    @Test func everyPresetIsConsistent() throws {
        for p in Preset.all where p.topic == .io { #expect(IOConfig.crossCheck(try p.scenario()) == nil, "\(p.name)") }
    }

    @Test func aPassthroughDeviceBelongsToOneVMAndPostsThroughTheAPIC() throws {
        let shared = try Self.check(.netNative, ["io.approach": .text("passthrough"), "io.vms": .integer(2)])
        #expect(shared?.key == "io.vms" && shared?.message.contains("assigned to one VM only") == true)
        #expect(try Self.check(.netNative, ["io.approach": .text("paravirtual"), "io.vms": .integer(4)]) == nil)
        let posted = try Self.check(.netNative, ["io.approach": .text("passthrough"), "io.vms": .integer(1), "io.passthrough.posted_interrupts": .text("yes"), "io.apic_virtualization": .text("no")])
        #expect(posted?.key == "io.passthrough.posted_interrupts")
    }
}
