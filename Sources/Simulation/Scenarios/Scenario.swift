import Vocabulary

/// The topics (`Vocabulary.Topic`) as scenarios know them.
extension Topic {
    /// The scenario keys of this topic's section.
    package var keys: [ScenarioKey] { simulation.keys }
}

/// A validated scenario: the common keys, every topic key with defaults filled in, and the text it came from.
package struct Scenario: Sendable, Equatable {
    package var name: String
    package var description: String
    package var topic: Topic
    package var seed: UInt64
    /// Every key of the topic section by dotted path, defaults included.
    package var values: [String: ScenarioValue]
    /// The exact text the scenario was read from (stored in the trace header).
    package var text: String

    /// Keys every scenario has, before its topic section.
    package static let commonKeys: [ScenarioKey] = [
        ScenarioKey("name", .text(maxBytes: 200), default: nil, "a short name for the run"),
        ScenarioKey("description", .text(maxBytes: 4_000), default: .text(""), "what the run shows"),
        ScenarioKey("topic", .choice(Topic.allCases.map(\.rawValue)), default: nil, "which simulator runs it"),
        ScenarioKey("seed", .integer(0...Int64.max), default: .integer(1), "seed of every random choice"),
    ]

    /// An integer key of the topic section.
    package func int(_ path: String) -> Int64 {
        guard case let .integer(v)? = values[path] else { preconditionFailure("\(path) is not an integer key") }
        return v
    }

    /// A real key (integers are accepted where reals are expected).
    package func real(_ path: String) -> Double {
        switch values[path] {
        case let .real(v)?: return v
        case let .integer(v)?: return Double(v)
        default: preconditionFailure("\(path) is not a number key")
        }
    }

    /// A choice or text key.
    package func text(_ path: String) -> String {
        guard case let .text(v)? = values[path] else { preconditionFailure("\(path) is not a text key") }
        return v
    }
}
