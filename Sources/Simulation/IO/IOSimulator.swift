#if canImport(Glibc)
import Glibc
#endif
import TraceFormat
import Vocabulary

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
        package var exits = [UInt64](repeating: 0, count: IOEvents.ExitReason.allCases.count)
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
            Metric(.requests, Double(r.completed)),
            Metric(.throughputRps, r.throughput),
            Metric(.throughputMbps, r.bytesPerSecond * 8 / 1e6),
            Metric(.nativeThroughputRps, r.nativeThroughput),
            Metric(.throughputVsNative, r.nativeThroughput > 0 ? r.throughput / r.nativeThroughput : 1),
            Metric(.latencyP50Ns, Double(r.latency(0.5))),
            Metric(.latencyP95Ns, Double(r.latency(0.95))),
            Metric(.latencyP99Ns, Double(r.latency(0.99))),
            Metric(.vmExits, Double(r.totalExits)),
            Metric(.exitsPerOp, r.exitsPerOp),
            Metric(.guestCyclesPerOp, Double(r.guestCycles) / ops),
            Metric(.vmmCyclesPerOp, Double(r.vmmCycles) / ops),
            Metric(.backendCyclesPerOp, Double(r.backendCycles) / ops),
            Metric(.cpuCyclesPerKib, r.cyclesPerKiB),
            Metric(.interrupts, Double(r.interrupts)),
            Metric(.kicks, Double(r.kicks)),
            Metric(.vmsSharingDevice, Double(config.vms)),
            Metric(.dmaPages, Double(r.dmaPages)),
            Metric(.iotlbMisses, Double(r.iotlbMisses)),
            Metric(.dmaBlocked, Double(r.dmaBlocked)),
            Metric(.dmaUnsafe, Double(r.dmaUnsafe)),
            Metric(.makespanNs, r.makespan * 1e9),
        ]
        for reason in IOEvents.ExitReason.allCases where r.exits[reason.rawValue] > 0 {
            out.append(Metric(.exits, reason.name, Double(r.exits[reason.rawValue])))
        }
        return out
    }
}
