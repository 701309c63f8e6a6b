import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct IOVirtualizationTests {
    static func run(_ overrides: [String: ScenarioValue], requests: Int64 = 40_000) throws -> IOSimulator.Result {
        var o = overrides
        o["io.requests"] = .integer(requests)
        let s = try Preset(name: "t", topic: .io, summary: "t", seed: 1, overrides: o).scenario()
        return try IOSimulator(config: IOConfig(s), seed: 1).run(writer: nil)
    }

    static func three(_ extra: [String: ScenarioValue] = [:]) throws -> (emu: IOSimulator.Result, pv: IOSimulator.Result, pt: IOSimulator.Result) {
        func r(_ a: String) throws -> IOSimulator.Result {
            var o = extra
            o["io.approach"] = .text(a)
            return try run(o)
        }
        return (try r("emulation"), try r("paravirtual"), try r("passthrough"))
    }

    @Test(arguments: ["nic", "disk"])
    func exitsThroughputAndCPUPerByteFollowTheMaterial(_ device: String) throws {
        let (emu, pv, pt) = try Self.three(["io.device": .text(device), "io.workload.bytes": .integer(device == "nic" ? 1_500 : 4_096)])
        expectGreater(emu.exitsPerOp, pv.exitsPerOp)
        expectGreater(pv.exitsPerOp, pt.exitsPerOp)
        expectEqual(pt.totalExits, 0) // posted interrupts: nothing exits, data path included
        expectLess(emu.throughput, pv.throughput)
        expectAtMost(pv.throughput, pt.throughput * 1.001) // both can saturate the device
        expectGreater(emu.cyclesPerKiB, pv.cyclesPerKiB)
        expectGreater(pv.cyclesPerKiB, pt.cyclesPerKiB)
    }

    @Test func passthroughWithoutPostedInterruptsExitsOncePerInterruptOnly() throws {
        let r = try Self.run(["io.approach": .text("passthrough"), "io.passthrough.posted_interrupts": .text("no")])
        expectEqual(r.totalExits, r.interrupts)
        expectEqual(r.exits[3], r.interrupts) // the external-interrupt exit
        #expect(r.exits[0] == 0 && r.exits[1] == 0 && r.exits[2] == 0 && r.exits[4] == 0) // no mmio, pio, kick or EOI exits
    }

    /// Without APIC virtualization every delivered interrupt's EOI exits too — under every
    /// approach that delivers virtual interrupts, at several device and batching settings.
    @Test(arguments: [("nic", 1), ("nic", 8), ("disk", 4)])
    func withoutAPICVirtualizationEveryDeliveredInterruptAlsoExitsOnItsEOI(_ device: String, _ coalesce: Int64) throws {
        for approach in ["emulation", "paravirtual", "passthrough"] {
            var o: [String: ScenarioValue] = ["io.approach": .text(approach), "io.device": .text(device), "io.paravirtual.coalesce": .integer(coalesce),
                                              "io.workload.bytes": .integer(device == "nic" ? 1_500 : 4_096)]
            if approach == "passthrough" { o["io.passthrough.posted_interrupts"] = .text("no") }
            let with = try Self.run(o, requests: 8_000)
            o["io.apic_virtualization"] = .text("no")
            let without = try Self.run(o, requests: 8_000)
            expectEqual(with.exits[4], 0, "\(approach)")
            expectEqual(without.exits[4], without.interrupts, "\(approach)")
            expectGreater(without.interrupts, 0, "\(approach)")
            expectEqual(without.totalExits, with.totalExits + without.interrupts, "\(approach): only the EOIs are added")
        }
        // Native has no virtual interrupts to end.
        let native = try Self.run(["io.approach": .text("native"), "io.apic_virtualization": .text("no"), "io.passthrough.posted_interrupts": .text("no")], requests: 2_000)
        expectEqual(native.totalExits, 0)
    }

    @Test func postedInterruptsNeedAPICVirtualization() throws {
        #expect(throws: ScenarioError.self) {
            try Preset(name: "t", topic: .io, summary: "t", seed: 1, overrides: ["io.approach": .text("passthrough"), "io.apic_virtualization": .text("no")]).scenario()
        }
    }

    @Test func batchingLowersExitsPerOperation() throws {
        var last = Double.infinity
        for batch in [1, 4, 16, 64] {
            let r = try Self.run(["io.paravirtual.batch": .integer(Int64(batch)), "io.paravirtual.coalesce": .integer(Int64(batch))])
            expectLess(r.exitsPerOp, last, "batch \(batch)")
            last = r.exitsPerOp
        }
    }

    @Test func paravirtualOverEmulationRatioIsInThePublishedRange() throws {
        for device in ["nic", "disk"] {
            let (emu, pv, _) = try Self.three(["io.device": .text(device), "io.workload.bytes": .integer(device == "nic" ? 1_500 : 4_096)])
            let ratio = pv.throughput / emu.throughput
            expectAtLeast(ratio, 5, "\(device): \(ratio)")
            expectAtMost(ratio, 40, "\(device): \(ratio)")
        }
    }

    @Test func passthroughWithPostedInterruptsIsWithinAFewPercentOfBareMetal() throws {
        for device in ["nic", "disk"] {
            let r = try Self.run(["io.approach": .text("passthrough"), "io.device": .text(device)])
            expectAtLeast(r.throughput, 0.97 * r.nativeThroughput, "\(device)")
        }
    }

    @Test func aPassthroughDeviceBelongsToOneVM() throws {
        let e = #expect(throws: ScenarioError.self) {
            try Preset(name: "t", topic: .io, summary: "t", seed: 1, overrides: ["io.approach": .text("passthrough"), "io.vms": .integer(2)]).scenario()
        }
        expectEqual(e?.keyPath, "io.vms")
        expectEqual(e?.description.contains("assigned to one VM only"), true)
        for a in ["emulation", "paravirtual"] {
            let r = try Self.run(["io.approach": .text(a), "io.vms": .integer(4), "io.workload.queue_depth": .integer(4)])
            expectEqual(r.completed, 40_000, "\(a)")
        }
    }

    @Test func theIOMMUBlocksCrossVMDMAAndItsAbsenceIsFlagged() throws {
        let on = try Self.run(["io.approach": .text("passthrough"), "io.iommu.rogue_dma_share": .real(0.01)])
        expectGreater(on.dmaBlocked, 0)
        expectEqual(on.dmaUnsafe, 0)
        let off = try Self.run(["io.approach": .text("passthrough"), "io.iommu.rogue_dma_share": .real(0.01), "io.iommu.enabled": .text("no")])
        expectGreater(off.dmaUnsafe, 0)
        expectEqual(off.dmaBlocked, 0)
        // The same requests go astray whether or not the IOMMU is there to stop them.
        expectEqual(off.dmaUnsafe, on.dmaBlocked)
    }

    @Test func iotlbMissesCostTime() throws {
        let small = try Self.run(["io.approach": .text("passthrough"), "io.iommu.buffer_pages": .integer(4_096)])
        let pooled = try Self.run(["io.approach": .text("passthrough")])
        expectGreater(small.iotlbMisses, 100 * pooled.iotlbMisses)
        expectLess(small.throughput, pooled.throughput)
    }

    @Test func openLoopLatencyGrowsWithLoad() throws {
        let light = try Self.run(["io.workload.loop": .text("open"), "io.workload.rate": .real(50_000)], requests: 20_000)
        let heavy = try Self.run(["io.workload.loop": .text("open"), "io.workload.rate": .real(780_000)], requests: 20_000)
        expectGreater(heavy.latency(0.99), light.latency(0.99))
        expectAtMost(light.latency(0.5), light.latency(0.95))
    }

    /// With the vCPU's work set to zero the NIC is the only queue, fed by Poisson arrivals and
    /// serving each packet in a fixed 1.2 µs (1,500 bytes at 10 Gbit/s): an M/D/1 queue, whose
    /// mean wait is ρD / 2(1 − ρ) (Pollaczek–Khinchine). The event engine must reproduce it.
    @Test(arguments: [0.5, 0.8])
    func theNICQueueMatchesMD1(_ rho: Double) throws {
        let service = 1_500.0 * 8 / 10e9
        let r = try Self.run(["io.approach": .text("native"), "io.workload.loop": .text("open"), "io.workload.rate": .real(rho / service), "io.workload.bytes": .integer(1_500),
                              "io.nic.gbps": .real(10), "io.nic.latency_us": .real(0), "io.costs.driver_cycles": .integer(0),
                              "io.costs.isr_cycles": .integer(0)], requests: 200_000)
        let mean = Double(r.latencies.reduce(0, +)) / Double(r.latencies.count) / 1e9
        let predicted = service + rho * service / (2 * (1 - rho))
        expectLess(abs(mean / predicted - 1), 0.03, "mean latency \(mean * 1e9) ns, M/D/1 predicts \(predicted * 1e9) ns")
    }

    @Test func traceHoldsRequestsAndExits() throws {
        let s = try Preset(name: "t", topic: .io, summary: "t", seed: 1,
                           overrides: ["io.approach": .text("emulation"), "io.requests": .integer(5_000)]).scenario()
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-io-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: try Runner.header(for: s))
        let metrics = try Runner.run(s, writer: w)
        try w.close(summary: metrics)
        var requests = 0, exits = 0
        try TraceReader(path: path).scan { e in
            if e.kind == IOEvents.request { requests += 1 }
            if e.kind == IOEvents.vmExit { exits += 1 }
        }
        expectEqual(requests, 5_000)
        expectEqual(Double(exits), metrics.first { $0.name == "vm_exits" }?.value)
    }
}
