import Vocabulary

/// What the reports do differently for one topic: its key results and the charts its traces
/// offer. Each topic has its own file in this folder; `Topic.reporting` is the registry, an
/// exhaustive switch, so a new topic is a compile error there until it has its file.
package protocol TopicReporting {
    /// The results a run page, a comparison and a sweep's results.csv lead with.
    static var keyMetrics: [MetricName] { get }
    /// The charts a trace of the topic offers (besides what every trace offers).
    static var chartKinds: [ChartKind] { get }
    /// The key result a sweep's headline figure shows by default.
    static var sweepHeadline: MetricName { get }
}

extension Topic {
    /// The topic's reporting (the registry).
    package var reporting: any TopicReporting.Type {
        switch self {
        case .memory: MemoryReporting.self
        case .cpu: CPUReporting.self
        case .io: IOReporting.self
        case .migration: MigrationReporting.self
        }
    }
}
