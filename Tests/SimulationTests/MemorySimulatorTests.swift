import Foundation
import Testing
@testable import Simulation
@testable import TraceFormat

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

@Suite struct PageTableAndTLBTests {
    @Test(arguments: [2, 3, 4, 5])
    func coldNativeWalkCostsOneReferencePerLevel(levels: Int) {
        var table = RadixPageTable(levels: levels, largePages: false)
        let address: UInt64 = 0x1234_5000
        #expect(!table.walk(address).present)
        table.map(address, frame: 7, writable: true)
        let walk = table.walk(address)
        #expect(walk.refs == levels)
        #expect(walk.frame == 7)
        #expect(walk.writable)
    }

    @Test func largePagesShortenTheWalkByOneLevel() {
        var table = RadixPageTable(levels: 4, largePages: true)
        table.map(0x4020_0000, frame: 3, writable: false)
        #expect(table.walk(0x4020_0000).refs == 3)
        #expect(table.walk(0x4020_0000 + 0x1F_FFFF).frame == 3)
        #expect(!table.walk(0x4020_0000).writable)
    }

    @Test func missingUpperTableStopsTheWalkEarly() {
        let table = RadixPageTable(levels: 4, largePages: false)
        #expect(table.walk(0xdead_b000).refs == 1)
    }

    @Test func mapReportsCreatedTablePagesAndUnmapClears() {
        var table = RadixPageTable(levels: 4, largePages: false)
        #expect(table.map(0x1000, frame: 1, writable: true) == 3)
        #expect(table.map(0x2000, frame: 2, writable: true) == 0)
        #expect(table.nodeCount == 4)
        #expect(table.unmap(0x1000) == 1)
        #expect(!table.walk(0x1000).present)
        var leaves: [UInt64] = []
        table.forEachLeaf { address, _ in leaves.append(address) }
        #expect(leaves == [0x2000])
    }

    @Test func tlbEvictsTheLeastRecentlyUsedEntryAndKeepsPermissions() {
        var tlb = TLB(sets: 1, ways: 2)
        tlb.insert(1, writable: true)
        tlb.insert(2, writable: false)
        let hit1 = tlb.lookup(1)
        tlb.insert(3, writable: true) // evicts 2, the least recently used
        let hits = [tlb.lookup(1), tlb.lookup(2), tlb.lookup(3)]
        tlb.flush()
        let afterFlush = tlb.lookup(1)
        #expect(hit1 == .writable)
        #expect(hits == [.writable, .miss, .writable])
        #expect(afterFlush == .miss)
    }

    @Test func taggedFlushDropsOnlyOneAddressSpace() {
        var tlb = TLB(sets: 4, ways: 4)
        tlb.insert(TLB.key(page: 5, tag: 1), writable: true)
        tlb.insert(TLB.key(page: 5, tag: 2), writable: true)
        tlb.flush(tag: 1)
        let a = tlb.lookup(TLB.key(page: 5, tag: 1)), b = tlb.lookup(TLB.key(page: 5, tag: 2))
        #expect(a == .miss)
        #expect(b == .writable)
    }

    @Test func secondLevelRefillsTheFirst() {
        var h = TLBHierarchy(l1Sets: 1, l1Ways: 1, l2Sets: 4, l2Ways: 4)
        h.insert(1, writable: true)
        h.insert(2, writable: true) // evicts 1 from L1, not from L2
        let (hit, level) = h.lookup(1)
        #expect(hit == .writable)
        #expect(level == .l2)
        #expect(h.lookup(1).1 == .l1)
    }
}

@Suite struct TwoDimensionalWalkTests {
    /// References of one TLB-miss walk to a page that is already mapped everywhere.
    static func warmWalkRefs(mode: String, levels: Int, nestedLevels: Int = 4, pageSize: String = "4KiB",
                             nestedPageSize: String = "4KiB") throws -> UInt64 {
        let s = try MemoryRuns.scenario(["memory.mode": .text(mode), "memory.levels": .integer(Int64(levels)),
                                         "memory.nested.levels": .integer(Int64(nestedLevels)),
                                         "memory.page_size": .text(pageSize), "memory.nested.page_size": .text(nestedPageSize)])
        var m = MemoryMachine(config: MemoryConfig(s), writer: nil)
        try m.boot()
        let address = m.base + 0x5000
        try m.access(address, write: false, vcpu: 0) // first touch: fault, map, fill
        m.tlbs[0].flush()
        let before = m.totals.walkRefs
        try m.access(address, write: false, vcpu: 0)
        return m.totals.walkRefs - before
    }

