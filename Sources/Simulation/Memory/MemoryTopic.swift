import TraceFormat

/// Memory virtualization as a topic: its keys, events and simulator.
enum MemoryTopic: TopicSimulation {
    static var keys: [ScenarioKey] { MemoryConfig.keys }
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? { MemoryConfig.crossCheck(s) }
    static var kinds: [EventKind] { MemoryEvents.kinds }
    static var sizeKey: (key: String, pilot: Int64)? { ("memory.workload.accesses", 20_000) }

    static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress, files: Runner.FileReader) throws -> [Metric] {
        let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
        return sim.metrics(try sim.run(writer: writer, progress: progress))
    }
}
