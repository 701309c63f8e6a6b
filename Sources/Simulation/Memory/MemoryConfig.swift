/// The parameters of a memory run, read from a scenario's `memory` section.
///
/// Every default is cited in `docs/models.md`.
package struct MemoryConfig: Sendable, Hashable {
    package enum Mode: String, Sendable, CaseIterable { case native, shadow, nested }
    package enum Pattern: String, Sendable, CaseIterable { case sequential, strided, random, zipf }
    package enum Detail: String, Sendable, CaseIterable { case normal = "default", walks }

    package var mode: Mode
    /// Guest page-table levels (x86-64: 4, or 5 with LA57).
    package var levels: Int
    /// Guest data pages are 2 MiB (the guest walk stops one level early).
    package var largePages: Bool
    /// Nested (EPT/NPT) table levels and page size.
    package var nestedLevels: Int
    package var nestedLargePages: Bool
    package var guestMemoryBytes: UInt64
    package var vcpus: Int
    package var tlbSets: Int
    package var tlbWays: Int
    package var l2Sets: Int
    package var l2Ways: Int
    /// TLB entries carry PCID/VPID tags, so CR3 writes and world switches need not flush.
    package var tagged: Bool
    /// A page-walk cache of non-leaf entries (both dimensions under nested paging), per vCPU.
    package var walkCache: Bool
    package var walkCacheEntries: Int
    /// Nested-TLB entries (gPA → sPA) per vCPU; 0: none.
    package var nestedTLBEntries: Int
    package var shadowRootCache: Int
    /// Shadow pages kept before the least recently used tables are zapped (KVM's `n_max_mmu_pages`).
    package var shadowMaxPages: Int
    package var pattern: Pattern
    package var zipfExponent: Double
    package var accesses: UInt64
    /// Touch every page of each process's working set once, in order, before measuring: the
    /// metrics then describe the steady state, not first-touch faults (reported apart).
    package var warmup = false
    package var workingSetBytes: UInt64
    package var strideBytes: UInt64
    package var accessBytes: UInt64
    package var writeFraction: Double
    package var workCycles: UInt64
    /// All processes map the same physical frames (pre-forked read-mostly workers).
    package var shared: Bool
    package var processes: Int
    package var switchEvery: UInt64
    package var forkEvery: UInt64
    package var forkChildAccesses: UInt64
    package var munmapEvery: UInt64
    package var munmapPages: Int
    package var quantum: UInt64
    package var costs: MemoryCosts
    package var clockGHz: Double
    package var detail: Detail
    package var counterInterval: UInt64


    /// The `memory` section's keys, defaults and help.
    package static let keys: [ScenarioKey] = [
        ScenarioKey("memory.mode", .choice(Mode.allCases.map(\.rawValue)), default: .text("native"),
                    "native: guest on bare metal; shadow: VMM keeps gVA→sPA shadow tables; nested: hardware 2-D walk (EPT/NPT)"),
        ScenarioKey("memory.levels", .integer(2...5), default: .integer(4), "guest page-table levels (x86-64: 4; 5 with LA57)"),
        ScenarioKey("memory.page_size", .choice(["4KiB", "2MiB"]), default: .text("4KiB"), "guest page size of the working set"),
        ScenarioKey("memory.nested.levels", .integer(2...5), default: .integer(4), "nested (EPT/NPT) table levels"),
        ScenarioKey("memory.nested.page_size", .choice(["4KiB", "2MiB"]), default: .text("4KiB"), "page size of the nested table"),
        ScenarioKey("memory.guest_memory_mib", .integer(16...1_048_576), default: .integer(4_096), "guest-physical memory"),
        ScenarioKey("memory.vcpus", .integer(1...64), default: .integer(1), "virtual CPUs, each with its own TLB"),
        ScenarioKey("memory.tlb.sets", .integer(1...4_096, powerOfTwo: true), default: .integer(16), "L1 TLB sets"),
        ScenarioKey("memory.tlb.ways", .integer(1...32), default: .integer(4), "L1 TLB ways per set (LRU)"),
        ScenarioKey("memory.tlb.l2_sets", .integer(0...65_536), default: .integer(128), "second-level TLB sets (0: none; else a power of two)"),
        ScenarioKey("memory.tlb.l2_ways", .integer(0...32), default: .integer(12), "second-level TLB ways"),
        ScenarioKey("memory.tlb.tagged", .choice(["yes", "no"]), default: .text("yes"),
                    "entries tagged by PCID/VPID (no: every CR3 write and world switch flushes the TLB)"),
        ScenarioKey("memory.tlb.walk_cache", .choice(["yes", "no"]), default: .text("no"),
                    "a page-walk cache keeps recently read non-leaf page-table entries (of both tables under nested paging): a hit costs walk_cache_hit_cycles, not a memory reference"),
        ScenarioKey("memory.tlb.walk_cache_entries", .integer(4...4_096), default: .integer(32),
                    "page-walk-cache entries per vCPU, 4-way LRU (a multiple of 4)"),
        ScenarioKey("memory.tlb.nested_tlb_entries", .integer(0...4_096), default: .integer(0),
                    "nested-TLB entries per vCPU caching gPA→sPA translations, 4-way LRU (a multiple of 4; 0: none; nested paging only)"),
        ScenarioKey("memory.shadow.root_cache", .integer(1...64), default: .integer(4),
                    "shadow roots each vCPU keeps ready — the current one and the previous ones (shadow mode; KVM: 1 + 3)"),
        ScenarioKey("memory.shadow.max_pages", .integer(0...100_000_000), default: .integer(0),
                    "shadow pages the VMM keeps before it zaps the least recently used tables (0: KVM's default, 2 % of guest memory pages, at least 64)"),
        ScenarioKey("memory.workload.pattern", .choice(Pattern.allCases.map(\.rawValue)), default: .text("random"),
                    "order of memory accesses over the working set"),
        ScenarioKey("memory.workload.zipf_exponent", .real(0.1...4), default: .real(1.0), "skew of the zipf pattern (higher: hotter hot set)"),
        ScenarioKey("memory.workload.accesses", .integer(1...10_000_000_000), default: .integer(2_000_000), "memory accesses to simulate"),
        ScenarioKey("memory.workload.working_set_mib", .integer(1...1_048_576), default: .integer(64), "MiB of memory each process touches (its working set)"),
        ScenarioKey("memory.workload.warmup", .choice(["none", "touch"]), default: .text("none"),
                    "touch: write every page of each process's working set once before measuring, so the results describe the steady state, not first-touch faults (those are reported as warmup_*)"),
        ScenarioKey("memory.workload.stride_bytes", .integer(1...1_073_741_824), default: .integer(4_096), "step of the strided pattern"),
        ScenarioKey("memory.workload.access_bytes", .integer(1...4_096, powerOfTwo: true), default: .integer(64),
                    "size of one access (a cache line); the sequential step"),
        ScenarioKey("memory.workload.write_fraction", .real(0...1), default: .real(0.3), "share of accesses that are writes"),
        ScenarioKey("memory.workload.work_cycles", .integer(0...1_000_000), default: .integer(4),
                    "cycles of other work per access (instructions between accesses, cache hits)"),
        ScenarioKey("memory.workload.shared", .choice(["yes", "no"]), default: .text("no"),
                    "processes map the same physical pages (pre-forked read-mostly workers)"),
        ScenarioKey("memory.os.processes", .integer(1...64), default: .integer(1), "guest processes, each with its own page table"),
        ScenarioKey("memory.os.switch_every", .integer(0...1_000_000_000), default: .integer(0),
                    "accesses a vCPU runs before a context switch (0: never)"),
        ScenarioKey("memory.os.fork_every", .integer(0...1_000_000_000), default: .integer(0), "accesses between forks (0: never)"),
        ScenarioKey("memory.os.fork_child_accesses", .integer(0...1_000_000_000), default: .integer(2_000),
                    "accesses a forked child makes before it exits"),
        ScenarioKey("memory.os.munmap_every", .integer(0...1_000_000_000), default: .integer(0),
                    "accesses between munmap calls (0: never)"),
        ScenarioKey("memory.os.munmap_pages", .integer(1...1_000_000), default: .integer(16), "pages one munmap removes"),
        ScenarioKey("memory.os.quantum", .integer(1...1_000_000_000), default: .integer(1_000),
                    "accesses one vCPU makes before the next vCPU runs"),
    ] + MemoryCosts.keys + [
        ScenarioKey("memory.clock_ghz", .real(0.1...10), default: .real(3.0), "CPU clock that turns cycles into time"),
        ScenarioKey("memory.trace.detail", .choice(Detail.allCases.map(\.rawValue)), default: .text("default"),
                    "default: faults, exits, flushes, switches and counters; walks: also one event per page walk"),
        ScenarioKey("memory.trace.counter_interval", .integer(1_000...1_000_000_000), default: .integer(65_536),
                    "accesses between two counter samples"),
    ]

    package init(_ s: Scenario) {
        mode = Mode(rawValue: s.text("memory.mode"))!
        levels = Int(s.int("memory.levels"))
        largePages = s.text("memory.page_size") == "2MiB"
        nestedLevels = Int(s.int("memory.nested.levels"))
        nestedLargePages = s.text("memory.nested.page_size") == "2MiB"
        guestMemoryBytes = UInt64(s.int("memory.guest_memory_mib")) << 20
        vcpus = Int(s.int("memory.vcpus"))
        tlbSets = Int(s.int("memory.tlb.sets"))
        tlbWays = Int(s.int("memory.tlb.ways"))
        l2Sets = Int(s.int("memory.tlb.l2_sets"))
        l2Ways = Int(s.int("memory.tlb.l2_ways"))
        tagged = s.text("memory.tlb.tagged") == "yes"
        walkCache = s.text("memory.tlb.walk_cache") == "yes"
        walkCacheEntries = Int(s.int("memory.tlb.walk_cache_entries"))
        nestedTLBEntries = Int(s.int("memory.tlb.nested_tlb_entries"))
        shadowRootCache = Int(s.int("memory.shadow.root_cache"))
        let maxPages = Int(s.int("memory.shadow.max_pages"))
        shadowMaxPages = maxPages > 0 ? maxPages : max(64, Int(guestMemoryBytes >> 12) * 20 / 1_000)
        pattern = Pattern(rawValue: s.text("memory.workload.pattern"))!
        zipfExponent = s.real("memory.workload.zipf_exponent")
        accesses = UInt64(s.int("memory.workload.accesses"))
        warmup = s.text("memory.workload.warmup") == "touch"
        workingSetBytes = UInt64(s.int("memory.workload.working_set_mib")) << 20
        strideBytes = UInt64(s.int("memory.workload.stride_bytes"))
        accessBytes = UInt64(s.int("memory.workload.access_bytes"))
        writeFraction = s.real("memory.workload.write_fraction")
        workCycles = UInt64(s.int("memory.workload.work_cycles"))
        shared = s.text("memory.workload.shared") == "yes"
        processes = Int(s.int("memory.os.processes"))
        switchEvery = UInt64(s.int("memory.os.switch_every"))
        forkEvery = UInt64(s.int("memory.os.fork_every"))
        forkChildAccesses = UInt64(s.int("memory.os.fork_child_accesses"))
        munmapEvery = UInt64(s.int("memory.os.munmap_every"))
        munmapPages = Int(s.int("memory.os.munmap_pages"))
        quantum = UInt64(s.int("memory.os.quantum"))
        costs = MemoryCosts(s)
        clockGHz = s.real("memory.clock_ghz")
        detail = Detail(rawValue: s.text("memory.trace.detail"))!
        counterInterval = UInt64(s.int("memory.trace.counter_interval"))
    }

    /// The same run with another translation mode (the native baseline of an overhead figure).
    package func with(mode: Mode) -> MemoryConfig {
        var c = self
        c.mode = mode
        return c
    }

    /// Page size in bytes.
    package var pageBytes: UInt64 { largePages ? 2 << 20 : 4 << 10 }

    /// Rules across keys; nil when the scenario is consistent.
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? {
        let ws = s.int("memory.workload.working_set_mib"), mem = s.int("memory.guest_memory_mib")
        let procs = s.text("memory.workload.shared") == "yes" ? 1 : s.int("memory.os.processes")
        if ws * procs > mem / 2 {
            let fit = "must fit in half of memory.guest_memory_mib (\(mem) MiB), leaving room for the kernel, page tables and copies"
            return ("memory.workload.working_set_mib", procs > 1
                ? "is \(ws) MiB for each of \(procs) processes (memory.os.processes; memory.workload.shared: yes makes them share one) but all of them \(fit)"
                : "is \(ws) MiB but \(fit)")
        }
        for key in ["memory.tlb.walk_cache_entries", "memory.tlb.nested_tlb_entries"] where s.int(key) % 4 != 0 {
            return (key, "must be a multiple of 4 (the caches are 4-way), got \(s.int(key))")
        }
        let l2 = s.int("memory.tlb.l2_sets")
        if l2 != 0 && l2 & (l2 - 1) != 0 { return ("memory.tlb.l2_sets", "must be 0 or a power of two, got \(l2)") }
        if (l2 == 0) != (s.int("memory.tlb.l2_ways") == 0) {
            return ("memory.tlb.l2_ways", "and memory.tlb.l2_sets must both be 0 (no second-level TLB) or both above 0")
        }
        if s.text("memory.page_size") == "2MiB", ws < 2 { return ("memory.workload.working_set_mib", "must be at least 2 MiB with 2 MiB pages") }
        return nil
    }
}

