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
        switch topic {
        case .memory: try Schema(MemoryEvents.kinds)
        case .cpu: try Schema(CPUEvents.kinds)
        case .io: try Schema(IOEvents.kinds)
        case .migration: try Schema(MigrationEvents.kinds)
        }
    }

    /// The trace header for a scenario: its full text, name, topic, the topic's schema and, for
    /// the CPU topic, the profile's strings.
    package static func header(for s: Scenario, files: FileReader = { _ in nil }) throws -> TraceHeader {
        var metadata: [(key: String, value: String)] = [
            (key: "scenario_name", value: s.name),
            (key: "topic", value: s.topic.rawValue),
            (key: "description", value: s.description),
            (key: "scenario", value: s.text),
        ]
        var strings: [String] = []
        if s.topic == .cpu {
            let isa = try CPUSimulator.loadProfile(s.text("cpu.profile"), readFile: files)
            strings = CPUEvents.strings(isa)
            metadata.append((key: "profile", value: isa.text))
        }
        return TraceHeader(writerVersion: "virtlab \(version)", seed: s.seed, metadata: metadata, strings: strings,
                           schema: try schema(for: s.topic))
    }

    /// Simulates the scenario, writing events to `writer`; returns the results summary (the
    /// caller closes the writer with it).
    package static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress = .silent,
                            files: FileReader = { _ in nil }) throws -> [Metric] {
        switch s.topic {
        case .memory:
            let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
            return sim.metrics(try sim.run(writer: writer, progress: progress))
        case .cpu:
            let isa = try CPUSimulator.loadProfile(s.text("cpu.profile"), readFile: files)
            let sim = CPUSimulator(config: CPUConfig(s), isa: isa, seed: s.seed)
            return sim.metrics(try sim.run(writer: writer, progress: progress))
        case .io:
            let sim = IOSimulator(config: IOConfig(s), seed: s.seed)
            return sim.metrics(try sim.run(writer: writer, progress: progress))
        case .migration:
            let sim = MigrationSimulator(config: MigrationConfig(s), seed: s.seed)
            return sim.metrics(try sim.run(writer: writer, progress: progress))
        }
    }
}
