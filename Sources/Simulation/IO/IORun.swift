#if canImport(Glibc)
import Glibc
#endif
import TraceFormat

/// The state of one I/O simulation: the event queue, the stations (one vCPU per VM, the host
/// backend, the device) with their FIFO waiting lines, and the requests in flight.
struct IORun {
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

    let c: IOConfig
    let k: IOCosts
    let route: [IOSimulator.Station]
    let writer: TraceWriter?
    var r = IOSimulator.Result()
    var rng: SplitMix64
    var queue = EventQueue<Event>()
    var jobs: [Job] = []
    var freeJobs: [Int] = []
    let backend: Int
    let device: Int
    var busy: [Bool]
    /// FIFO waiting lines as linked lists through the jobs: head and tail per station, next per job.
    var lineHead: [Int]
    var lineTail: [Int]
    var nextInLine: [Int] = []
    var issued = 0
    var submitted: [Int]
    var completedPerVM: [Int]
    let iotlbs: [TLB]
    let iotlbMemory: TLBMemory
    var dmaCursor: [UInt64]
    let pages: UInt64
    let copy: UInt64
    var now: UInt64 = 0
    /// Exits taken during a station's current service; written when the service ends, so trace
    /// times never go back.
    var pendingExits: [[(reason: Int, vm: Int, ns: UInt64)]]

    init(config: IOConfig, seed: UInt64, route: [IOSimulator.Station], writer: TraceWriter?) {
        c = config
        k = config.costs
        self.route = route
        self.writer = writer
        rng = SplitMix64.derived(seed: seed, stream: 6)
        backend = config.vms
        device = config.vms + 1
        busy = [Bool](repeating: false, count: config.vms + 2)
        lineHead = [Int](repeating: -1, count: config.vms + 2)
        lineTail = [Int](repeating: -1, count: config.vms + 2)
        submitted = [Int](repeating: 0, count: config.vms)
        completedPerVM = [Int](repeating: 0, count: config.vms)
        iotlbs = (0..<config.vms).map { _ in TLB(sets: 1, ways: config.iotlbEntries) }
        iotlbMemory = TLBMemory(iotlbs.map { TLBHierarchy(l1: $0) })
        dmaCursor = [UInt64](repeating: 0, count: config.vms)
        pages = UInt64((config.bytes + 4_095) / 4_096)
        copy = UInt64(config.bytes) * config.costs.copyPerKiB / 1_024
        pendingExits = [[(reason: Int, vm: Int, ns: UInt64)]](repeating: [], count: config.vms + 2)
        r.latencies.reserveCapacity(config.requests)
    }

    @inline(__always)
    func ns(_ cycles: UInt64) -> UInt64 { UInt64(Double(cycles) / c.clockGHz) }

    func emit(_ kind: UInt16, _ a: UInt64, _ b: UInt64, _ d: UInt64) {
        guard let w = writer else { return }
        try? w.append(kind, at: now, a, b, d)
    }

    /// A VM exit of `handler` cycles on VM `vm`'s vCPU; returns its cycles.
    mutating func exit(_ reason: Int, _ vm: Int, handler: UInt64) -> UInt64 {
        let d = k.vmExit + handler
        r.exits[reason] &+= 1
        r.vmmCycles &+= d
        if writer != nil { pendingExits[vm].append((reason, vm, ns(d))) }
        return d
    }

    mutating func issue(_ vm: Int) {
        guard issued < c.requests else { return }
        issued += 1
        let op = c.device == .nic ? (rng.unit() < c.writeFraction ? 0 : 1) : (rng.unit() < c.writeFraction ? 3 : 2)
        let job = Job(vm: vm, stage: 0, arrival: now, op: op)
        let id: Int
        if let f = freeJobs.popLast() { jobs[f] = job; id = f } else { jobs.append(job); nextInLine.append(-1); id = jobs.count - 1 }
        enqueue(id)
    }

    func station(of id: Int) -> Int {
        switch route[jobs[id].stage] {
        case .submit, .complete: jobs[id].vm
        case .backend: backend
        case .device: device
        }
    }

    mutating func enqueue(_ id: Int) {
        let s = station(of: id)
        guard busy[s] else { start(id, at: s); return }
        nextInLine[id] = -1
        if lineTail[s] < 0 { lineHead[s] = id } else { nextInLine[lineTail[s]] = id }
        lineTail[s] = id
    }

