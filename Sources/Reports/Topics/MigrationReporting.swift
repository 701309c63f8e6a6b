import Vocabulary

/// Live migration: total time, downtime, bytes moved, rounds and whether pre-copy converged.
enum MigrationReporting: TopicReporting {
    static let keyMetrics: [MetricName] = [.totalTimeMs, .downtimeMs, .transferredBytes, .rounds, .converged]
    static let chartKinds: [ChartKind] = [.rounds, .stages, .remaining, .heatmap, .wwsVenn]
    static let sweepHeadline = MetricName.downtimeMs
}
