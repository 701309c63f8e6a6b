import Synchronization
import TraceFormat
import Vocabulary

/// Runs a memory workload on a simulated VM in native, shadow or nested mode, writing faults,
/// exits, flushes, switches and counters to the trace; for the virtualized modes it first runs
/// the identical workload natively (same seed) to measure the overhead.
package struct MemorySimulator {
    package let config: MemoryConfig
    package let seed: UInt64

    package init(config: MemoryConfig, seed: UInt64) {
        self.config = config
        self.seed = seed
    }

    /// The figures of one run.
    package struct Result {
        /// What was measured (after the warm-up, when there is one).
        var totals: MemoryTotals
        var machine: MemoryMachine
        /// The warm-up's own tally (nil without one).
        var warmup: MemoryTotals?
        /// The same workload run natively (this run's own totals for a native run).
        package var native: NativeBaseline
        /// Cycles of the same workload run natively (equal to `totals.cycles` for a native run).
        package var nativeCycles: UInt64 { native.cycles }

        package var accesses: UInt64 { totals.accesses }
        package var cycles: UInt64 { totals.cycles }
        package var tlbHits: UInt64 { totals.tlbHits }
        package var tlbMisses: UInt64 { totals.tlbMisses }
        package var walkRefs: UInt64 { totals.walkRefs }
        package var pageFaults: UInt64 { totals.pageFaults }
        package var pteWrites: UInt64 { totals.pteWrites }
        package var shadowPagesPeak: Int { totals.shadowPagesPeak }
        package var nestedTablePages: Int { machine.c.mode == .nested ? machine.ept.nodeCount : 0 }
        package func exits(_ reason: MemoryEvents.ExitReason) -> UInt64 { totals.exits[reason.rawValue] }
        package var totalExits: UInt64 { totals.totalExits }
        /// Extra time over native, as a fraction (0.25 = 25 % slower).
        package var overhead: Double { Double(totals.cycles) / Double(max(nativeCycles, 1)) - 1 }
    }

    /// Simulates the whole workload into `writer` (with, for shadow and nested, a silent native run first).
    package func run(writer: TraceWriter?, progress: RunProgress = .silent) throws -> Result {
        var baseline: NativeBaseline?
        let native = config.with(mode: .native)
        if config.mode != .native {
            if let known = NativeBaselines.shared.baseline(native, seed: seed) {
                baseline = known
            } else {
                let m = try Self.execute(native, seed: seed, writer: nil, progress: .silent)
                baseline = NativeBaseline(Self.measured(m))
                NativeBaselines.shared.store(baseline!, native, seed: seed)
            }
        }
        let machine = try Self.execute(config, seed: seed, writer: writer, progress: progress)
        let totals = Self.measured(machine)
        if config.mode == .native { NativeBaselines.shared.store(NativeBaseline(totals), native, seed: seed) }
        return Result(totals: totals, machine: machine, warmup: machine.warmupTotals, native: baseline ?? NativeBaseline(totals))
    }

    /// The run's totals after its warm-up.
    static func measured(_ m: MemoryMachine) -> MemoryTotals {
        m.warmupTotals.map { m.totals.since($0) } ?? m.totals
    }

    /// One pass of the workload with no native baseline (for `virtlab bench sim`).
    /// - Returns: the accesses simulated.
    package static func benchmarkPass(_ c: MemoryConfig, seed: UInt64, writer: TraceWriter?) throws -> UInt64 {
        try execute(c, seed: seed, writer: writer, progress: .silent).totals.accesses
    }

    /// One pass of the workload. Random choices come only from the workload and OS streams, never
    /// from the mode, so every mode sees exactly the same accesses and OS activity.
    static func execute(_ c: MemoryConfig, seed: UInt64, writer: TraceWriter?, progress: RunProgress) throws -> MemoryMachine {
        var m = MemoryMachine(config: c, writer: writer)
        var stream = Stream(workload: MemoryWorkload(c), rng: SplitMix64.derived(seed: seed, stream: 1), writeFraction: c.writeFraction)
        var osRNG = SplitMix64.derived(seed: seed, stream: 2)
        try m.boot()
        var v = 0
        var quantumLeft = c.quantum
        var sinceSwitch = [UInt64](repeating: 0, count: c.vcpus)
        var nextPid = c.processes % max(c.processes, 1)
        let pages = max(1, c.workingSetBytes >> m.pageShift)
        let progressStep: UInt64 = 1 << 20
        // Countdowns instead of `i % every`: a 64-bit division per access is measurable.
        var nextFork = c.forkEvery > 0 ? c.forkEvery : .max
        var nextMunmap = c.munmapEvery > 0 ? c.munmapEvery : .max
        if c.warmup {
            // Every process writes each page of its working set once, as a program initialises
            // its data; then the measured run starts from a warm machine.
            for p in 0..<c.processes where p == 0 || !c.shared {
                if m.running[0] != p { try m.contextSwitch(0, to: p) }
                var offset: UInt64 = 0
                while offset < c.workingSetBytes {
                    try m.access(m.base &+ offset, write: true, vcpu: 0)
                    m.totals.cycles &+= c.workCycles
                    m.totals.accesses &+= 1
                    offset &+= UInt64(1) << m.pageShift
                }
            }
            if m.running[0] != 0 % max(c.processes, 1) { try m.contextSwitch(0, to: 0) }
            m.warmupTotals = m.totals
            m.nextCounterSample = m.totals.accesses &+ c.counterInterval
        }
        // A sample where the measured run starts, so the counter lanes begin with it.
        try m.writeCounters()

        for i in 1...c.accesses {
            if c.vcpus > 1 {
                if quantumLeft == 0 { v = (v + 1) % c.vcpus; quantumLeft = c.quantum }
                quantumLeft &-= 1
            }
            try stream.step(&m, v)
            if c.switchEvery > 0 {
                sinceSwitch[v] &+= 1
                if sinceSwitch[v] == c.switchEvery, c.processes > 1 {
                    sinceSwitch[v] = 0
                    nextPid = (nextPid + 1) % c.processes
                    try m.contextSwitch(v, to: nextPid == m.running[v] ? (nextPid + 1) % c.processes : nextPid)
                }
            }
            if i == nextFork {
                nextFork &+= c.forkEvery
                try m.fork(v, childAccesses: c.forkChildAccesses) { machine, vcpu in try stream.step(&machine, vcpu) }
            }
            if i == nextMunmap {
                nextMunmap &+= c.munmapEvery
                let count = min(UInt64(c.munmapPages), pages)
                try m.munmap(v, firstPage: osRNG.below(pages - count + 1), pages: Int(count))
            }
            if i % progressStep == 0 {
                progress.update(i, of: c.accesses)
            }
        }
        if m.totals.accesses != m.nextCounterSample - c.counterInterval { try m.writeCounters() }
        progress.update(c.accesses, of: c.accesses)
        return m
    }

    /// The access stream with its generator; one step is one access (and its counter sample).
    struct Stream {
        var workload: MemoryWorkload
        var rng: SplitMix64
        /// A write when a 64-bit draw falls below this (write_fraction × 2^64), no floating point per access.
        let writeThreshold: UInt64
        let alwaysWrite: Bool

        init(workload: MemoryWorkload, rng: SplitMix64, writeFraction: Double) {
            self.workload = workload
            self.rng = rng
            alwaysWrite = writeFraction >= 1
            writeThreshold = writeFraction <= 0 || writeFraction >= 1 ? 0 : UInt64(writeFraction * 0x1p64)
        }

        @inline(__always)
        mutating func step(_ m: inout MemoryMachine, _ v: Int) throws {
            let offset = workload.next(&rng)
            let write = alwaysWrite || (writeThreshold != 0 && rng.next() < writeThreshold)
            try m.access(m.base &+ offset, write: write, vcpu: v)
            m.totals.cycles &+= m.c.workCycles
            m.totals.accesses &+= 1
            if m.totals.accesses == m.nextCounterSample {
                m.nextCounterSample &+= m.c.counterInterval
                try m.writeCounters()
            }
        }
    }

    /// The results summary written into the trace.
    package func metrics(_ r: Result) -> [Metric] {
        let t = r.totals
        let clock = CycleClock(ghz: config.clockGHz)
        let a = Double(max(t.accesses, 1))
        var out: [Metric] = [
            Metric(.accesses, Double(t.accesses)),
            Metric(.totalCycles, Double(t.cycles)),
            Metric(.simTimeNs, Double(clock.nanoseconds(t.cycles))),
            Metric(.cyclesPerAccess, Double(t.cycles) / a),
            Metric(.nativeCycles, Double(r.nativeCycles)),
            Metric(.nativeTranslationCycles, Double(r.native.translationCycles)),
            Metric(.nativeGuestKernelCycles, Double(r.native.guestKernelCycles)),
            Metric(.overheadVsNative, r.overhead * 100),
            Metric(.tlbHits, Double(t.tlbHits)),
            Metric(.tlbMisses, Double(t.tlbMisses)),
            Metric(.tlbHitRate, Double(t.tlbHits) / a),
            Metric(.walks, Double(t.walks)),
            Metric(.walkRefs, Double(t.walkRefs)),
        ]
        // References per walk only when something walked: 0 / 0 is no value, and a page or table
        // then shows "–" rather than a walk of 0 references.
        if t.walks > 0 { out.append(Metric(.refsPerWalk, Double(t.walkRefs) / Double(t.walks))) }
        out += [
            Metric(.walkCacheHits, Double(t.walkCacheHits)),
            Metric(.nestedTlbHits, Double(t.nestedTLBHits)),
            Metric(.translationCycles, Double(t.translationCycles)),
            Metric(.guestKernelCycles, Double(t.guestKernelCycles)),
            Metric(.vmmCycles, Double(t.vmmCycles)),
            Metric(.pageFaults, Double(t.pageFaults)),
            Metric(.cowFaults, Double(t.cowFaults)),
            Metric(.pteWrites, Double(t.pteWrites)),
            Metric(.contextSwitches, Double(t.contextSwitches)),
            Metric(.forks, Double(t.forks)),
            Metric(.munmaps, Double(t.munmaps)),
            Metric(.tlbShootdowns, Double(t.shootdowns)),
            Metric(.mmuLockWaitCycles, Double(t.mmuLockWait)),
            Metric(.remoteTlbFlushes, Double(t.remoteFlushes)),
            Metric(.vmExits, Double(t.totalExits)),
            Metric(.exitsPer1kAccesses, Double(t.totalExits) * 1_000 / a),
        ]
        for reason in MemoryEvents.ExitReason.allCases where t.exits[reason.rawValue] > 0 {
            out.append(Metric(.exits, reason.name, Double(t.exits[reason.rawValue])))
            out.append(Metric(.exitCycles, reason.name, Double(t.exitCycles[reason.rawValue])))
        }
        out += [
            Metric(.eptViolations, Double(t.eptViolations)),
            Metric(.shadowPagesPeak, Double(t.shadowPagesPeak)),
            Metric(.shadowBytesPeak, Double(t.shadowPagesPeak * 4_096)),
            Metric(.shadowRootsBuilt, Double(t.shadowRootsBuilt)),
            Metric(.shadowRootsReloaded, Double(t.shadowRootsReloaded)),
            Metric(.shadowTablesZapped, Double(t.shadowTablesZapped)),
            Metric(.nestedTablePages, Double(r.nestedTablePages)),
            Metric(.guestTablePages, Double(r.machine.procs.reduce(0) { $0 + $1.table.nodeCount })),
        ]
        if let w = r.warmup {
            // The warm-up, apart: every metric above describes the measured run after it.
            out += [Metric(.warmupAccesses, Double(w.accesses)), Metric(.warmupPageFaults, Double(w.pageFaults)),
                    Metric(.warmupVmExits, Double(w.totalExits)), Metric(.warmupCycles, Double(w.cycles))]
        }
        return out
    }
}

