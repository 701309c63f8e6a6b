import TraceFormat

/// Runs a scenario's simulator into a trace writer; the one entry point the command line uses.
package enum Runner {
    /// The version written into every trace header.
    package static let version = "0.1.0"

    /// The schema of the topic's simulator.
    package static func schema(for topic: Topic) throws -> Schema {
        switch topic {
        case .memory: try Schema(MemoryEvents.kinds)
        }
    }

    /// The trace header for a scenario: its full text, name, topic, and the topic's schema.
    package static func header(for s: Scenario) throws -> TraceHeader {
        TraceHeader(writerVersion: "virtlab \(version)", seed: s.seed, metadata: [
            (key: "scenario_name", value: s.name),
            (key: "topic", value: s.topic.rawValue),
            (key: "description", value: s.description),
            (key: "scenario", value: s.text),
        ], schema: try schema(for: s.topic))
    }

    /// Simulates the scenario, writing events to `writer`; returns the results summary (the
    /// caller closes the writer with it).
    package static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress = .silent) throws -> [Metric] {
        switch s.topic {
        case .memory:
            let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
            return sim.metrics(try sim.run(writer: writer, progress: progress))
        }
    }
}
