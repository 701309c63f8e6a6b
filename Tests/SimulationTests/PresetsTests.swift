import Testing
import TestKit
@testable import Simulation
import Vocabulary

struct PresetsTests {
    /// The vocabulary's names and the built presets are the same set, in the same order, so
    /// `Preset.named(PresetName)` cannot fail and a preset added or renamed is caught here.
    @Test func presetNamesAreExactlyThePresets() {
        expectEqual(PresetName.allCases.map(\.rawValue), Preset.all.map(\.name))
    }

    @Test func everyPresetNameGivesItsPreset() {
        for name in PresetName.allCases { expectEqual(Preset.named(name).name, name.rawValue) }
    }

    /// The first-generation hardware-assist presets differ from their modern neighbours only
    /// in the era's two choices: the exit cost and EPT.
    @Test func eachFirstGenerationPresetHasAModernNeighbour() throws {
        for mix in ["syscall-heavy", "pagetable-heavy"] {
            let first = try #require(Preset.named("x86-\(mix)-hardware-assisted"))
            let modern = try #require(Preset.named("x86-\(mix)-hardware-assisted-modern"))
            expectEqual(first.overrides["cpu.costs.vm_exit_cycles"], .integer(Preset.firstGenerationExitCycles))
            expectEqual(modern.overrides["cpu.costs.vm_exit_cycles"], nil)
            expectEqual(modern.overrides["cpu.nested_paging"], .text("yes"))
            expectEqual(first.overrides["cpu.workload.mix"], modern.overrides["cpu.workload.mix"])
        }
    }
}

struct PresetSummaryTests {
    /// Every parameter a preset's description states is filled in from its values: none is left
    /// as `{key}` (a key its topic does not have, or a format that does not exist).
    @Test func everyPresetSummaryIsFilledIn() {
        for p in Preset.all { #expect(!p.summary.contains("{") && !p.summary.contains("}"), "\(p.name): \(p.summary)") }
    }

    /// The description follows the values: the same template on other values says other numbers.
    @Test func theSummaryStatesThePresetsOwnValues() {
        let p = Preset(name: "t", topic: .migration, summary: "copy all {migration.vm.memory_mib:mib} over {migration.network.bandwidth_mbps:mbps}",
                       seed: 1, overrides: ["migration.vm.memory_mib": .integer(4_096), "migration.network.bandwidth_mbps": .real(2_500)])
        expectEqual(p.summary, "copy all 4 GiB over 2,500 Mbit/s")
        let defaults = Preset(name: "t", topic: .migration, summary: "{migration.vm.memory_mib:mib} at {migration.network.bandwidth_mbps:mbps}", seed: 1, overrides: [:])
        expectEqual(defaults.summary, "2 GiB at 1 Gbit/s")
        expectEqual(Preset(name: "t", topic: .io, summary: "{migration.vm.memory_mib}", seed: 1, overrides: [:]).summary, "{migration.vm.memory_mib}", "another topic's key is left visible for the test above to refuse")
    }
}
