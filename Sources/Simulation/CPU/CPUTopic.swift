import TraceFormat

/// CPU virtualization as a topic: its keys, events and simulator; its traces carry the
/// instruction-set profile (text and strings) in the header.
enum CPUTopic: TopicSimulation {
    static var keys: [ScenarioKey] { CPUConfig.keys }
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? { CPUConfig.crossCheck(s) }
    static var kinds: [EventKind] { CPUEvents.kinds }
    static var sizeKey: (key: String, pilot: Int64)? { ("cpu.workload.instructions", 1_000_000) }

    static func headerAdditions(_ s: Scenario, files: Runner.FileReader) throws -> (strings: [String], metadata: [(key: String, value: String)]) {
        let isa = try CPUSimulator.loadProfile(s.text("cpu.profile"), readFile: files)
        return (CPUEvents.strings(isa), [(key: "profile", value: isa.text)])
    }

    static func run(_ s: Scenario, writer: TraceWriter, progress: RunProgress, files: Runner.FileReader) throws -> [Metric] {
        let isa = try CPUSimulator.loadProfile(s.text("cpu.profile"), readFile: files)
        let sim = CPUSimulator(config: CPUConfig(s), isa: isa, seed: s.seed)
        return sim.metrics(try sim.run(writer: writer, progress: progress))
    }
}
