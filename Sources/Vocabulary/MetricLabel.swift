/// How a metric's name reads for people, in one place: a time, size or rate suffix dropped (the
/// value prints its unit), underscores as spaces — `downtime_ms` → "downtime",
/// `throughput_mbps` → "throughput", `total_cycles` → "total cycles".
package enum MetricLabel {
    package static func text(_ name: String, unit: String) -> String {
        var label = name
        // Only units the value prints with: "total_cycles" stays "total cycles".
        for suffix in ["_mbps", "_ms", "_ns", "_bytes"] where label.hasSuffix(suffix) && label.count > suffix.count {
            label = String(label.dropLast(suffix.count))
            break
        }
        return String(label.map { $0 == "_" ? " " : $0 })
    }
}