    @Test(arguments: [(4, 4), (2, 2), (3, 4), (4, 3), (5, 4), (4, 5), (5, 5)])
    func nestedWalkCostsNPlusOneTimesMPlusOneMinusOne(_ n: Int, _ m: Int) throws {
        #expect(try Self.warmWalkRefs(mode: "nested", levels: n, nestedLevels: m) == UInt64((n + 1) * (m + 1) - 1))
    }

    @Test func fourByFourIsTwentyFour() throws {
        #expect(try Self.warmWalkRefs(mode: "nested", levels: 4) == 24)
    }

    @Test(arguments: [2, 3, 4, 5])
    func nativeAndShadowWalksCostOneReferencePerLevel(levels: Int) throws {
        #expect(try Self.warmWalkRefs(mode: "native", levels: levels) == UInt64(levels))
        #expect(try Self.warmWalkRefs(mode: "shadow", levels: levels) == UInt64(levels))
    }

    @Test func largePagesShortenTheTwoDimensionalWalk() throws {
        // Guest 2 MiB pages: 3 guest levels → 4·5−1 = 19; nested 2 MiB too: 4·4−1 = 15.
        #expect(try Self.warmWalkRefs(mode: "nested", levels: 4, pageSize: "2MiB") == 19)
        #expect(try Self.warmWalkRefs(mode: "nested", levels: 4, nestedPageSize: "2MiB") == 19)
        #expect(try Self.warmWalkRefs(mode: "nested", levels: 4, pageSize: "2MiB", nestedPageSize: "2MiB") == 15)
        #expect(try Self.warmWalkRefs(mode: "native", levels: 4, pageSize: "2MiB") == 3)
    }
}

@Suite struct VirtualizationRulesTests {
    static let busyOS: [String: ScenarioValue] = [
        "memory.workload.working_set_mib": .integer(2), "memory.workload.accesses": .integer(300_000),
        "memory.os.processes": .integer(3), "memory.os.switch_every": .integer(5_000),
        "memory.os.fork_every": .integer(50_000), "memory.os.munmap_every": .integer(20_000),
    ]

    @Test func shadowTakesExactlyOneExitPerGuestPTEWrite() throws {
        var o = Self.busyOS
        o["memory.mode"] = .text("shadow")
        let r = try MemoryRuns.run(o)
        #expect(r.pteWrites > 1_000)
        #expect(r.exits(.ptWrite) == r.pteWrites)
        #expect(r.exits(.cr3Write) > 0)
        #expect(r.exits(.invlpg) > 0)
    }

    @Test func nestedTakesNoExitForPageTableWritesCR3OrINVLPG() throws {
        var o = Self.busyOS
        o["memory.mode"] = .text("nested")
        let r = try MemoryRuns.run(o)
        #expect(r.pteWrites > 1_000)
        for reason in [MemoryEvents.ExitReason.ptWrite, .cr3Write, .invlpg, .hiddenFault, .guestFault] {
            #expect(r.exits(reason) == 0, "\(reason.name)")
        }
        #expect(r.exits(.eptViolation) > 0)
        #expect(r.totalExits == r.exits(.eptViolation))
    }

    @Test func nativeTakesNoExits() throws {
        let r = try MemoryRuns.run(Self.busyOS)
        #expect(r.totalExits == 0)
        #expect(r.overhead == 0)
    }

