import Testing
import TestKit
@testable import Vocabulary

/// One rule for how a metric reads, used by run pages, the index, comparisons and sweeps.
struct MetricLabelTests {
    @Test(arguments: [
        ("throughput_mbps", "Mbit/s", "throughput"),
        ("downtime_ms", "ms", "downtime"),
        ("latency_p99_ns", "ns", "latency p99"),
        ("total_cycles", "cycles", "total cycles"),
        ("overhead_vs_native", "%", "overhead vs native"),
        ("transferred_bytes", "bytes", "transferred"),
        ("_ms", "ms", " ms"),
        ("ms", "ms", "ms"),
        // Abbreviations in capitals, as whole words only.
        ("vm_exits", "count", "VM exits"),
        ("tlb_hit_rate", "ratio", "TLB hit rate"),
        ("cpu_cycles_per_kib", "cycles", "CPU cycles per KiB"),
        ("vms_sharing_device", "count", "VMs sharing device"),
        ("dma_unsafe", "bool", "DMA unsafe"),
        ("warmup_vm_exits", "count", "warmup VM exits"),
        ("vmexit", "count", "vmexit"),
    ])
    func labels(_ name: String, _ unit: String, _ expected: String) {
        expectEqual(MetricLabel.text(name, unit: unit), expected)
    }

    /// Every metric in the vocabulary has a label that is not empty and has no underscore.
    @Test func everyMetricHasAReadableLabel() {
        for m in MetricName.allCases {
            let label = MetricLabel.text(m.rawValue, unit: m.unit.rawValue)
            #expect(!label.isEmpty, "\(m.rawValue) → \(label)")
            expectLacks(label, "_", "\(m.rawValue) → \(label)")
        }
    }
}