extension MemoryMachine {
    /// A counter sample: running totals, delta-coded in the trace.
    func writeCounters() throws {
        guard let w = writer else { return }
        let t = totals
        let fields = [t.accesses, t.tlbHits, t.tlbMisses, t.walkRefs, t.pageFaults, t.totalExits]
        try fields.withUnsafeBufferPointer { try w.append(MemoryEvents.counters, at: clock.nanoseconds(t.cycles), $0) }
    }
}

/// The same workload run natively: its cycles and where the page walks and the guest kernel
/// took some of them (so a figure can split the native bar like the virtualized one).
package struct NativeBaseline: Sendable, Equatable {
    package var cycles: UInt64
    package var translationCycles: UInt64
    package var guestKernelCycles: UInt64

    init(_ t: MemoryTotals) {
        cycles = t.cycles
        translationCycles = t.translationCycles
        guestKernelCycles = t.guestKernelCycles
    }
}

/// Native baselines already simulated in this process, by configuration and seed: the course
/// runs each workload natively, under shadow and under nested paging, and the two virtualized
/// runs need the same native run the native preset makes. A native run is deterministic, so a
/// remembered result is exactly what simulating it again would give. Bounded (oldest out first).
final class NativeBaselines: Sendable {
    static let shared = NativeBaselines()
    private struct Key: Hashable { var config: MemoryConfig; var seed: UInt64 }
    private let table = Mutex<(values: [Key: NativeBaseline], order: [Key])>(([:], []))
    private let limit = 256

    func baseline(_ config: MemoryConfig, seed: UInt64) -> NativeBaseline? {
        table.withLock { $0.values[Key(config: config, seed: seed)] }
    }

    func cycles(_ config: MemoryConfig, seed: UInt64) -> UInt64? { baseline(config, seed: seed)?.cycles }

    func store(_ baseline: NativeBaseline, _ config: MemoryConfig, seed: UInt64) {
        let key = Key(config: config, seed: seed)
        table.withLock { t in
            guard t.values.updateValue(baseline, forKey: key) == nil else { return }
            t.order.append(key)
            if t.order.count > limit { t.values[t.order.removeFirst()] = nil }
        }
    }
}