    mutating func start(_ id: Int, at s: Int) {
        busy[s] = true
        queue.push(.done(station: s, job: id), at: now + service(id))
    }

    /// Service time of a job's current stage, with its exits, DMA and accounting.
    mutating func service(_ id: Int) -> UInt64 {
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
                for _ in 0..<c.accessesPerRequest { cycles &+= exit(c.device == .nic ? 0 : 1, j.vm, handler: k.emulateAccess) }
                cycles &+= copy
                r.vmmCycles &+= copy
            case .paravirtual:
                cycles &+= k.ring
                r.guestCycles &+= k.ring
                if submitted[j.vm] == c.batch {
                    submitted[j.vm] = 0
                    r.kicks &+= 1
                    cycles &+= exit(2, j.vm, handler: 0)
                    emit(IOEvents.ring, UInt64(j.vm), 0, UInt64(c.batch))
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
                if c.approach == .passthrough { emit(IOEvents.dma, UInt64(j.vm), pages, misses) }
            }
            if c.rogueShare > 0, rng.unit() < c.rogueShare {
                // A DMA aimed at another VM's memory.
                let target = UInt64((j.vm + 1) % max(c.vms, 2))
                if c.approach == .passthrough && !c.iommu {
                    r.dmaUnsafe &+= 1
                    emit(IOEvents.isolation, UInt64(j.vm), target, 1)
                } else {
                    r.dmaBlocked &+= 1
                    emit(IOEvents.isolation, UInt64(j.vm), target, 0)
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
                cycles &+= exit(3, j.vm, handler: k.inject)
                for _ in 0..<c.accessesPerInterrupt { cycles &+= exit(c.device == .nic ? 0 : 1, j.vm, handler: k.emulateAccess) }
                emit(IOEvents.interrupt, UInt64(j.vm), 0, 1)
            case .paravirtual:
                if completedPerVM[j.vm] == c.coalesce {
                    completedPerVM[j.vm] = 0
                    r.interrupts &+= 1
                    cycles &+= exit(3, j.vm, handler: k.inject)
                    emit(IOEvents.ring, UInt64(j.vm), 1, UInt64(c.coalesce))
                    emit(IOEvents.interrupt, UInt64(j.vm), 0, UInt64(c.coalesce))
                }
            case .passthrough:
                r.interrupts &+= 1
                if c.postedInterrupts {
                    emit(IOEvents.interrupt, UInt64(j.vm), 1, 1)
                } else {
                    cycles &+= exit(4, j.vm, handler: k.inject)
                    emit(IOEvents.interrupt, UInt64(j.vm), 0, 1)
                }
            }
            return ns(cycles)
        }
    }

    /// An exponential gap between open-loop arrivals.
    mutating func gap() -> UInt64 { UInt64(-log(max(rng.unit(), 1e-12)) / c.rate * 1e9) + 1 }

    mutating func simulate(progress: RunProgress) throws {
        if c.loop == .closed {
            for vm in 0..<c.vms { for _ in 0..<c.queueDepth { issue(vm) } }
        } else {
            for vm in 0..<c.vms { queue.push(.arrival(vm: vm), at: gap()) }
        }
        var lastProgress = 0
        while let (t, e) = queue.pop() {
            now = t
            switch e {
            case let .arrival(vm):
                issue(vm)
                if issued < c.requests { queue.push(.arrival(vm: vm), at: now + gap()) }
            case let .done(s, id):
                busy[s] = false
                if let w = writer, !pendingExits[s].isEmpty {
                    for x in pendingExits[s] { try w.append(IOEvents.vmExit, at: now, UInt64(x.reason), x.ns, UInt64(x.vm)) }
                    pendingExits[s].removeAll(keepingCapacity: true)
                }
                let next = lineHead[s]
                if next >= 0 {
                    lineHead[s] = nextInLine[next]
                    if lineHead[s] < 0 { lineTail[s] = -1 }
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
                        if r.completed & 4_095 == 0 {
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
        if let w = writer { try w.append(IOEvents.counters, at: now, UInt64(r.completed), UInt64(r.bytes), r.totalExits) }
    }
}
