import Testing
@testable import Simulation
import Vocabulary

/// Migration's rules across keys, each naming the key to change.
@Suite struct MigrationConfigTests {
    /// The preset with `changes`, checked across keys: the key a rule names, or nil.
    static func check(_ preset: PresetName, _ changes: [String: ScenarioValue]) throws -> (key: String, message: String)? {
        var s = try Preset.named(preset).scenario()
        for (k, v) in changes { s.values[k] = v }
        return MigrationConfig.crossCheck(s)
    }

    @Test func everyPresetIsConsistent() throws {
        for p in Preset.all where p.topic == .migration { #expect(MigrationConfig.crossCheck(try p.scenario()) == nil, "\(p.name)") }
    }

    @Test func rulesAcrossKeysNameTheKeyToChange() throws {
        let zero = try Self.check(.precopyModerate, ["migration.vm.zero_fraction": .real(0.6), "migration.vm.text_fraction": .real(0.5)])
        #expect(zero?.key == "migration.vm.text_fraction")
        #expect(try Self.check(.precopyModerate, ["migration.vm.zero_fraction": .real(0.5), "migration.vm.text_fraction": .real(0.5)]) == nil, "exactly 1 is allowed")
        // 64 MiB is 16,384 pages: a hot set of 16,384 fits, one more does not.
        #expect(try Self.check(.precopyModerate, ["migration.vm.memory_mib": .integer(64), "migration.workload.hot_pages": .integer(16_384)]) == nil)
        #expect(try Self.check(.precopyModerate, ["migration.vm.memory_mib": .integer(64), "migration.workload.hot_pages": .integer(16_385)])?.message == "is larger than the VM's 16384 pages")
        #expect(try Self.check(.precopyModerate, ["migration.precopy.throttle_initial": .real(0.9), "migration.precopy.throttle_max": .real(0.5)])?.key == "migration.precopy.throttle_initial")
    }
}
