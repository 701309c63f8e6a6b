import SafeOutput
import Simulation

/// Finds the scenario a command names: a file path first, then a built-in preset.
package enum ScenarioSource {
    package static func load(_ name: String) throws -> Scenario {
        if let size = regularFileSize(name) {
            if let e = ScenarioDecoder.sizeError(size, source: name) { throw e }
            guard let bytes = readFile(name) else { throw CourseError.badInput("cannot read \(name)") }
            return try ScenarioDecoder.decode(bytes: bytes, source: name)
        }
        if let preset = Preset.named(name) { return try preset.scenario() }
        if isDirectory(name) { throw CourseError.badInput("\(name) is a directory; name a scenario file or a preset") }
        throw CourseError.badInput("no scenario file or preset named '\(name)'; `virtlab scenarios list` shows the presets")
    }
}
