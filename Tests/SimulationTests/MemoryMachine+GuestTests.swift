import Testing
import TestKit
@testable import Simulation

/// What shadow paging must synchronise across vCPUs — the MMU lock and remote TLB flushes — and
/// nested paging need not: the trend of the lecture notes (Unit 3, EPT performance), tested at
/// vCPU counts and fork rates the presets do not use.
struct ShadowSynchronisationTests {
    static func run(_ mode: String, vcpus: Int, forkEvery: Int = 40_000, workingSet: Int = 2) throws -> MemorySimulator.Result {
        try MemoryRuns.run(["memory.mode": .text(mode), "memory.vcpus": .integer(Int64(vcpus)),
                            "memory.workload.working_set_mib": .integer(Int64(workingSet)), "memory.os.fork_every": .integer(Int64(forkEvery)),
                            "memory.os.fork_child_accesses": .integer(1_000), "memory.workload.accesses": .integer(200_000)])
    }

    @Test(arguments: [40_000, 90_000])
    func nestedPagingsAdvantageGrowsWithTheVCPUs(forkEvery: Int) throws {
        var ratios: [Double] = []
        for n in [1, 2, 3, 6, 12] {
            let s = try Self.run("shadow", vcpus: n, forkEvery: forkEvery), d = try Self.run("nested", vcpus: n, forkEvery: forkEvery)
            ratios.append(Double(d.cycles) / Double(s.cycles))
        }
        for (a, b) in zip(ratios, ratios.dropFirst()) { expectLess(b, a * 1.01, "nested/shadow by vCPUs: \(ratios)") }
        expectLess(ratios.last!, ratios.first! * 0.8, "\(ratios)")
    }

    @Test func onlyShadowPagingWaitsForTheLockAndOnlyWithCompany() throws {
        try expectEqual(Self.run("shadow", vcpus: 1).totals.mmuLockWait, 0)
        var waits: [UInt64] = []
        for n in [2, 4, 8] {
            try expectEqual(Self.run("nested", vcpus: n).totals.mmuLockWait, 0)
            waits.append(try Self.run("shadow", vcpus: n).totals.mmuLockWait)
        }
        #expect(waits[0] > 0 && waits[0] < waits[1] && waits[1] < waits[2], "\(waits)")
    }

    @Test(arguments: [2, 5, 9])
    func aRemoteFlushKicksEveryOtherVCPUOnce(vcpus: Int) throws {
        let r = try Self.run("shadow", vcpus: vcpus)
        expectGreater(r.totals.remoteFlushes, 0)
        expectEqual(r.totals.exits[MemoryEvents.ExitReason.remoteFlush.rawValue], r.totals.remoteFlushes * UInt64(vcpus - 1))
        // Nested paging's guest PTE writes are plain stores: nothing to flush remotely.
        try expectEqual(Self.run("nested", vcpus: vcpus).totals.remoteFlushes, 0)
        // One vCPU has no one to flush.
        try expectEqual(Self.run("shadow", vcpus: 1).totals.remoteFlushes, 0)
    }

    /// A guest whose page tables do not change after its warm-up takes no lock and flushes nothing.
    @Test func aGuestThatChangesNoPageTablesPaysNeither() throws {
        let r = try MemoryRuns.run(["memory.mode": .text("shadow"), "memory.vcpus": .integer(6), "memory.os.processes": .integer(6),
                                    "memory.workload.working_set_mib": .integer(8), "memory.workload.warmup": .text("touch"),
                                    "memory.workload.accesses": .integer(100_000)])
        expectEqual(r.totals.remoteFlushes, 0)
        expectEqual(r.totals.mmuLockWait, 0)
        expectLess(r.overhead, 0.05, "\(r.overhead)")
    }
}
