import TraceFormat
import Vocabulary

/// What the simulation layer needs from one topic: its scenario keys and the rules between
/// them, its event kinds, how long a run is, and how to run one. Each topic implements it in a
/// file of its own folder (`Memory/MemoryTopic.swift`, …); `Topic.simulation` is the registry, an
/// exhaustive switch, so a new topic is a compile error there until it has its folder.
package protocol TopicSimulation {
    /// The scenario keys of the topic's section.
    static var keys: [ScenarioKey] { get }
    /// Rules that involve more than one key: the key to blame and what is wrong, or nil.
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)?
    /// The event kinds the topic's simulator writes (the trace's schema).
    static var kinds: [EventKind] { get }
    /// The key that sets a run's length and a pilot's value of it (for the run-cost estimate);
    /// nil when every run of the topic is short.
    static var sizeKey: (key: String, pilot: Int64)? { get }
    /// Strings and metadata the topic adds to the trace header (the CPU topic's profile).
    static func headerAdditions(_ s: Scenario, files: Runner.FileReader) throws -> (strings: [String], metadata: [(key: String, value: String)])
    /// Simulates the scenario into `writer`; returns the results summary.
    static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress, files: Runner.FileReader) throws -> [Metric]
}

extension TopicSimulation {
    package static func headerAdditions(_ s: Scenario, files: Runner.FileReader) throws -> (strings: [String], metadata: [(key: String, value: String)]) {
        ([], [])
    }
}

extension Topic {
    /// The topic's simulation (the registry).
    package var simulation: any TopicSimulation.Type {
        switch self {
        case .memory: MemoryTopic.self
        case .cpu: CPUTopic.self
        case .io: IOTopic.self
        case .migration: MigrationTopic.self
        }
    }
}
