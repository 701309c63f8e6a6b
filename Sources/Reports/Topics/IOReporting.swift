import Vocabulary

/// I/O virtualization: throughput, tail latency, exits per operation and CPU cost per KiB.
enum IOReporting: TopicReporting {
    static let keyMetrics: [MetricName] = [.throughputMbps, .latencyP99Ns, .exitsPerOp, .cpuCyclesPerKib]
    static let chartKinds: [ChartKind] = [.latencyCDF, .latencyHistogram, .exitReasons]
    static let sweepHeadline = MetricName.latencyP99Ns
}
