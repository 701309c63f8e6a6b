/// The parameters of a memory run, read from a scenario's `memory` section.
///
/// Every default is cited in `docs/models.md`.
package struct MemoryConfig: Sendable, Equatable {
    package enum Mode: String, Sendable, CaseIterable { case native }
    package enum Pattern: String, Sendable, CaseIterable { case sequential, strided, random }
    package enum Detail: String, Sendable, CaseIterable { case normal = "default", walks }

    package var mode: Mode
    /// Page-table levels (x86-64: 4, or 5 with LA57).
    package var levels: Int
    /// True for 2 MiB pages (the walk stops one level early).
    package var largePages: Bool
    package var guestMemoryBytes: UInt64
    package var tlbSets: Int
    package var tlbWays: Int
    package var pattern: Pattern
    package var accesses: UInt64
    package var workingSetBytes: UInt64
    package var strideBytes: UInt64
    package var accessBytes: UInt64
    package var tlbHitCycles: UInt64
    package var walkRefCycles: UInt64
    package var guestFaultCycles: UInt64
    package var clockGHz: Double
    package var detail: Detail
    package var counterInterval: UInt64

    /// The `memory` section's keys, defaults and help.
    package static let keys: [ScenarioKey] = [
        ScenarioKey("memory.mode", .choice(Mode.allCases.map(\.rawValue)), default: .text("native"),
                    "how guest addresses are translated (native: the guest on bare metal)"),
        ScenarioKey("memory.levels", .integer(2...5), default: .integer(4), "page-table levels (x86-64: 4; 5 with LA57)"),
        ScenarioKey("memory.page_size", .choice(["4KiB", "2MiB"]), default: .text("4KiB"), "page size of the working set"),
        ScenarioKey("memory.guest_memory_mib", .integer(16...1_048_576), default: .integer(4_096), "guest-physical memory"),
        ScenarioKey("memory.tlb.sets", .integer(1...4_096, powerOfTwo: true), default: .integer(16), "TLB sets"),
        ScenarioKey("memory.tlb.ways", .integer(1...32), default: .integer(4), "TLB ways per set (LRU)"),
        ScenarioKey("memory.workload.pattern", .choice(Pattern.allCases.map(\.rawValue)), default: .text("random"),
                    "order of memory accesses over the working set"),
        ScenarioKey("memory.workload.accesses", .integer(1...10_000_000_000), default: .integer(2_000_000), "memory accesses to simulate"),
        ScenarioKey("memory.workload.working_set_mib", .integer(1...1_048_576), default: .integer(64), "bytes the workload touches"),
        ScenarioKey("memory.workload.stride_bytes", .integer(1...1_073_741_824), default: .integer(4_096), "step of the strided pattern"),
        ScenarioKey("memory.workload.access_bytes", .integer(1...4_096, powerOfTwo: true), default: .integer(64),
                    "size of one access (a cache line); the sequential step"),
        ScenarioKey("memory.costs.tlb_hit_cycles", .integer(0...1_000), default: .integer(1), "cycles of a TLB hit"),
        ScenarioKey("memory.costs.walk_ref_cycles", .integer(1...10_000), default: .integer(30),
                    "cycles of one page-walk memory reference (mostly cache hits)"),
        ScenarioKey("memory.costs.guest_fault_cycles", .integer(0...10_000_000), default: .integer(3_000),
                    "cycles the guest kernel spends on a demand-paging fault"),
        ScenarioKey("memory.clock_ghz", .real(0.1...10), default: .real(3.0), "CPU clock that turns cycles into time"),
        ScenarioKey("memory.trace.detail", .choice(Detail.allCases.map(\.rawValue)), default: .text("default"),
                    "default: faults and counters; walks: also one event per page walk"),
        ScenarioKey("memory.trace.counter_interval", .integer(1_000...1_000_000_000), default: .integer(65_536),
                    "accesses between two counter samples"),
    ]

    package init(_ s: Scenario) {
        mode = Mode(rawValue: s.text("memory.mode"))!
        levels = Int(s.int("memory.levels"))
        largePages = s.text("memory.page_size") == "2MiB"
        guestMemoryBytes = UInt64(s.int("memory.guest_memory_mib")) << 20
        tlbSets = Int(s.int("memory.tlb.sets"))
        tlbWays = Int(s.int("memory.tlb.ways"))
        pattern = Pattern(rawValue: s.text("memory.workload.pattern"))!
        accesses = UInt64(s.int("memory.workload.accesses"))
        workingSetBytes = UInt64(s.int("memory.workload.working_set_mib")) << 20
        strideBytes = UInt64(s.int("memory.workload.stride_bytes"))
        accessBytes = UInt64(s.int("memory.workload.access_bytes"))
        tlbHitCycles = UInt64(s.int("memory.costs.tlb_hit_cycles"))
        walkRefCycles = UInt64(s.int("memory.costs.walk_ref_cycles"))
        guestFaultCycles = UInt64(s.int("memory.costs.guest_fault_cycles"))
        clockGHz = s.real("memory.clock_ghz")
        detail = Detail(rawValue: s.text("memory.trace.detail"))!
        counterInterval = UInt64(s.int("memory.trace.counter_interval"))
    }

    /// Page size in bytes.
    package var pageBytes: UInt64 { largePages ? 2 << 20 : 4 << 10 }

    /// Rules across keys; nil when the scenario is consistent.
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? {
        let ws = s.int("memory.workload.working_set_mib"), mem = s.int("memory.guest_memory_mib")
        if ws > mem / 2 {
            return ("memory.workload.working_set_mib",
                    "is \(ws) MiB but must be at most half of memory.guest_memory_mib (\(mem) MiB), leaving room for the kernel and page tables")
        }
        return nil
    }
}
