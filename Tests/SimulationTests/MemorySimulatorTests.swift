import Foundation
import Testing
@testable import Simulation
@testable import TraceFormat

@Suite struct MemorySimulatorTests {
    @Test(arguments: [2, 3, 4, 5])
    func coldNativeWalkCostsOneReferencePerLevel(levels: Int) {
        var table = RadixPageTable(levels: levels, largePages: false)
        let address: UInt64 = 0x1234_5000
        #expect(table.walk(address).frame == nil)
        table.map(address, frame: 7)
        let walk = table.walk(address)
        #expect(walk.refs == levels)
        #expect(walk.frame == 7)
    }

    @Test func largePagesShortenTheWalkByOneLevel() {
        var table = RadixPageTable(levels: 4, largePages: true)
        table.map(0x4020_0000, frame: 3)
        #expect(table.walk(0x4020_0000).refs == 3)
        #expect(table.walk(0x4020_0000 + 0x1F_FFFF).frame == 3)
    }

    @Test func missingUpperTableStopsTheWalkEarly() {
        let table = RadixPageTable(levels: 4, largePages: false)
        #expect(table.walk(0xdead_b000).refs == 1)
    }

    @Test func tlbEvictsTheLeastRecentlyUsedEntry() {
        var tlb = TLB(sets: 1, ways: 2)
        tlb.insert(1)
        tlb.insert(2)
        let hit1 = tlb.lookup(1)
        tlb.insert(3) // evicts 2, the least recently used
        let hits = [tlb.lookup(1), tlb.lookup(2), tlb.lookup(3)]
        tlb.flush()
        let afterFlush = tlb.lookup(1)
        #expect(hit1)
        #expect(hits == [true, false, true])
        #expect(!afterFlush)
    }

    func run(_ overrides: [String: ScenarioValue], seed: UInt64 = 1) throws -> (MemorySimulator.Totals, [UInt8]) {
        let preset = Preset(name: "t", topic: .memory, summary: "test", seed: seed, overrides: overrides)
        let s = try preset.scenario()
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-mem-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
        let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
        let totals = try sim.run(writer: writer)
        try writer.close(summary: sim.metrics(totals))
        return (totals, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func sequentialScanMissesOncePerPage() throws {
        let (t, _) = try run(["memory.workload.pattern": .text("sequential"), "memory.workload.accesses": .integer(64 * 1_000),
                              "memory.workload.working_set_mib": .integer(64)])
        // 64-byte accesses: 64 per 4 KiB page, the first of each misses and faults (first touch).
        #expect(t.tlbMisses == 1_000)
        #expect(t.pageFaults == 1_000)
        #expect(t.tlbHits == 63_000)
        #expect(t.accesses == 64_000)
    }

    @Test func warmSequentialWalksCostFourReferences() throws {
        // Two passes over 1 MiB: the second pass walks a fully built table, 4 references each.
        let (t, _) = try run(["memory.workload.pattern": .text("sequential"), "memory.workload.accesses": .integer(2 * 16_384),
                              "memory.workload.working_set_mib": .integer(1)])
        let firstPass = 256
        #expect(t.pageFaults == UInt64(firstPass))
        #expect(t.tlbMisses == 512)
        // Second-pass walks: 256 × 4 refs. First-pass faulting accesses walk twice (partial, then full).
        #expect(t.walkRefs >= 256 * 4 + 256 * 4 + 256)
    }

    @Test func largePagesFitTheTLB() throws {
        let small = try run(["memory.workload.accesses": .integer(200_000)]).0
        let large = try run(["memory.workload.accesses": .integer(200_000), "memory.page_size": .text("2MiB")]).0
        #expect(Double(small.tlbHits) / 200_000 < 0.05)
        #expect(Double(large.tlbHits) / 200_000 > 0.9)
        #expect(large.cycles < small.cycles)
    }

    @Test func sameSeedSameTraceDifferentSeedDifferentRun() throws {
        let a = try run(["memory.workload.accesses": .integer(100_000)], seed: 5)
        let b = try run(["memory.workload.accesses": .integer(100_000)], seed: 5)
        let c = try run(["memory.workload.accesses": .integer(100_000)], seed: 6)
        #expect(a.1 == b.1)
        #expect(a.0 == b.0)
        #expect(a.1 != c.1)
    }

    @Test func traceHoldsFaultsAndCountersThatAddUp() throws {
        let (t, bytes) = try run(["memory.workload.accesses": .integer(300_000), "memory.trace.counter_interval": .integer(10_000),
                                  "memory.trace.detail": .text("walks")])
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-mem-read-\(UUID().uuidString).vlt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let reader = try TraceReader(path: path)
        var faults: UInt64 = 0, walks: UInt64 = 0
        var lastCounters: [UInt64] = []
        try reader.scan { e in
            switch e.kind {
            case MemoryEvents.pageFault: faults += 1
            case MemoryEvents.pageWalk: walks += 1
            case MemoryEvents.counters: lastCounters = Array(e.fields)
            default: break
            }
        }
        #expect(faults == t.pageFaults)
        #expect(walks == t.tlbMisses)
        #expect(lastCounters == [t.accesses, t.tlbHits, t.tlbMisses, t.walkRefs, t.pageFaults])
        let metrics = try #require(reader.summary)
        #expect(metrics.first { $0.name == "accesses" }?.value == 300_000)
    }
}
