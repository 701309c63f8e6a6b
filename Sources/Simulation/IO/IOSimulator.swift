#if canImport(Glibc)
import Glibc
#endif
import TraceFormat

/// A discrete-event simulation of VMs doing I/O through one device: each request passes the
/// VM's vCPU (driver and its exits), the host backend (paravirtual), the device, and the vCPU
/// again (completion interrupt). Stations are FIFO single servers; the event queue breaks ties
/// by sequence, so runs are deterministic.
package struct IOSimulator {
    package let config: IOConfig
    package let seed: UInt64

    package init(config: IOConfig, seed: UInt64) {
        self.config = config
        self.seed = seed
    }

    /// The figures of one run.
    package struct Result: Sendable {
        package var completed = 0
        package var bytes = 0.0
        package var makespan = 0.0
        package var latencies: [UInt64] = []
        package var exits = [UInt64](repeating: 0, count: IOEvents.exitReasons.count)
        package var guestCycles: UInt64 = 0
        package var vmmCycles: UInt64 = 0
        package var backendCycles: UInt64 = 0
        package var interrupts: UInt64 = 0
        package var kicks: UInt64 = 0
        package var dmaPages: UInt64 = 0
        package var iotlbMisses: UInt64 = 0
        package var dmaBlocked: UInt64 = 0
        package var dmaUnsafe: UInt64 = 0
        package var nativeThroughput = 0.0

        package var totalExits: UInt64 { exits.reduce(0, +) }
        package var exitsPerOp: Double { Double(totalExits) / Double(max(completed, 1)) }
        package var throughput: Double { Double(completed) / max(makespan, 1e-12) }
        package var bytesPerSecond: Double { bytes / max(makespan, 1e-12) }
        package var cyclesPerKiB: Double { Double(guestCycles + vmmCycles + backendCycles) / max(bytes / 1_024, 1e-12) }
        package func latency(_ q: Double) -> UInt64 {
            guard !latencies.isEmpty else { return 0 }
            return latencies[min(latencies.count - 1, Int((q * Double(latencies.count)).rounded(.up)) - 1)]
        }
    }

    /// One pass with no native baseline (for `virtlab bench sim`); returns the requests completed.
    package static func benchmarkPass(_ c: IOConfig, seed: UInt64, writer: TraceWriter?) throws -> Int {
        try IOSimulator(config: c, seed: seed).execute(writer: writer, progress: .silent).completed
    }

    package func run(writer: TraceWriter?, progress: RunProgress = .silent) throws -> Result {
        var native = 0.0
        if config.approach != .native {
            var c = config
            c.approach = .native
            native = try IOSimulator(config: c, seed: seed).execute(writer: nil, progress: .silent).throughput
        }
        var r = try execute(writer: writer, progress: progress)
        r.nativeThroughput = config.approach == .native ? r.throughput : native
        return r
    }

    /// Stations a request visits, in order.
    enum Station { case submit, backend, device, complete }

    var route: [Station] {
        switch config.approach {
        case .paravirtual: [.submit, .backend, .device, .complete]
        default: [.submit, .device, .complete]
        }
    }

    func execute(writer: TraceWriter?, progress: RunProgress) throws -> Result {
        var run = IORun(config: config, seed: seed, route: route, writer: writer)
        try run.simulate(progress: progress)
        run.r.latencies.sort()
        return run.r
    }

    /// The results summary written into the trace.
    package func metrics(_ r: Result) -> [Metric] {
        let ops = Double(max(r.completed, 1))
        var out: [Metric] = [
            Metric("requests", Double(r.completed), "count"),
            Metric("throughput_rps", r.throughput, "requests/s"),
            Metric("throughput_mbps", r.bytesPerSecond * 8 / 1e6, "Mbit/s"),
            Metric("native_throughput_rps", r.nativeThroughput, "requests/s"),
            Metric("throughput_vs_native", r.nativeThroughput > 0 ? r.throughput / r.nativeThroughput : 1, "ratio"),
            Metric("latency_p50_ns", Double(r.latency(0.5)), "ns"),
            Metric("latency_p95_ns", Double(r.latency(0.95)), "ns"),
            Metric("latency_p99_ns", Double(r.latency(0.99)), "ns"),
            Metric("vm_exits", Double(r.totalExits), "count"),
            Metric("exits_per_op", r.exitsPerOp, "count"),
            Metric("guest_cycles_per_op", Double(r.guestCycles) / ops, "cycles"),
            Metric("vmm_cycles_per_op", Double(r.vmmCycles) / ops, "cycles"),
            Metric("backend_cycles_per_op", Double(r.backendCycles) / ops, "cycles"),
            Metric("cpu_cycles_per_kib", r.cyclesPerKiB, "cycles"),
            Metric("interrupts", Double(r.interrupts), "count"),
            Metric("kicks", Double(r.kicks), "count"),
            Metric("vms_sharing_device", Double(config.vms), "count"),
            Metric("dma_pages", Double(r.dmaPages), "pages"),
            Metric("iotlb_misses", Double(r.iotlbMisses), "count"),
            Metric("dma_blocked", Double(r.dmaBlocked), "count"),
            Metric("dma_unsafe", Double(r.dmaUnsafe), "count"),
            Metric("makespan_ns", r.makespan * 1e9, "ns"),
        ]
        for (i, reason) in IOEvents.exitReasons.enumerated() where r.exits[i] > 0 {
            out.append(Metric("exits_\(reason)", Double(r.exits[i]), "count"))
        }
        return out
    }
}
