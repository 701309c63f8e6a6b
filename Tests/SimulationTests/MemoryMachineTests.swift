import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct VirtualizationRulesTests {
    static let busyOS: [String: ScenarioValue] = [
        "memory.workload.working_set_mib": .integer(2), "memory.workload.accesses": .integer(300_000),
        "memory.os.processes": .integer(3), "memory.os.switch_every": .integer(5_000),
        "memory.os.fork_every": .integer(50_000), "memory.os.munmap_every": .integer(20_000),
    ]

    @Test func shadowTakesExactlyOneExitPerGuestPTEWrite() throws {
        var o = Self.busyOS
        o["memory.mode"] = .text("shadow")
        let r = try MemoryRuns.run(o)
        expectGreater(r.pteWrites, 1_000)
        expectEqual(r.exits(.ptWrite), r.pteWrites)
        expectGreater(r.exits(.cr3Write), 0)
        expectGreater(r.exits(.invlpg), 0)
    }

    @Test func nestedTakesNoExitForPageTableWritesCR3OrINVLPG() throws {
        var o = Self.busyOS
        o["memory.mode"] = .text("nested")
        let r = try MemoryRuns.run(o)
        expectGreater(r.pteWrites, 1_000)
        for reason in [MemoryEvents.ExitReason.ptWrite, .cr3Write, .invlpg, .hiddenFault, .guestFault] {
            expectEqual(r.exits(reason), 0, "\(reason.name)")
        }
        expectGreater(r.exits(.eptViolation), 0)
        expectEqual(r.totalExits, r.exits(.eptViolation))
    }

    @Test func nativeTakesNoExits() throws {
        let r = try MemoryRuns.run(Self.busyOS)
        expectEqual(r.totalExits, 0)
        expectEqual(r.overhead, 0)
    }

    @Test func shadowMemoryGrowsWithProcessesNestedDoesNot() throws {
        func run(_ mode: String, _ processes: Int64) throws -> MemorySimulator.Result {
            try MemoryRuns.run(["memory.mode": .text(mode), "memory.os.processes": .integer(processes),
                                "memory.os.switch_every": .integer(10_000), "memory.workload.shared": .text("yes"),
                                "memory.workload.working_set_mib": .integer(16), "memory.workload.accesses": .integer(400_000)])
        }
        let shadow1 = try run("shadow", 1), shadow4 = try run("shadow", 4)
        let nested1 = try run("nested", 1), nested4 = try run("nested", 4)
        expectAtLeast(shadow4.shadowPagesPeak, 3 * shadow1.shadowPagesPeak)
        expectEqual(nested4.nestedTablePages, nested1.nestedTablePages)
        expectEqual(nested1.shadowPagesPeak, 0)
    }

    @Test func everyModeSeesTheSameWorkload() throws {
        var o = Self.busyOS
        let native = try MemoryRuns.run(o)
        o["memory.mode"] = .text("shadow")
        let shadow = try MemoryRuns.run(o)
        o["memory.mode"] = .text("nested")
        let nested = try MemoryRuns.run(o)
        expectEqual(shadow.nativeCycles, native.cycles)
        expectEqual(nested.nativeCycles, native.cycles)
        expectEqual(shadow.pageFaults, native.pageFaults)
        expectEqual(nested.pageFaults, native.pageFaults)
        expectEqual(shadow.accesses, native.accesses)
    }

    @Test func shootdownsReachOtherVCPUsAndExitWhenVirtualized() throws {
        var o: [String: ScenarioValue] = ["memory.vcpus": .integer(2), "memory.os.munmap_every": .integer(10_000),
                                          "memory.workload.working_set_mib": .integer(2), "memory.workload.accesses": .integer(100_000)]
        let native = try MemoryRuns.run(o)
        expectGreater(native.totals.shootdowns, 0)
        o["memory.mode"] = .text("nested")
        let nested = try MemoryRuns.run(o)
        expectEqual(nested.exits(.ipi), nested.totals.shootdowns)
        expectEqual(nested.exits(.interrupt), nested.totals.shootdowns)
    }

    @Test func untaggedTLBFlushesOnWorldSwitches() throws {
        let base: [String: ScenarioValue] = ["memory.mode": .text("shadow"), "memory.workload.working_set_mib": .integer(2),
                                             "memory.workload.accesses": .integer(200_000), "memory.os.processes": .integer(2),
                                             "memory.os.switch_every": .integer(1_000)]
        var untagged = base
        untagged["memory.tlb.tagged"] = .text("no")
        let t = try MemoryRuns.run(base), u = try MemoryRuns.run(untagged)
        expectGreater(u.tlbMisses, 2 * t.tlbMisses)
        expectGreater(u.cycles, t.cycles)
    }

    @Test func copyOnWriteFaultsFollowFork() throws {
        let r = try MemoryRuns.run(["memory.os.fork_every": .integer(50_000), "memory.workload.working_set_mib": .integer(2),
                                    "memory.workload.accesses": .integer(200_000)])
        expectEqual(r.totals.forks, 4)
        expectGreater(r.totals.cowFaults, 0)
    }

    @Test func walkCacheShortensWalks() throws {
        let off = try MemoryRuns.run(["memory.mode": .text("nested"), "memory.workload.pattern": .text("sequential"),
                                      "memory.workload.access_bytes": .integer(4_096), "memory.workload.accesses": .integer(100_000)])
        let on = try MemoryRuns.run(["memory.mode": .text("nested"), "memory.workload.pattern": .text("sequential"),
                                     "memory.workload.access_bytes": .integer(4_096), "memory.workload.accesses": .integer(100_000),
                                     "memory.tlb.walk_cache": .text("yes")])
        expectLess(Double(on.walkRefs), 0.5 * Double(off.walkRefs))
    }
}

