import Testing
import TestKit
@testable import Simulation
import Vocabulary

/// The memory model's rules across keys, at their edges, each naming the key to change.
struct MemoryConfigTests {
    @Test func workingSetsMustFitInHalfOfMemory() throws {
        // 4 processes × 64 MiB = 256 MiB: exactly half of 512 MiB passes, one MiB more does not.
        let base: [String: ScenarioValue] = ["memory.guest_memory_mib": .integer(512), "memory.os.processes": .integer(4), "memory.workload.shared": .text("no")]
        #expect(try CrossCheck.of(.tlbThrashNative, base.merging(["memory.workload.working_set_mib": .integer(64)]) { $1 }) == nil)
        let over = try CrossCheck.of(.tlbThrashNative, base.merging(["memory.workload.working_set_mib": .integer(65)]) { $1 })
        expectEqual(over?.key, "memory.workload.working_set_mib")
        expectEqual(over?.message.contains("each of 4 processes"), true)
        // Shared: the processes touch one working set, counted once.
        try #expect(CrossCheck.of(.tlbThrashNative, base.merging(["memory.workload.working_set_mib": .integer(200), "memory.workload.shared": .text("yes")]) { $1 }) == nil)
    }

    @Test func cachesAndTheSecondLevelTLBHaveTheirShapes() throws {
        try expectEqual(CrossCheck.of(.tlbThrashNative, ["memory.tlb.walk_cache_entries": .integer(6)])?.key, "memory.tlb.walk_cache_entries")
        try expectEqual(CrossCheck.of(.tlbThrashNative, ["memory.tlb.nested_tlb_entries": .integer(10)])?.key, "memory.tlb.nested_tlb_entries")
        try expectEqual(CrossCheck.of(.tlbThrashNative, ["memory.tlb.l2_sets": .integer(96)])?.key, "memory.tlb.l2_sets")
        try expectEqual(CrossCheck.of(.tlbThrashNative, ["memory.tlb.l2_sets": .integer(0), "memory.tlb.l2_ways": .integer(4)])?.key, "memory.tlb.l2_ways")
        try #expect(CrossCheck.of(.tlbThrashNative, ["memory.tlb.l2_sets": .integer(0), "memory.tlb.l2_ways": .integer(0)]) == nil, "no second level at all")
        try expectEqual(CrossCheck.of(.tlbThrashNative, ["memory.page_size": .text("2MiB"), "memory.workload.working_set_mib": .integer(1)])?.key, "memory.workload.working_set_mib")
    }

    @Test func derivedSizesFollowTheKeys() throws {
        var s = try Preset.named(.tlbThrashNative).scenario()
        s.values["memory.page_size"] = .text("2MiB")
        s.values["memory.workload.working_set_mib"] = .integer(6)
        let c = MemoryConfig(s)
        expectEqual(c.pageBytes, 2 << 20)
        #expect(c.largePages)
        expectEqual(c.workingSetBytes, 6 << 20)
    }
}
