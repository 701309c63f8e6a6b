/// The units results are measured in, stored in a trace as their text.
package enum MetricUnit: String, Sendable, CaseIterable {
    case count
    case cycles
    case nanoseconds = "ns"
    case milliseconds = "ms"
    case pages
    case bytes
    case percent = "%"
    case ratio
    case flag = "bool"
    case megabitsPerSecond = "Mbit/s"
    case pagesPerSecond = "pages/s"
    case requestsPerSecond = "requests/s"
    case references = "refs"
}

/// Every result a simulator writes into a trace's summary under a fixed name, with its unit.
/// Emitters and readers use these cases, never the text: a renamed or removed result is a
/// compile error wherever it is read.
package enum MetricName: String, Sendable, CaseIterable {
    case accesses
    case appSlowdown = "app_slowdown"
    case backendCyclesPerOp = "backend_cycles_per_op"
    case bandwidthMbps = "bandwidth_mbps"
    case contextSwitches = "context_switches"
    case converged
    case cowFaults = "cow_faults"
    case cpuCyclesPerKib = "cpu_cycles_per_kib"
    case cyclesPerAccess = "cycles_per_access"
    case directInstructions = "direct_instructions"
    case dirtyPagesRate = "dirty_pages_rate"
    case dirtySyncCount = "dirty_sync_count"
    case dmaBlocked = "dma_blocked"
    case dmaPages = "dma_pages"
    case dmaUnsafe = "dma_unsafe"
    case downtimeMs = "downtime_ms"
    case efficiency
    case emulated
    case eptViolations = "ept_violations"
    case equivalenceHolds = "equivalence_holds"
    case equivalenceViolations = "equivalence_violations"
    case exitsPer1kAccesses = "exits_per_1k_accesses"
    case exitsPerOp = "exits_per_op"
    case expectedDowntimeMs = "expected_downtime_ms"
    case finished
    case forks
    case guestCyclesPerOp = "guest_cycles_per_op"
    case guestKernelCycles = "guest_kernel_cycles"
    case guestTablePages = "guest_table_pages"
    case hardwareExits = "hardware_exits"
    case hypercalls
    case instructions
    case interrupts
    case iotlbMisses = "iotlb_misses"
    case kicks
    case latencyP50Ns = "latency_p50_ns"
    case latencyP95Ns = "latency_p95_ns"
    case latencyP99Ns = "latency_p99_ns"
    case makespanNs = "makespan_ns"
    case memoryPages = "memory_pages"
    case mmuLockWaitCycles = "mmu_lock_wait_cycles"
    case munmaps
    case nativeCycles = "native_cycles"
    case nativeGuestKernelCycles = "native_guest_kernel_cycles"
    case nativeTranslationCycles = "native_translation_cycles"
    case nativeThroughputRps = "native_throughput_rps"
    case nestedTablePages = "nested_table_pages"
    case nestedTlbHits = "nested_tlb_hits"
    case networkFaultStallMs = "network_fault_stall_ms"
    case overheadVsNative = "overhead_vs_native"
    case pageFaults = "page_faults"
    case pagesLost = "pages_lost"
    case pagesSent = "pages_sent"
    case pagesSkipped = "pages_skipped"
    case postcopyRequests = "postcopy_requests"
    case pteWrites = "pte_writes"
    case refsPerWalk = "refs_per_walk"
    case remainingPages = "remaining_pages"
    case remoteTlbFlushes = "remote_tlb_flushes"
    case requests
    case resourceControlHolds = "resource_control_holds"
    case rounds
    case setupTimeMs = "setup_time_ms"
    case shadowBytesPeak = "shadow_bytes_peak"
    case shadowPagesPeak = "shadow_pages_peak"
    case shadowRootsBuilt = "shadow_roots_built"
    case shadowRootsReloaded = "shadow_roots_reloaded"
    case shadowTablesZapped = "shadow_tables_zapped"
    case simTimeNs = "sim_time_ns"
    case syscalls
    case throughputMbps = "throughput_mbps"
    case throughputRps = "throughput_rps"
    case throughputVsNative = "throughput_vs_native"
    case tlbHitRate = "tlb_hit_rate"
    case tlbHits = "tlb_hits"
    case tlbMisses = "tlb_misses"
    case tlbShootdowns = "tlb_shootdowns"
    case totalCycles = "total_cycles"
    case totalTimeMs = "total_time_ms"
    case transferredBytes = "transferred_bytes"
    case translated
    case translationCycles = "translation_cycles"
    case translationEvictions = "translation_evictions"
    case translations
    case vmExits = "vm_exits"
    case vmmCycles = "vmm_cycles"
    case vmmCyclesPerOp = "vmm_cycles_per_op"
    case vmsSharingDevice = "vms_sharing_device"
    case walkCacheHits = "walk_cache_hits"
    case walkRefs = "walk_refs"
    case walks
    case warmupAccesses = "warmup_accesses"
    case warmupCycles = "warmup_cycles"
    case warmupPageFaults = "warmup_page_faults"
    case warmupVmExits = "warmup_vm_exits"

    package var unit: MetricUnit {
        switch self {
        case .accesses, .contextSwitches, .cowFaults, .directInstructions, .dirtySyncCount, .dmaBlocked,
             .dmaUnsafe, .emulated, .eptViolations, .equivalenceViolations, .exitsPer1kAccesses, .exitsPerOp,
             .forks, .hardwareExits, .hypercalls, .instructions, .interrupts, .iotlbMisses, .kicks, .munmaps,
             .nestedTlbHits, .pageFaults, .postcopyRequests, .pteWrites, .remoteTlbFlushes, .requests,
             .rounds, .shadowRootsBuilt, .shadowRootsReloaded, .shadowTablesZapped, .syscalls, .tlbHits,
             .tlbMisses, .tlbShootdowns, .translated, .translationEvictions, .translations, .vmExits,
             .vmsSharingDevice, .walkCacheHits, .walkRefs, .walks, .warmupAccesses, .warmupPageFaults,
             .warmupVmExits:
            .count
        case .backendCyclesPerOp, .cpuCyclesPerKib, .cyclesPerAccess, .guestCyclesPerOp, .guestKernelCycles,
             .mmuLockWaitCycles, .nativeCycles, .nativeGuestKernelCycles, .nativeTranslationCycles, .totalCycles, .translationCycles, .vmmCycles,
             .vmmCyclesPerOp, .warmupCycles:
            .cycles
        case .latencyP50Ns, .latencyP95Ns, .latencyP99Ns, .makespanNs, .simTimeNs:
            .nanoseconds
        case .downtimeMs, .expectedDowntimeMs, .networkFaultStallMs, .setupTimeMs, .totalTimeMs:
            .milliseconds
        case .dmaPages, .guestTablePages, .memoryPages, .nestedTablePages, .pagesLost, .pagesSent,
             .pagesSkipped, .remainingPages, .shadowPagesPeak:
            .pages
        case .shadowBytesPeak, .transferredBytes:
            .bytes
        case .overheadVsNative:
            .percent
        case .appSlowdown, .efficiency, .throughputVsNative, .tlbHitRate:
            .ratio
        case .converged, .equivalenceHolds, .finished, .resourceControlHolds:
            .flag
        case .bandwidthMbps, .throughputMbps:
            .megabitsPerSecond
        case .dirtyPagesRate:
            .pagesPerSecond
        case .nativeThroughputRps, .throughputRps:
            .requestsPerSecond
        case .refsPerWalk:
            .references
        }
    }

    /// How the name reads for people (one rule for every page, table and terminal).
    package var label: String { MetricLabel.text(rawValue, unit: unit.rawValue) }
}

