import Testing
@testable import Simulation
import Vocabulary

@Suite struct PresetsTests {
    /// The vocabulary's names and the built presets are the same set, in the same order, so
    /// `Preset.named(PresetName)` cannot fail and a preset added or renamed is caught here.
    @Test func presetNamesAreExactlyThePresets() {
        #expect(PresetName.allCases.map(\.rawValue) == Preset.all.map(\.name))
    }

    @Test func everyPresetNameGivesItsPreset() {
        for name in PresetName.allCases { #expect(Preset.named(name).name == name.rawValue) }
    }

    /// The first-generation hardware-assist presets differ from their modern neighbours only
    /// in the era's two choices: the exit cost and EPT.
    @Test func eachFirstGenerationPresetHasAModernNeighbour() throws {
        for mix in ["syscall-heavy", "pagetable-heavy"] {
            let first = try #require(Preset.named("x86-\(mix)-hardware-assisted"))
            let modern = try #require(Preset.named("x86-\(mix)-hardware-assisted-modern"))
            #expect(first.overrides["cpu.costs.vm_exit_cycles"] == .integer(Preset.firstGenerationExitCycles))
            #expect(modern.overrides["cpu.costs.vm_exit_cycles"] == nil && modern.overrides["cpu.nested_paging"] == .text("yes"))
            #expect(first.overrides["cpu.workload.mix"] == modern.overrides["cpu.workload.mix"])
        }
    }
}