    @Test func shadowMemoryGrowsWithProcessesNestedDoesNot() throws {
        func run(_ mode: String, _ processes: Int64) throws -> MemorySimulator.Result {
            try MemoryRuns.run(["memory.mode": .text(mode), "memory.os.processes": .integer(processes),
                                "memory.os.switch_every": .integer(10_000), "memory.workload.shared": .text("yes"),
                                "memory.workload.working_set_mib": .integer(16), "memory.workload.accesses": .integer(400_000)])
        }
        let shadow1 = try run("shadow", 1), shadow4 = try run("shadow", 4)
        let nested1 = try run("nested", 1), nested4 = try run("nested", 4)
        #expect(shadow4.shadowPagesPeak >= 3 * shadow1.shadowPagesPeak)
        #expect(nested4.nestedTablePages == nested1.nestedTablePages)
        #expect(nested1.shadowPagesPeak == 0)
    }

    @Test func everyModeSeesTheSameWorkload() throws {
        var o = Self.busyOS
        let native = try MemoryRuns.run(o)
        o["memory.mode"] = .text("shadow")
        let shadow = try MemoryRuns.run(o)
        o["memory.mode"] = .text("nested")
        let nested = try MemoryRuns.run(o)
        #expect(shadow.nativeCycles == native.cycles)
        #expect(nested.nativeCycles == native.cycles)
        #expect(shadow.pageFaults == native.pageFaults)
        #expect(nested.pageFaults == native.pageFaults)
        #expect(shadow.accesses == native.accesses)
    }

    @Test func shootdownsReachOtherVCPUsAndExitWhenVirtualized() throws {
        var o: [String: ScenarioValue] = ["memory.vcpus": .integer(2), "memory.os.munmap_every": .integer(10_000),
                                          "memory.workload.working_set_mib": .integer(2), "memory.workload.accesses": .integer(100_000)]
        let native = try MemoryRuns.run(o)
        #expect(native.totals.shootdowns > 0)
        o["memory.mode"] = .text("nested")
        let nested = try MemoryRuns.run(o)
        #expect(nested.exits(.ipi) == nested.totals.shootdowns)
        #expect(nested.exits(.interrupt) == nested.totals.shootdowns)
    }

    @Test func untaggedTLBFlushesOnWorldSwitches() throws {
        let base: [String: ScenarioValue] = ["memory.mode": .text("shadow"), "memory.workload.working_set_mib": .integer(2),
                                             "memory.workload.accesses": .integer(200_000), "memory.os.processes": .integer(2),
                                             "memory.os.switch_every": .integer(1_000)]
        var untagged = base
        untagged["memory.tlb.tagged"] = .text("no")
        let t = try MemoryRuns.run(base), u = try MemoryRuns.run(untagged)
        #expect(u.tlbMisses > 2 * t.tlbMisses)
        #expect(u.cycles > t.cycles)
    }

    @Test func copyOnWriteFaultsFollowFork() throws {
        let r = try MemoryRuns.run(["memory.os.fork_every": .integer(50_000), "memory.workload.working_set_mib": .integer(2),
                                    "memory.workload.accesses": .integer(200_000)])
        #expect(r.totals.forks == 4)
        #expect(r.totals.cowFaults > 0)
    }

    @Test func walkCacheShortensWalks() throws {
        let off = try MemoryRuns.run(["memory.mode": .text("nested"), "memory.workload.pattern": .text("sequential"),
                                      "memory.workload.access_bytes": .integer(4_096), "memory.workload.accesses": .integer(100_000)])
        let on = try MemoryRuns.run(["memory.mode": .text("nested"), "memory.workload.pattern": .text("sequential"),
                                     "memory.workload.access_bytes": .integer(4_096), "memory.workload.accesses": .integer(100_000),
                                     "memory.tlb.walk_cache": .text("yes")])
        #expect(Double(on.walkRefs) < 0.5 * Double(off.walkRefs))
    }
}

/// The qualitative results the literature reports, on the shipped presets with their fixed seeds.
@Suite struct PublishedOutcomeTests {
    @Test func forkHeavyNestedIsMuchFasterThanShadow() throws {
        let shadow = try MemoryRuns.preset("fork-heavy-shadow"), nested = try MemoryRuns.preset("fork-heavy-nested")
        #expect(nested.cycles * 2 < shadow.cycles)
        #expect(nested.overhead * 3 < shadow.overhead)
    }

