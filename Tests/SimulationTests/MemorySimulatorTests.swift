import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat
import Vocabulary

/// Builds scenarios from overrides and runs them, with or without a trace.
enum MemoryRuns {
    static func scenario(_ overrides: [String: ScenarioValue], seed: UInt64 = 1) throws -> Scenario {
        try Preset(name: "t", topic: .memory, summary: "test", seed: seed, overrides: overrides).scenario()
    }

    static func run(_ overrides: [String: ScenarioValue], seed: UInt64 = 1) throws -> MemorySimulator.Result {
        let s = try scenario(overrides, seed: seed)
        return try MemorySimulator(config: MemoryConfig(s), seed: s.seed).run(writer: nil)
    }

    /// Runs into a real trace and returns the result and the file's bytes.
    static func traced(_ overrides: [String: ScenarioValue], seed: UInt64 = 1) throws -> (MemorySimulator.Result, [UInt8]) {
        let s = try scenario(overrides, seed: seed)
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-mem-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
        let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
        let result = try sim.run(writer: writer)
        try writer.close(summary: sim.metrics(result))
        return (result, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func preset(_ name: String) throws -> MemorySimulator.Result {
        let s = try Preset.named(name)!.scenario()
        return try MemorySimulator(config: MemoryConfig(s), seed: s.seed).run(writer: nil)
    }
}

/// The qualitative results the literature reports, on the shipped presets with their fixed seeds.
struct PublishedOutcomeTests {
    @Test func forkHeavyNestedIsMuchFasterThanShadow() throws {
        let shadow = try MemoryRuns.preset("fork-heavy-shadow"), nested = try MemoryRuns.preset("fork-heavy-nested")
        expectLess(nested.cycles * 2, shadow.cycles)
        expectLess(nested.overhead * 3, shadow.overhead)
    }

    @Test func tlbThrashNestedIsSlowerThanShadowAndLargePagesNarrowTheGap() throws {
        let shadow = try MemoryRuns.preset("tlb-thrash-shadow"), nested = try MemoryRuns.preset("tlb-thrash-nested")
        expectGreater(nested.cycles, shadow.cycles)
        let shadow2m = try MemoryRuns.preset("tlb-thrash-2m-shadow"), nested2m = try MemoryRuns.preset("tlb-thrash-2m-nested")
        let gap4k = nested.overhead - shadow.overhead
        let gap2m = abs(nested2m.overhead - shadow2m.overhead)
        expectLess(gap2m, gap4k / 10)
    }

    @Test func computeBoundStaysCloseToNative() throws {
        for mode in ["shadow", "nested"] {
            let r = try MemoryRuns.preset("compute-bound-\(mode)")
            expectLess(r.overhead, 0.15, "\(mode): \(r.overhead)")
        }
    }

    /// KVM keeps evicted roots' shadow pages: context switches cost shadow paging one CR3 exit
    /// each, and its walks stay short — nested paging pays for 8 address spaces' TLB misses. Only
    /// when the hypervisor keeps too few shadow pages does every switch rebuild a table (the
    /// textbook worst case, and VirtLab's model before KVM's hash: 1,030 %).
    @Test func contextSwitchesCostShadowAnExitEachUnlessItsShadowPagesAreZapped() throws {
        let shadow = try MemoryRuns.preset("context-switch-heavy-shadow"), nested = try MemoryRuns.preset("context-switch-heavy-nested")
        let tight = try MemoryRuns.preset("context-switch-tight-shadow")
        expectGreater(shadow.exits(.cr3Write), 900)
        expectEqual(shadow.exits(.cr3Write), tight.exits(.cr3Write))
        expectEqual(nested.exits(.cr3Write), 0)
        expectEqual(shadow.totals.shadowRootsBuilt, 8)
        expectEqual(shadow.totals.shadowTablesZapped, 0)
        expectLess(shadow.cycles, nested.cycles)
        expectGreater(tight.totals.shadowTablesZapped, 900)
        expectGreater(tight.totals.shadowRootsBuilt, 900)
        expectGreater(tight.cycles, 2 * nested.cycles)
        expectGreater(tight.cycles, 5 * shadow.cycles)
    }
}

struct MemoryTraceTests {
    @Test func sameSeedSameTraceDifferentSeedDifferentRun() throws {
        let o: [String: ScenarioValue] = ["memory.mode": .text("shadow"), "memory.workload.accesses": .integer(100_000),
                                          "memory.workload.working_set_mib": .integer(2)]
        let a = try MemoryRuns.traced(o, seed: 5), b = try MemoryRuns.traced(o, seed: 5), c = try MemoryRuns.traced(o, seed: 6)
        expectEqual(a.1, b.1)
        #expect(a.1 != c.1)
    }

    @Test func traceHoldsExitsFaultsAndCountersThatAddUp() throws {
        let (r, bytes) = try MemoryRuns.traced(["memory.mode": .text("shadow"), "memory.workload.accesses": .integer(200_000),
                                                "memory.workload.working_set_mib": .integer(2), "memory.os.fork_every": .integer(50_000),
                                                "memory.trace.counter_interval": .integer(10_000), "memory.trace.detail": .text("walks")])
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-mem-read-\(UUID().uuidString).vlt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        var faults: UInt64 = 0, walks: UInt64 = 0, exits: UInt64 = 0, exitNs: UInt64 = 0
        var lastCounters: [UInt64] = []
        try reader.scan { e in
            switch e.kind {
            case MemoryEvents.pageFault: faults += 1
            case MemoryEvents.pageWalk: walks += 1
            case MemoryEvents.vmExit: exits += 1; exitNs += e.fields[1]
            case MemoryEvents.counters: lastCounters = Array(e.fields)
            default: break
            }
        }
        expectEqual(faults, r.pageFaults + r.totals.cowFaults)
        expectEqual(walks, r.totals.walks)
        expectEqual(exits, r.totalExits)
        expectEqual(lastCounters, [r.accesses, r.tlbHits, r.tlbMisses, r.walkRefs, r.pageFaults, r.totalExits])
        let metrics = try #require(reader.summary)
        expectEqual(metrics.first { $0.name == "exits_pt_write" }?.value, Double(r.exits(.ptWrite)))
        expectEqual(metrics.first { $0.name == "overhead_vs_native" }.map { $0.value > 0 }, true)
    }
}

struct NativeBaselineCacheTests {
    @Test func aRememberedBaselineIsExactlyTheSimulatedOne() throws {
        // A configuration no other test uses, so the first run below must simulate its baseline.
        let o: [String: ScenarioValue] = ["memory.mode": .text("shadow"), "memory.workload.accesses": .integer(30_011),
                                          "memory.workload.working_set_mib": .integer(3)]
        let s = try MemoryRuns.scenario(o, seed: 77)
        let config = MemoryConfig(s)
        expectEqual(NativeBaselines.shared.cycles(config.with(mode: .native), seed: 77), nil)
        let first = try MemoryRuns.run(o, seed: 77)
        expectEqual(NativeBaselines.shared.cycles(config.with(mode: .native), seed: 77), first.nativeCycles)
        let again = try MemoryRuns.run(o, seed: 77)
        expectEqual(again.nativeCycles, first.nativeCycles)
        expectEqual(again.totals.cycles, first.totals.cycles)
        // And it equals a native run of the same workload, simulated from scratch.
        let native = try MemorySimulator.execute(config.with(mode: .native), seed: 77, writer: nil, progress: .silent)
        expectEqual(native.totals.cycles, first.nativeCycles)
        // Split the same way: a native run walks page tables and runs its kernel too.
        expectEqual(first.native, NativeBaseline(MemorySimulator.measured(native)))
        expectGreater(first.native.translationCycles, 0)
        expectGreater(first.native.guestKernelCycles, 0)
        expectLess(first.native.translationCycles + first.native.guestKernelCycles, first.native.cycles)
        // A different seed is a different baseline.
        expectEqual(NativeBaselines.shared.cycles(config.with(mode: .native), seed: 78), nil)
    }
}

/// A run whose trace cannot be written stops instead of simulating to the end: the simulators'
/// writes throw (memory, CPU, migration), and the I/O stations' writes, which cannot throw where
/// they run, leave the failure with the writer, which the run checks at its next progress point.
struct FailedTraceStopsTheRunTests {
    @Test func aMigrationRunStopsAtItsFirstFailedWrite() throws {
        // Post-copy's network faults write about 800 KB; the sink takes one 64 KiB block and a bit.
        let s = try Preset.named("postcopy-demand")!.scenario()
        let writer = try TraceWriter(sink: NoRoomSink(room: 100_000), header: try Runner.header(for: s))
        let furthest = Furthest()
        let progress = RunProgress { done, _ in furthest.done = max(furthest.done, done) }
        // Before, a migration run appended with `try?` and only `close` reported the lost trace.
        #expect(throws: TraceError.self) { _ = try MigrationSimulator(config: MigrationConfig(s), seed: s.seed).run(writer: writer, progress: progress) }
        #expect(writer.failure != nil)
    }

    @Test func aMemoryRunStopsSoonAfterItsTraceFails() throws {
        let s = try MemoryRuns.scenario(["memory.mode": .text("nested"), "memory.workload.accesses": .integer(3_000_000),
                                         "memory.workload.working_set_mib": .integer(64)])
        let writer = try TraceWriter(sink: NoRoomSink(room: 100_000), header: try Runner.header(for: s))
        let furthest = Furthest()
        let progress = RunProgress { done, _ in furthest.done = max(furthest.done, done) }
        #expect(throws: TraceError.self) { _ = try MemorySimulator(config: MemoryConfig(s), seed: s.seed).run(writer: writer, progress: progress) }
        expectLess(furthest.done, 3_000_000, "the run went on to the end after its trace failed")
    }
}

/// The warm-up: every page touched once before measuring. The measured run then holds exactly
/// the configured accesses and no first-touch fault; shadow paging on a workload that never
/// changes its page tables costs what native costs, nested paging the two-dimensional walks.
struct WarmupTests {
    static func base(_ mode: String, ws: Int, warmup: String) -> [String: ScenarioValue] {
        ["memory.mode": .text(mode), "memory.workload.working_set_mib": .integer(Int64(ws)), "memory.workload.accesses": .integer(60_000),
         "memory.workload.pattern": .text("random"), "memory.workload.warmup": .text(warmup)]
    }

    @Test(arguments: [4, 32, 96])
    func theMeasuredRunStartsWarm(ws: Int) throws {
        for mode in ["native", "shadow", "nested"] {
            let r = try MemoryRuns.run(Self.base(mode, ws: ws, warmup: "touch"))
            expectEqual(r.accesses, 60_000, "\(mode): the warm-up's accesses are not measured")
            expectEqual(r.pageFaults, 0, "\(mode) at \(ws) MiB: every page was mapped by the warm-up")
            expectEqual(r.warmup?.accesses, UInt64(ws * 256), "one write per 4 KiB page")
            expectAtLeast(r.warmup!.pageFaults, UInt64(ws * 256))
            if mode == "shadow" { expectLess(r.overhead, 0.01, "steady-state shadow paging at \(ws) MiB: \(r.overhead)") }
        }
        // Without the warm-up the same run pays first touches inside the measurement.
        let cold = try MemoryRuns.run(Self.base("shadow", ws: ws, warmup: "none"))
        expectGreater(cold.pageFaults, 0)
        #expect(cold.warmup == nil)
    }

    @Test func nestedPaysForWalksOnceTheWorkingSetOutgrowsTheTLB() throws {
        let small = try MemoryRuns.run(Self.base("nested", ws: 2, warmup: "touch"))
        let large = try MemoryRuns.run(Self.base("nested", ws: 64, warmup: "touch"))
        expectLess(small.overhead, 0.2, "\(small.overhead) → \(large.overhead)")
        expectGreater(large.overhead, 1, "\(small.overhead) → \(large.overhead)")
        expectGreater(large.tlbMisses, large.accesses / 2)
    }
}

struct MemoryMetricTests {
    /// References per walk is walk references over walks, and absent when nothing walked (a
    /// warmed 2 MiB run within the TLB's reach), never a walk of 0 references.
    @Test func referencesPerWalkOnlyWhenSomethingWalked() throws {
        for (name, walked) in [(PresetName.tlbThrash2mNested, false), (.tlbThrashNested, true)] {
            let s = try Preset.named(name).scenario()
            let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
            let r = try sim.run(writer: nil)
            let metrics = sim.metrics(r)
            let perWalk = metrics.first { $0.name == MetricName.refsPerWalk.rawValue }
            let walks = try #require(metrics.first { $0.name == MetricName.walks.rawValue }).value
            let refs = try #require(metrics.first { $0.name == MetricName.walkRefs.rawValue }).value
            expectEqual(walks > 0, walked, "\(name)")
            expectEqual(perWalk?.value, walked ? refs / walks : nil, "\(name)")
        }
        // Away from the presets: page sizes, modes and working sets where walks happen or not.
        for mode in ["native", "shadow", "nested"] {
            for (page, ws) in [("4KiB", 1), ("2MiB", 3), ("2MiB", 700), ("4KiB", 96)] {
                let s = try MemoryRuns.scenario(["memory.mode": .text(mode), "memory.page_size": .text(page), "memory.workload.working_set_mib": .integer(Int64(ws)),
                                                 "memory.workload.warmup": .text("touch"), "memory.workload.accesses": .integer(20_000)])
                let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
                let metrics = sim.metrics(try sim.run(writer: nil))
                let value = { (m: MetricName) in metrics.first { $0.name == m.rawValue }?.value }
                let walks = try #require(value(.walks))
                expectEqual(value(.refsPerWalk), walks > 0 ? value(.walkRefs)! / walks : nil, "\(mode) \(page) \(ws) MiB")
            }
        }
    }
}
