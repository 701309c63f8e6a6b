import Vocabulary
import TraceFormat

/// Runs a scenario's simulator into a trace writer; the one entry point the command line uses.
package enum Runner {
    /// The version written into every trace header.
    package static let version = VirtLabVersion.current

    /// Reads a file a scenario refers to (a user's instruction-set profile); the command line
    /// supplies it, so the simulator itself never touches the disk.
    package typealias FileReader = @Sendable (String) -> String?

    /// The schema of the topic's simulator.
    package static func schema(for topic: Topic) throws -> Schema {
        try Schema(topic.simulation.kinds)
    }

    /// The trace header for a scenario: its full text, name, topic, the topic's schema and what
    /// the topic adds (the CPU topic's profile and its strings).
    package static func header(for s: Scenario, files: FileReader = { _ in nil }) throws -> TraceHeader {
        var metadata: [(key: String, value: String)] = [
            (key: "scenario_name", value: s.name),
            (key: "topic", value: s.topic.rawValue),
            (key: "description", value: s.description),
            (key: "scenario", value: s.text),
        ]
        let added = try s.topic.simulation.headerAdditions(s, files: files)
        metadata += added.metadata
        return TraceHeader(writerVersion: "virtlab \(version)", seed: s.seed, metadata: metadata, strings: added.strings,
                           schema: try schema(for: s.topic))
    }

    /// Simulates the scenario, writing events to `writer`; returns the results summary (the
    /// caller closes the writer with it).
    package static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress = .silent,
                            files: FileReader = { _ in nil }) throws -> [Metric] {
        try s.topic.simulation.run(s, writer: writer, progress: progress, files: files)
    }
}
