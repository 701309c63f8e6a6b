import SafeOutput
import Simulation

/// Finds the scenario a command names: a file path first, then a built-in preset.
enum ScenarioSource {
    static func load(_ name: String) throws -> Scenario {
        if let size = regularFileSize(name) {
            if let e = ScenarioDecoder.sizeError(size, source: name) { throw e }
            guard let bytes = readFile(name) else { throw CommandError.badInput("cannot read \(name)") }
            return try ScenarioDecoder.decode(bytes: bytes, source: name)
        }
        if let preset = Preset.named(name) { return try preset.scenario() }
        if isDirectory(name) { throw CommandError.badInput("\(name) is a directory; name a scenario file or a preset") }
        throw CommandError.badInput("no scenario file or preset named '\(name)'; `virtlab scenarios list` shows the presets")
    }
}
