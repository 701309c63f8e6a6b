import Vocabulary

/// Memory virtualization: translation cost against native, the TLB, exits and walk length.
enum MemoryReporting: TopicReporting {
    static let keyMetrics: [MetricName] = [.overheadVsNative, .totalCycles, .tlbHitRate, .vmExits, .refsPerWalk]
    static let chartKinds: [ChartKind] = [.exitReasons, .cycles]
    static let sweepHeadline = MetricName.overheadVsNative
}
