import TraceFormat

/// I/O virtualization as a topic: its keys, events and simulator.
enum IOTopic: TopicSimulation {
    static var keys: [ScenarioKey] { IOConfig.keys }
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? { IOConfig.crossCheck(s) }
    static var kinds: [EventKind] { IOEvents.kinds }
    static var sizeKey: (key: String, pilot: Int64)? { ("io.requests", 20_000) }

    static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress, files: Runner.FileReader) throws -> [Metric] {
        let sim = IOSimulator(config: IOConfig(s), seed: s.seed)
        return sim.metrics(try sim.run(writer: writer, progress: progress))
    }
}
