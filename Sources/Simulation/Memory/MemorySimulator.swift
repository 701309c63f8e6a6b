import TraceFormat

/// Runs a memory-access stream through a TLB and a radix page table (native mode: the guest on
/// bare metal), with demand paging, and writes faults, optional walks and counters to the trace.
package struct MemorySimulator {
    package let config: MemoryConfig
    package let seed: UInt64

    package init(config: MemoryConfig, seed: UInt64) {
        self.config = config
        self.seed = seed
    }

    /// Running totals of a run.
    package struct Totals: Equatable, Sendable {
        package var accesses: UInt64 = 0
        package var tlbHits: UInt64 = 0
        package var tlbMisses: UInt64 = 0
        package var walkRefs: UInt64 = 0
        package var pageFaults: UInt64 = 0
        package var cycles: UInt64 = 0
        package var translationCycles: UInt64 = 0
        package var faultCycles: UInt64 = 0
        package var pageTablePages: UInt64 = 0
    }

    /// Simulates the whole workload.
    /// - Returns: the totals; the trace receives the events.
    package func run(writer: TraceWriter, progress: RunProgress = .silent) throws -> Totals {
        let c = config
        var tlb = TLB(sets: c.tlbSets, ways: c.tlbWays)
        var table = RadixPageTable(levels: c.levels, largePages: c.largePages)
        var rng = SplitMix64.derived(seed: seed, stream: 1)
        let clock = CycleClock(ghz: c.clockGHz)
        // The working set sits in the upper half of the canonical lower address space.
        let base = UInt64(1) << UInt64(12 + 9 * c.levels - 2)
        let pageShift: UInt64 = c.largePages ? 21 : 12
        let lines = max(1, c.workingSetBytes / c.accessBytes)
        let detailed = c.detail == .walks
        var t = Totals()
        var nextFrame: UInt64 = 1
        var cursor: UInt64 = 0
        let progressStep: UInt64 = 1 << 20

        for i in 0..<c.accesses {
            let offset: UInt64
            switch c.pattern {
            case .sequential: offset = (i % lines) &* c.accessBytes
            case .strided:
                offset = cursor
                cursor = (cursor &+ c.strideBytes) % c.workingSetBytes
            case .random: offset = rng.below(lines) &* c.accessBytes
            }
            let address = base &+ offset
            let page = address >> pageShift
            if tlb.lookup(page) {
                t.tlbHits &+= 1
                t.cycles &+= c.tlbHitCycles
                t.translationCycles &+= c.tlbHitCycles
            } else {
                t.tlbMisses &+= 1
                var walk = table.walk(address)
                if walk.frame == nil {
                    // Demand paging: the guest kernel allocates a frame, writes the PTE, and the access retries.
                    t.pageFaults &+= 1
                    t.walkRefs &+= UInt64(walk.refs)
                    t.translationCycles &+= UInt64(walk.refs) &* c.walkRefCycles
                    t.cycles &+= UInt64(walk.refs) &* c.walkRefCycles &+ c.guestFaultCycles
                    t.faultCycles &+= c.guestFaultCycles
                    t.pageTablePages &+= UInt64(table.map(address, frame: nextFrame))
                    nextFrame &+= 1
                    try writer.append(MemoryEvents.pageFault, at: clock.nanoseconds(t.cycles), page, 0, 0)
                    walk = table.walk(address)
                }
                t.walkRefs &+= UInt64(walk.refs)
                t.translationCycles &+= UInt64(walk.refs) &* c.walkRefCycles
                t.cycles &+= UInt64(walk.refs) &* c.walkRefCycles
                tlb.insert(page)
                if detailed {
                    try writer.append(MemoryEvents.pageWalk, at: clock.nanoseconds(t.cycles), page, UInt64(walk.refs), 0)
                }
            }
            t.accesses = i &+ 1
            if t.accesses % c.counterInterval == 0 { try writeCounters(t, writer, clock) }
            if t.accesses % progressStep == 0 { progress.update(t.accesses, of: c.accesses) }
        }
        if t.accesses % c.counterInterval != 0 { try writeCounters(t, writer, clock) }
        t.pageTablePages &+= 1 // the root
        progress.update(c.accesses, of: c.accesses)
        return t
    }

    private func writeCounters(_ t: Totals, _ writer: TraceWriter, _ clock: CycleClock) throws {
        let fields = [t.accesses, t.tlbHits, t.tlbMisses, t.walkRefs, t.pageFaults]
        try fields.withUnsafeBufferPointer { try writer.append(MemoryEvents.counters, at: clock.nanoseconds(t.cycles), $0) }
    }

    /// The results summary written into the trace.
    package func metrics(_ t: Totals) -> [Metric] {
        let clock = CycleClock(ghz: config.clockGHz)
        let a = Double(max(t.accesses, 1))
        return [
            Metric("accesses", Double(t.accesses), "count"),
            Metric("tlb_hits", Double(t.tlbHits), "count"),
            Metric("tlb_misses", Double(t.tlbMisses), "count"),
            Metric("tlb_hit_rate", Double(t.tlbHits) / a, "ratio"),
            Metric("walk_refs", Double(t.walkRefs), "count"),
            // A faulting access walks twice: once to find the PTE missing, once after the guest fills it.
            Metric("refs_per_walk", t.tlbMisses == 0 ? 0 : Double(t.walkRefs) / Double(t.tlbMisses + t.pageFaults), "refs"),
            Metric("page_faults", Double(t.pageFaults), "count"),
            Metric("page_table_pages", Double(t.pageTablePages), "pages"),
            Metric("total_cycles", Double(t.cycles), "cycles"),
            Metric("translation_cycles", Double(t.translationCycles), "cycles"),
            Metric("guest_fault_cycles", Double(t.faultCycles), "cycles"),
            Metric("cycles_per_access", Double(t.cycles) / a, "cycles"),
            Metric("sim_time_ns", Double(clock.nanoseconds(t.cycles)), "ns"),
        ]
    }
}
