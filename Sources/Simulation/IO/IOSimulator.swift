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

    enum Event {
        case arrival(vm: Int)
        case done(station: Int, job: Int)
        case delivered(job: Int)
    }

    struct Job {
        var vm: Int
        var stage: Int
        var arrival: UInt64
        var op: Int
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
        let c = config
        let k = c.costs
        var r = Result()
        var rng = SplitMix64.derived(seed: seed, stream: 6)
        var queue = EventQueue<Event>()
        var jobs: [Job] = []
        var freeJobs: [Int] = []
        let route = self.route
        // Stations: vCPUs 0..<vms, then the backend, then the device.
        let backend = c.vms, device = c.vms + 1
        var busy = [Bool](repeating: false, count: c.vms + 2)
        var waiting = [[Int]](repeating: [], count: c.vms + 2)
        var waitHead = [Int](repeating: 0, count: c.vms + 2)
        var issued = 0
        var submitted = [Int](repeating: 0, count: c.vms)
        var completedPerVM = [Int](repeating: 0, count: c.vms)
        var iotlbs = (0..<c.vms).map { _ in TLB(sets: 1, ways: c.iotlbEntries) }
        defer { for t in iotlbs { t.deallocate() } }
        var dmaCursor = [UInt64](repeating: 0, count: c.vms)
        let ns = { (cycles: UInt64) -> UInt64 in UInt64(Double(cycles) / c.clockGHz) }
        let pages = UInt64((c.bytes + 4_095) / 4_096)
        let copy = UInt64(c.bytes) * k.copyPerKiB / 1_024
        var now: UInt64 = 0
        r.latencies.reserveCapacity(c.requests)

        func emit(_ kind: UInt16, _ fields: [UInt64]) {
            guard let w = writer else { return }
            try? fields.withUnsafeBufferPointer { try w.append(kind, at: now, $0) }
        }
        /// Exits taken during a station's current service; written when the service ends, so
        /// trace times never go back.
        var pendingExits = [[(reason: Int, vm: Int, ns: UInt64)]](repeating: [], count: c.vms + 2)
        /// A VM exit of `handler` cycles on VM `vm`'s vCPU; returns its cycles.
        func exit(_ reason: Int, _ vm: Int, handler: UInt64, at start: UInt64) -> UInt64 {
            let d = k.vmExit + handler
            r.exits[reason] &+= 1
            r.vmmCycles &+= d
            if writer != nil { pendingExits[vm].append((reason, vm, ns(d))) }
            return d
        }
        func issue(_ vm: Int) {
            guard issued < c.requests else { return }
            issued += 1
            let op = c.device == .nic ? (rng.unit() < c.writeFraction ? 0 : 1) : (rng.unit() < c.writeFraction ? 3 : 2)
            let job = Job(vm: vm, stage: 0, arrival: now, op: op)
            let id: Int
            if let f = freeJobs.popLast() { jobs[f] = job; id = f } else { jobs.append(job); id = jobs.count - 1 }
            enqueue(id)
        }
        func station(of id: Int) -> Int {
            switch route[jobs[id].stage] {
            case .submit, .complete: jobs[id].vm
            case .backend: backend
            case .device: device
            }
        }
        func enqueue(_ id: Int) {
            let s = station(of: id)
            if busy[s] { waiting[s].append(id) } else { start(id, at: s) }
        }
        /// Service time of a job's current stage, with its exits, DMA and accounting.
        func service(_ id: Int) -> UInt64 {
            let j = jobs[id]
            var cycles: UInt64 = 0
            switch route[j.stage] {
            case .submit:
                submitted[j.vm] += 1
                r.guestCycles &+= k.driver
                cycles = k.driver
                switch c.approach {
                case .native, .passthrough: break
                case .emulation:
                    // Every register access the unmodified driver makes traps to the device model,
                    // which also copies the data.
                    for _ in 0..<c.accessesPerRequest { cycles &+= exit(c.device == .nic ? 0 : 1, j.vm, handler: k.emulateAccess, at: now) }
                    cycles &+= copy
                    r.vmmCycles &+= copy
                case .paravirtual:
                    cycles &+= k.ring
                    r.guestCycles &+= k.ring
                    if submitted[j.vm] % c.batch == 0 {
                        r.kicks &+= 1
                        cycles &+= exit(2, j.vm, handler: 0, at: now)
                        emit(IOEvents.ring, [UInt64(j.vm), 0, UInt64(c.batch)])
                    }
                }
                return ns(cycles)
            case .backend:
                let b = k.backend &+ copy
                r.backendCycles &+= b
                return ns(b)
            case .device:
                var t = Double(c.bytes) / c.deviceRate * 1e9
                if c.approach == .passthrough || c.approach == .native {
                    // The device's DMA goes through the IOMMU: one translation per page.
                    var misses: UInt64 = 0
                    if c.approach == .passthrough && c.iommu {
                        for p in 0..<pages {
                            let page = dmaCursor[j.vm] &+ p
                            if iotlbs[j.vm].lookup(page) == .miss { misses += 1; iotlbs[j.vm].insert(page, writable: true) }
                        }
                        t += Double(misses) * c.iotlbMissNs
                    }
                    dmaCursor[j.vm] = (dmaCursor[j.vm] &+ pages) % c.bufferPages
                    r.dmaPages &+= pages
                    r.iotlbMisses &+= misses
                    if c.approach == .passthrough { emit(IOEvents.dma, [UInt64(j.vm), pages, misses]) }
                }
                if c.rogueShare > 0, rng.unit() < c.rogueShare {
                    // A DMA aimed at another VM's memory.
                    let target = UInt64((j.vm + 1) % max(c.vms, 2))
                    if c.approach == .passthrough && !c.iommu {
                        r.dmaUnsafe &+= 1
                        emit(IOEvents.isolation, [UInt64(j.vm), target, 1])
                    } else {
                        r.dmaBlocked &+= 1
                        emit(IOEvents.isolation, [UInt64(j.vm), target, 0])
                    }
                }
                return UInt64(t)
            case .complete:
                r.guestCycles &+= k.isr
                cycles = k.isr
                completedPerVM[j.vm] += 1
                switch c.approach {
                case .native:
                    r.interrupts &+= 1
                case .emulation:
                    r.interrupts &+= 1
                    cycles &+= exit(3, j.vm, handler: k.inject, at: now)
                    for _ in 0..<c.accessesPerInterrupt { cycles &+= exit(c.device == .nic ? 0 : 1, j.vm, handler: k.emulateAccess, at: now) }
                    emit(IOEvents.interrupt, [UInt64(j.vm), 0, 1])
                case .paravirtual:
                    if completedPerVM[j.vm] % c.coalesce == 0 {
                        r.interrupts &+= 1
                        cycles &+= exit(3, j.vm, handler: k.inject, at: now)
                        emit(IOEvents.ring, [UInt64(j.vm), 1, UInt64(c.coalesce)])
                        emit(IOEvents.interrupt, [UInt64(j.vm), 0, UInt64(c.coalesce)])
                    }
                case .passthrough:
                    r.interrupts &+= 1
                    if c.postedInterrupts {
                        emit(IOEvents.interrupt, [UInt64(j.vm), 1, 1])
                    } else {
                        cycles &+= exit(4, j.vm, handler: k.inject, at: now)
                        emit(IOEvents.interrupt, [UInt64(j.vm), 0, 1])
                    }
                }
                return ns(cycles)
            }
        }
        func start(_ id: Int, at s: Int) {
            busy[s] = true
            queue.push(.done(station: s, job: id), at: now + service(id))
        }

        if c.loop == .closed {
            for vm in 0..<c.vms { for _ in 0..<c.queueDepth { issue(vm) } }
        } else {
            for vm in 0..<c.vms { queue.push(.arrival(vm: vm), at: UInt64(-log(max(rng.unit(), 1e-12)) / c.rate * 1e9)) }
        }
        var lastProgress = 0
        while let (t, e) = queue.pop() {
            now = t
            switch e {
            case let .arrival(vm):
                issue(vm)
                if issued < c.requests {
                    queue.push(.arrival(vm: vm), at: now + UInt64(-log(max(rng.unit(), 1e-12)) / c.rate * 1e9) + 1)
                }
            case let .done(s, id):
                busy[s] = false
                if let w = writer, !pendingExits[s].isEmpty {
                    for x in pendingExits[s] { try w.append(IOEvents.vmExit, at: now, UInt64(x.reason), x.ns, UInt64(x.vm)) }
                    pendingExits[s].removeAll(keepingCapacity: true)
                }
                if waitHead[s] < waiting[s].count {
                    let next = waiting[s][waitHead[s]]
                    waitHead[s] += 1
                    if waitHead[s] > 1_024 { waiting[s].removeFirst(waitHead[s]); waitHead[s] = 0 }
                    start(next, at: s)
                }
                let stage = route[jobs[id].stage]
                if stage == .complete {
                    let j = jobs[id]
                    let latency = now - j.arrival
                    r.latencies.append(latency)
                    r.completed += 1
                    r.bytes += Double(c.bytes)
                    if let w = writer {
                        try w.append(IOEvents.request, at: now, UInt64(j.vm), c.device == .nic ? 0 : 1, UInt64(j.op), UInt64(c.bytes), latency)
                        if r.completed % 4_096 == 0 {
                            try w.append(IOEvents.counters, at: now, UInt64(r.completed), UInt64(r.bytes), r.totalExits)
                        }
                    }
                    freeJobs.append(id)
                    if c.loop == .closed { issue(j.vm) }
                    if r.completed - lastProgress >= 65_536 { lastProgress = r.completed; progress.update(UInt64(r.completed), of: UInt64(c.requests)) }
                } else {
                    jobs[id].stage += 1
                    if stage == .device, c.deviceLatency > 0 {
                        queue.push(.delivered(job: id), at: now + UInt64(c.deviceLatency * 1e9))
                    } else {
                        enqueue(id)
                    }
                }
            case let .delivered(id):
                enqueue(id)
            }
        }
        r.makespan = Double(now) / 1e9
        r.latencies.sort()
        if let w = writer { try w.append(IOEvents.counters, at: now, UInt64(r.completed), UInt64(r.bytes), r.totalExits) }
        return r
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