    @Test func tlbThrashNestedIsSlowerThanShadowAndLargePagesNarrowTheGap() throws {
        let shadow = try MemoryRuns.preset("tlb-thrash-shadow"), nested = try MemoryRuns.preset("tlb-thrash-nested")
        #expect(nested.cycles > shadow.cycles)
        let shadow2m = try MemoryRuns.preset("tlb-thrash-2m-shadow"), nested2m = try MemoryRuns.preset("tlb-thrash-2m-nested")
        let gap4k = nested.overhead - shadow.overhead
        let gap2m = abs(nested2m.overhead - shadow2m.overhead)
        #expect(gap2m < gap4k / 10)
    }

    @Test func computeBoundStaysCloseToNative() throws {
        for mode in ["shadow", "nested"] {
            let r = try MemoryRuns.preset("compute-bound-\(mode)")
            #expect(r.overhead < 0.15, "\(mode): \(r.overhead)")
        }
    }

    /// KVM keeps evicted roots' shadow pages: context switches cost shadow paging one CR3 exit
    /// each, and its walks stay short — nested paging pays for 8 address spaces' TLB misses. Only
    /// when the hypervisor keeps too few shadow pages does every switch rebuild a table (the
    /// textbook worst case, and VirtLab's model before KVM's hash: 1,030 %).
    @Test func contextSwitchesCostShadowAnExitEachUnlessItsShadowPagesAreZapped() throws {
        let shadow = try MemoryRuns.preset("context-switch-heavy-shadow"), nested = try MemoryRuns.preset("context-switch-heavy-nested")
        let tight = try MemoryRuns.preset("context-switch-tight-shadow")
        #expect(shadow.exits(.cr3Write) > 900 && shadow.exits(.cr3Write) == tight.exits(.cr3Write))
        #expect(nested.exits(.cr3Write) == 0)
        #expect(shadow.totals.shadowRootsBuilt == 8 && shadow.totals.shadowTablesZapped == 0)
        #expect(shadow.cycles < nested.cycles)
        #expect(tight.totals.shadowTablesZapped > 900 && tight.totals.shadowRootsBuilt > 900)
        #expect(tight.cycles > 2 * nested.cycles && tight.cycles > 5 * shadow.cycles)
    }
}

@Suite struct MemoryTraceTests {
    @Test func sameSeedSameTraceDifferentSeedDifferentRun() throws {
        let o: [String: ScenarioValue] = ["memory.mode": .text("shadow"), "memory.workload.accesses": .integer(100_000),
                                          "memory.workload.working_set_mib": .integer(2)]
        let a = try MemoryRuns.traced(o, seed: 5), b = try MemoryRuns.traced(o, seed: 5), c = try MemoryRuns.traced(o, seed: 6)
        #expect(a.1 == b.1)
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
        #expect(faults == r.pageFaults + r.totals.cowFaults)
        #expect(walks == r.totals.walks)
        #expect(exits == r.totalExits)
        #expect(lastCounters == [r.accesses, r.tlbHits, r.tlbMisses, r.walkRefs, r.pageFaults, r.totalExits])
        let metrics = try #require(reader.summary)
        #expect(metrics.first { $0.name == "exits_pt_write" }?.value == Double(r.exits(.ptWrite)))
        #expect(metrics.first { $0.name == "overhead_vs_native" }.map { $0.value > 0 } == true)
    }
}

@Suite struct NativeBaselineCacheTests {
    @Test func aRememberedBaselineIsExactlyTheSimulatedOne() throws {
        // A configuration no other test uses, so the first run below must simulate its baseline.
        let o: [String: ScenarioValue] = ["memory.mode": .text("shadow"), "memory.workload.accesses": .integer(30_011),
                                          "memory.workload.working_set_mib": .integer(3)]
        let s = try MemoryRuns.scenario(o, seed: 77)
        let config = MemoryConfig(s)
        #expect(NativeBaselines.shared.cycles(config.with(mode: .native), seed: 77) == nil)
        let first = try MemoryRuns.run(o, seed: 77)
        #expect(NativeBaselines.shared.cycles(config.with(mode: .native), seed: 77) == first.nativeCycles)
        let again = try MemoryRuns.run(o, seed: 77)
        #expect(again.nativeCycles == first.nativeCycles && again.totals.cycles == first.totals.cycles)
        // And it equals a native run of the same workload, simulated from scratch.
        let native = try MemorySimulator.execute(config.with(mode: .native), seed: 77, writer: nil, progress: .silent)
        #expect(native.totals.cycles == first.nativeCycles)
        // A different seed is a different baseline.
        #expect(NativeBaselines.shared.cycles(config.with(mode: .native), seed: 78) == nil)
    }
}

