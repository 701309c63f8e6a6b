import Simulation
import TraceFormat

/// The scenario a trace was made from, with every key's effective value (defaults included):
/// decoded from the scenario text the header stores, with the header's seed (a `--seed`
/// given to `virtlab run` overrides the scenario's).
package enum ResolvedScenario {
    package struct Row: Equatable, Sendable {
        package var key: String
        package var value: ScenarioValue
        /// `integer`, `real` or `text`.
        package var type: String
        /// The value equals the key's default.
        package var isDefault: Bool
    }

    /// Every key in the order `virtlab scenarios show` lists them; empty when the header has
    /// no scenario or one this version cannot read (a trace from another version).
    package static func rows(_ header: TraceHeader) -> [Row] {
        guard let text = header[metadata: "scenario"],
              var scenario = try? ScenarioDecoder.decode(text: text, source: "trace header") else { return [] }
        scenario.seed = header.seed
        var rows: [Row] = []
        let common: [(ScenarioKey, ScenarioValue)] = Scenario.commonKeys.map { spec in
            switch spec.path {
            case "name": (spec, .text(scenario.name))
            case "description": (spec, .text(scenario.description))
            case "topic": (spec, .text(scenario.topic.rawValue))
            default: (spec, .integer(Int64(clamping: scenario.seed)))
            }
        }
        let topic = scenario.topic.keys.compactMap { spec in scenario.values[spec.path].map { (spec, $0) } }
        for (spec, value) in common + topic {
            let type: String
            switch value {
            case .integer: type = "integer"
            case .real: type = "real"
            case .text: type = "text"
            }
            rows.append(Row(key: spec.path, value: value, type: type, isDefault: value == spec.defaultValue))
        }
        return rows
    }
}
