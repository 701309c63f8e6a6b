import Vocabulary

/// Live migration: total time, downtime, bytes moved, rounds, whether it converged and whether it finished.
enum MigrationReporting: TopicReporting {
    static let keyMetrics: [MetricName] = [.totalTimeMs, .downtimeMs, .transferredBytes, .rounds, .converged, .finished]
    static let chartKinds: [ChartKind] = [.rounds, .stages, .remaining, .heatmap, .wwsVenn]
    static let sweepHeadline = MetricName.downtimeMs
}