/// The walk the course draws, carried out on real tables: the textbook count and order.
@Suite struct WalkDiagramTests {
    @Test func everyGuestAndNestedDepthGivesTheTextbookCount() {
        for n in 2...5 {
            for m in 2...5 {
                let refs = TwoDimensionalWalk.references(guestLevels: n, nestedLevels: m)
                #expect(refs.count == (n + 1) * (m + 1) - 1, "n = \(n), m = \(m)")
            }
        }
        // 4 + 4 levels: the 24 references of Bhargava et al.
        #expect(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4).count == 24)
    }

    @Test func eachRowIsANestedWalkThenTheGuestEntry() {
        let refs = TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4)
        var expected: [TwoDimensionalWalk.Reference] = []
        for row in 0..<4 { expected += (0...4).map { TwoDimensionalWalk.Reference(row: row, column: $0) } }
        expected += (0..<4).map { TwoDimensionalWalk.Reference(row: 4, column: $0) }
        #expect(refs == expected)
    }

    @Test func largePagesShortenTheirSide() {
        // 2 MiB guest pages: the guest walk stops at level 2; 2 MiB nested pages: each nested walk does.
        #expect(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4, guestLargePages: true).count == 4 * 5 - 1)
        #expect(TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4, nestedLargePages: true).count == 5 * 4 - 1)
        let both = TwoDimensionalWalk.references(guestLevels: 4, nestedLevels: 4, guestLargePages: true, nestedLargePages: true)
        #expect(both.count == 15)
        // Three rows of three nested reads and the guest entry in the fourth column, then the data page's three.
        #expect(both.map(\.column).max() == 3 && both.map(\.row).max() == 3)
    }
}

/// Shadow paging with more running processes than root-cache slots used to evict a root a vCPU
/// was running on and crash. Every combination must run, and the roots built stay within reason.
@Suite struct ShadowRootCacheTests {
    @Test(arguments: [(5, 4, 5), (2, 1, 4), (8, 2, 8), (3, 3, 12), (16, 1, 16), (64, 4, 64)])
    func moreRunningProcessesThanSlotsRunToTheEnd(_ vcpus: Int64, _ cache: Int64, _ processes: Int64) throws {
        let r = try MemoryRuns.run(["memory.mode": .text("shadow"), "memory.vcpus": .integer(vcpus), "memory.shadow.root_cache": .integer(cache),
                                    "memory.os.processes": .integer(processes), "memory.os.switch_every": .integer(500),
                                    "memory.workload.working_set_mib": .integer(4), "memory.workload.accesses": .integer(40_000)])
        #expect(r.totals.shadowRootsBuilt >= UInt64(min(vcpus, processes)))
        #expect(r.accesses > 0)
    }