/// Shadow paging with more running processes than root-cache slots used to evict a root a vCPU
/// was running on and crash. Every combination must run, and the roots built stay within reason.
struct ShadowRootCacheTests {
    @Test(arguments: [(5, 4, 5), (2, 1, 4), (8, 2, 8), (3, 3, 12), (16, 1, 16), (64, 4, 64)])
    func moreRunningProcessesThanSlotsRunToTheEnd(_ vcpus: Int64, _ cache: Int64, _ processes: Int64) throws {
        let r = try MemoryRuns.run(["memory.mode": .text("shadow"), "memory.vcpus": .integer(vcpus), "memory.shadow.root_cache": .integer(cache),
                                    "memory.os.processes": .integer(processes), "memory.os.switch_every": .integer(500),
                                    "memory.workload.working_set_mib": .integer(4), "memory.workload.accesses": .integer(40_000)])
        expectAtLeast(r.totals.shadowRootsBuilt, UInt64(min(vcpus, processes)))
        expectGreater(r.accesses, 0)
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
        expectEqual(t.exits[MemoryEvents.ExitReason.cr3Write.rawValue], UInt64(switches))
        // Every CR3 load is a fast switch, a reload from the hash, or a build.
        let fast = UInt64(switches) + 1 - t.shadowRootsReloaded - t.shadowRootsBuilt
        if budget == 0 {
            expectEqual(t.shadowTablesZapped, 0)
            expectEqual(t.shadowRootsBuilt, UInt64(processes))
            // Round-robin with fewer roots kept than processes: every load after the first round is a reload.
            expectEqual(t.shadowRootsReloaded, kept < processes ? UInt64(switches + 1 - processes) : 0)
            expectEqual(fast, kept < processes ? 0 : UInt64(switches + 1 - processes))
        } else {
            expectAtMost(t.shadowPagesPeak, Int(budget) + 8, "the budget is kept, up to the tables in use")
            expectGreater(t.shadowTablesZapped, 0)
            expectGreater(t.shadowRootsBuilt, UInt64(processes))
            // A table is built again only after it was zapped.
            expectAtMost(t.shadowRootsBuilt, UInt64(processes) + t.shadowTablesZapped)
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
