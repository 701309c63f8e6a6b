import Testing
@testable import Simulation
import Vocabulary

/// A preset with some keys changed, checked across keys by its topic's rules (the check the
/// decoder runs): the key a rule names and its message, or nil. Shared by the *ConfigTests.
enum CrossCheck {
    static func of(_ preset: PresetName, _ changes: [String: ScenarioValue]) throws -> (key: String, message: String)? {
        var s = try Preset.named(preset).scenario()
        for (k, v) in changes { s.values[k] = v }
        return s.topic.simulation.crossCheck(s)
    }
}