    /// KVM's roots (`kvm_mmu_new_pgd`): per vCPU the current root and the previous ones; a root
    /// that falls out stays hashed and is found again; tables are zapped only past the page budget,
    /// never one a vCPU is running on. Over (processes, roots kept, budget) away from the presets.
    @Test(arguments: [(3, 4, 0), (6, 4, 0), (6, 2, 0), (8, 1, 0), (6, 4, 12), (12, 3, 20), (5, 8, 8)])
    func rootsAreBuiltOnceAndReloadedUnlessThePageBudgetZapsThem(_ processes: Int64, _ kept: Int64, _ budget: Int64) throws {
        let switches: Int64 = 80
        let r = try MemoryRuns.run(["memory.mode": .text("shadow"), "memory.os.processes": .integer(processes), "memory.shadow.root_cache": .integer(kept),
                                    "memory.shadow.max_pages": .integer(budget), "memory.os.switch_every": .integer(500),
                                    "memory.workload.working_set_mib": .integer(1), "memory.workload.accesses": .integer(500 * switches)])
        let t = r.totals
        #expect(t.exits[MemoryEvents.ExitReason.cr3Write.rawValue] == UInt64(switches))
        // Every CR3 load is a fast switch, a reload from the hash, or a build.
        let fast = UInt64(switches) + 1 - t.shadowRootsReloaded - t.shadowRootsBuilt
        if budget == 0 {
            #expect(t.shadowTablesZapped == 0 && t.shadowRootsBuilt == UInt64(processes))
            // Round-robin with fewer roots kept than processes: every load after the first round is a reload.
            #expect(t.shadowRootsReloaded == (kept < processes ? UInt64(switches + 1 - processes) : 0))
            #expect(fast == (kept < processes ? 0 : UInt64(switches + 1 - processes)))
        } else {
            #expect(t.shadowPagesPeak <= Int(budget) + 8, "the budget is kept, up to the tables in use")
            #expect(t.shadowTablesZapped > 0 && t.shadowRootsBuilt > UInt64(processes))
            // A table is built again only after it was zapped.
            #expect(t.shadowRootsBuilt <= UInt64(processes) + t.shadowTablesZapped)
        }
    }
}

/// A sink that takes `room` bytes, then fails like a full disk.
final class NoRoomSink: TraceSink {
    let path = "no-room"
    let room: Int
    private var written = 0
    init(room: Int) { self.room = room }
    func writeAll(_ p: UnsafeRawPointer, count: Int) throws {
        guard written + count <= room else { throw TraceError.io(path: path, operation: "write it", errno: 28) }
        written += count
    }
    func finish() throws {}
}

final class Furthest: @unchecked Sendable { var done: UInt64 = 0 }

/// A run whose trace cannot be written stops instead of simulating to the end: the simulators'
/// writes throw (memory, CPU, migration), and the I/O stations' writes, which cannot throw where
/// they run, leave the failure with the writer, which the run checks at its next progress point.
@Suite struct FailedTraceStopsTheRunTests {
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
        #expect(furthest.done < 3_000_000, "the run went on to the end after its trace failed")
    }
}

/// The warm-up: every page touched once before measuring. The measured run then holds exactly
/// the configured accesses and no first-touch fault; shadow paging on a workload that never
/// changes its page tables costs what native costs, nested paging the two-dimensional walks.
@Suite struct WarmupTests {
    static func base(_ mode: String, ws: Int, warmup: String) -> [String: ScenarioValue] {
        ["memory.mode": .text(mode), "memory.workload.working_set_mib": .integer(Int64(ws)), "memory.workload.accesses": .integer(60_000),
         "memory.workload.pattern": .text("random"), "memory.workload.warmup": .text(warmup)]
    }

    @Test(arguments: [4, 32, 96])
    func theMeasuredRunStartsWarm(ws: Int) throws {
        for mode in ["native", "shadow", "nested"] {
            let r = try MemoryRuns.run(Self.base(mode, ws: ws, warmup: "touch"))
            #expect(r.accesses == 60_000, "\(mode): the warm-up's accesses are not measured")
            #expect(r.pageFaults == 0, "\(mode) at \(ws) MiB: every page was mapped by the warm-up")
            #expect(r.warmup?.accesses == UInt64(ws * 256), "one write per 4 KiB page")
            #expect(r.warmup!.pageFaults >= UInt64(ws * 256))
            if mode == "shadow" { #expect(r.overhead < 0.01, "steady-state shadow paging at \(ws) MiB: \(r.overhead)") }
        }
        // Without the warm-up the same run pays first touches inside the measurement.
        let cold = try MemoryRuns.run(Self.base("shadow", ws: ws, warmup: "none"))
        #expect(cold.pageFaults > 0 && cold.warmup == nil)
    }

    @Test func nestedPaysForWalksOnceTheWorkingSetOutgrowsTheTLB() throws {
        let small = try MemoryRuns.run(Self.base("nested", ws: 2, warmup: "touch"))
        let large = try MemoryRuns.run(Self.base("nested", ws: 64, warmup: "touch"))
        #expect(small.overhead < 0.2 && large.overhead > 1, "\(small.overhead) → \(large.overhead)")
        #expect(large.tlbMisses > large.accesses / 2)
    }
}
