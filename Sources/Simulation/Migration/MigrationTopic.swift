import TraceFormat

/// Live migration as a topic: its keys, events and simulator (every run is short: no size key).
enum MigrationTopic: TopicSimulation {
    static var keys: [ScenarioKey] { MigrationConfig.keys }
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? { MigrationConfig.crossCheck(s) }
    static var kinds: [EventKind] { MigrationEvents.kinds }
    static var sizeKey: (key: String, pilot: Int64)? { nil }

    static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress, files: Runner.FileReader) throws -> [Metric] {
        let sim = MigrationSimulator(config: MigrationConfig(s), seed: s.seed)
        return sim.metrics(try sim.run(writer: writer, progress: progress))
    }
}