/// Results written once per member of a set the run defines (exit reasons, instructions, stop
/// rules, rounds): the name is the family's prefix, the member and its suffix.
package enum MetricFamily: Sendable, CaseIterable {
    /// VM exits of one reason: `exits_page_fault`.
    case exits
    /// Cycles spent in exits of one reason: `exit_cycles_page_fault`.
    case exitCycles
    /// Sensitive instructions of one mnemonic the VMM handled: `vmm_mov_cr3`.
    case vmmHandled
    /// Instructions of one mnemonic that had the wrong effect: `violations_popf`.
    case violations
    /// Whether one pre-copy stop rule ended the run: `stop_threshold`.
    case stop
    /// Pages sent in one pre-copy round: `round_3_pages`.
    case roundPages
    /// Pages dirtied during one pre-copy round: `round_3_dirtied`.
    case roundDirtied

    var affixes: (prefix: String, suffix: String) {
        switch self {
        case .exits: ("exits_", "")
        case .exitCycles: ("exit_cycles_", "")
        case .vmmHandled: ("vmm_", "")
        case .violations: ("violations_", "")
        case .stop: ("stop_", "")
        case .roundPages: ("round_", "_pages")
        case .roundDirtied: ("round_", "_dirtied")
        }
    }

    package var unit: MetricUnit {
        switch self {
        case .exits, .vmmHandled, .violations: .count
        case .exitCycles: .cycles
        case .stop: .flag
        case .roundPages, .roundDirtied: .pages
        }
    }

    /// The metric's name for one member.
    package func name(_ member: String) -> String { affixes.prefix + member + affixes.suffix }

    /// The `*` pattern a lesson uses for the whole family (`round_*_pages`).
    package var pattern: String { name("*") }
}