/// Cycle costs of the memory model; every one is a scenario key under `memory.costs`.
package struct MemoryCosts: Sendable, Hashable {
    package var tlbHit: UInt64
    package var l2TLBHit: UInt64
    package var walkRef: UInt64
    package var walkCacheHit: UInt64
    package var vmExit: UInt64
    package var shadowUpdate: UInt64
    package var shadowFill: UInt64
    package var shadowRootSwitch: UInt64
    package var shadowRootBuild: UInt64
    package var eptFill: UInt64
    package var guestFault: UInt64
    package var pteWrite: UInt64
    package var cowCopy: UInt64
    package var contextSwitch: UInt64
    package var fork: UInt64
    package var invlpg: UInt64
    package var ipi: UInt64

    static let keys: [ScenarioKey] = [
        ScenarioKey("memory.costs.tlb_hit_cycles", .integer(0...1_000), default: .integer(1), "cycles of an L1 TLB hit"),
        ScenarioKey("memory.costs.l2_tlb_hit_cycles", .integer(0...1_000), default: .integer(7), "cycles of a second-level TLB hit"),
        ScenarioKey("memory.costs.walk_ref_cycles", .integer(1...10_000), default: .integer(30),
                    "cycles of one page-walk memory reference (mostly cache hits)"),
        ScenarioKey("memory.costs.walk_cache_hit_cycles", .integer(0...1_000), default: .integer(2), "cycles of a page-walk-cache hit"),
        ScenarioKey("memory.costs.vm_exit_cycles", .integer(0...100_000), default: .integer(1_500),
                    "a VM exit plus the entry back (hardware round trip, before any handler work)"),
        ScenarioKey("memory.costs.shadow_update_cycles", .integer(0...1_000_000), default: .integer(1_000),
                    "VMM work to emulate a trapped guest PTE write and update the shadow entry"),
        ScenarioKey("memory.costs.shadow_fill_cycles", .integer(0...1_000_000), default: .integer(500),
                    "VMM bookkeeping to fill a missing shadow entry (plus its software walk of the guest table)"),
        ScenarioKey("memory.costs.shadow_root_switch_cycles", .integer(0...1_000_000), default: .integer(300),
                    "VMM work to switch to a cached shadow root on a guest CR3 write"),
        ScenarioKey("memory.costs.shadow_root_build_cycles", .integer(0...10_000_000), default: .integer(3_000),
                    "VMM work to start a new shadow table when the root is not cached"),
        ScenarioKey("memory.costs.ept_fill_cycles", .integer(0...1_000_000), default: .integer(2_000),
                    "VMM work on an EPT violation: back the guest page with a host page and fill the entry"),
        ScenarioKey("memory.costs.guest_fault_cycles", .integer(0...10_000_000), default: .integer(3_000),
                    "guest kernel work on a demand-paging fault"),
        ScenarioKey("memory.costs.pte_write_cycles", .integer(0...100_000), default: .integer(20), "a guest store to a page-table entry"),
        ScenarioKey("memory.costs.cow_copy_cycles", .integer(0...10_000_000), default: .integer(1_500), "copying a 4 KiB page on a copy-on-write fault"),
        ScenarioKey("memory.costs.context_switch_cycles", .integer(0...10_000_000), default: .integer(2_000),
                    "guest kernel work of a context switch (besides the CR3 write)"),
        ScenarioKey("memory.costs.fork_cycles", .integer(0...100_000_000), default: .integer(20_000),
                    "guest kernel work of a fork besides copying page-table entries"),
        ScenarioKey("memory.costs.invlpg_cycles", .integer(0...100_000), default: .integer(100), "an INVLPG instruction"),
        ScenarioKey("memory.costs.ipi_cycles", .integer(0...1_000_000), default: .integer(2_000),
                    "sending and handling one TLB-shootdown interrupt"),
    ]

    init(_ s: Scenario) {
        func c(_ k: String) -> UInt64 { UInt64(s.int("memory.costs.\(k)_cycles")) }
        tlbHit = c("tlb_hit")
        l2TLBHit = c("l2_tlb_hit")
        walkRef = c("walk_ref")
        walkCacheHit = c("walk_cache_hit")
        vmExit = c("vm_exit")
        shadowUpdate = c("shadow_update")
        shadowFill = c("shadow_fill")
        shadowRootSwitch = c("shadow_root_switch")
        shadowRootBuild = c("shadow_root_build")
        eptFill = c("ept_fill")
        guestFault = c("guest_fault")
        pteWrite = c("pte_write")
        cowCopy = c("cow_copy")
        contextSwitch = c("context_switch")
        fork = c("fork")
        invlpg = c("invlpg")
        ipi = c("ipi")
    }
}
