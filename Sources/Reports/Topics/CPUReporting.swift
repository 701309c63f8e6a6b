import Vocabulary

/// CPU virtualization: slowdown, correctness (equivalence), the direct share and exits.
enum CPUReporting: TopicReporting {
    static let keyMetrics: [MetricName] = [.overheadVsNative, .equivalenceViolations, .efficiency, .vmExits]
    static let chartKinds: [ChartKind] = [.outcomes, .exitReasons]
    static let sweepHeadline = MetricName.equivalenceViolations
}
