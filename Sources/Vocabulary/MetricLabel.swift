/// How a metric's name reads for people, in one place: a time, size or rate suffix dropped (the
/// value prints its unit), underscores as spaces, abbreviations in capitals — `downtime_ms` →
/// "downtime", `throughput_mbps` → "throughput", `total_cycles` → "total cycles", `vm_exits` →
/// "VM exits", `tlb_hit_rate` → "TLB hit rate" (a title starting with it reads "VM exits
/// against …", not "Vm exits").
package enum MetricLabel {
    package static func text(_ name: String, unit: String) -> String {
        var label = name
        // Only units the value prints with: "total_cycles" stays "total cycles".
        for suffix in ["_mbps", "_ms", "_ns", "_bytes"] where label.hasSuffix(suffix) && label.count > suffix.count {
            label = String(label.dropLast(suffix.count))
            break
        }
        return label.split(separator: "_", omittingEmptySubsequences: false)
            .map { abbreviations[String($0)] ?? String($0) }.joined(separator: " ")
    }

    /// The abbreviations metric names use, as a sentence writes them.
    static let abbreviations = ["vm": "VM", "vms": "VMs", "cpu": "CPU", "vmm": "VMM", "tlb": "TLB", "iotlb": "IOTLB", "mmu": "MMU",
                                "pte": "PTE", "dma": "DMA", "kib": "KiB"]
}
