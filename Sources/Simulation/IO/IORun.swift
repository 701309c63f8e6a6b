#if canImport(Glibc)
import Glibc
#endif
import TraceFormat
import Vocabulary

/// The state of one I/O simulation: the event queue, the stations (one vCPU per VM, the host
/// backend, the device) with their FIFO waiting lines, and the requests in flight.
struct IORun {
    /// Events packed in one word (kind in the top two bits) so the queue's entries are 24 bytes:
    /// an enum payload made them 40 and cost a store-forwarding stall on every push.
    enum Event {
        static func arrival(vm: Int) -> UInt64 { UInt64(vm) }
        static func done(station: Int, job: Int) -> UInt64 { 1 << 62 | UInt64(station) << 32 | UInt64(job) }
        static func delivered(job: Int) -> UInt64 { 2 << 62 | UInt64(job) }
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
    /// Which DMAs go astray: a stream of its own, drawn once per device service, so runs that
    /// differ only in timing (the IOMMU on or off) send the same requests astray.
    var rogueRng: SplitMix64
    var queue = EventQueue<UInt64>()
    /// Jobs, waiting lines and per-VM counters in raw storage: as arrays in this struct every
    /// write paid a uniqueness check (a tenth of the paravirtual path).
    let st: IOState
    let backend: Int
    let device: Int
    var issued = 0
    let iotlbs: [TLB]
    let iotlbMemory: TLBMemory
    var dmaCursor: [UInt64]
    let pages: UInt64
    let copy: UInt64
    /// Transfer time of one request on the device, ns (before IOTLB misses).
    let transferNs: Double
    /// Cycles → ns for the fixed-cost stages, computed once.
    let backendNs: UInt64
    var now: UInt64 = 0
    /// Exits taken during a station's current service; written when the service ends, so trace
    /// times never go back.
    var pendingExits: [[(reason: IOEvents.ExitReason, vm: Int, ns: UInt64)]]

    init(config: IOConfig, seed: UInt64, route: [IOSimulator.Station], writer: TraceWriter?) {
        c = config
        k = config.costs
        self.route = route
        self.writer = writer
        rng = SplitMix64.derived(seed: seed, stream: 6)
        rogueRng = SplitMix64.derived(seed: seed, stream: 7)
        backend = config.vms
        device = config.vms + 1
        st = IOState(stations: config.vms + 2, vms: config.vms)
        iotlbs = (0..<config.vms).map { _ in TLB(sets: 1, ways: config.iotlbEntries) }
        iotlbMemory = TLBMemory(iotlbs.map { TLBHierarchy(l1: $0) })
        dmaCursor = [UInt64](repeating: 0, count: config.vms)
        pages = UInt64((config.bytes + 4_095) / 4_096)
        copy = UInt64(config.bytes) * config.costs.copyPerKiB / 1_024
        transferNs = Double(config.bytes) / config.deviceRate * 1e9
        backendNs = UInt64(Double(config.costs.backend &+ copy) / config.clockGHz)
        pendingExits = [[(reason: IOEvents.ExitReason, vm: Int, ns: UInt64)]](repeating: [], count: config.vms + 2)
        r.latencies.reserveCapacity(config.requests)
    }

    /// The last two cycle counts converted and their results: most services cost one of two
    /// fixed amounts (submit, complete), and a division is the dearest instruction on the path.
    var nsMemo: (UInt64, UInt64, UInt64, UInt64) = (.max, 0, .max, 0)

    /// Cycles → ns, exactly `UInt64(Double(cycles) / clockGHz)`.
    @inline(__always)
    mutating func ns(_ cycles: UInt64) -> UInt64 {
        if cycles == nsMemo.0 { return nsMemo.1 }
        if cycles == nsMemo.2 { return nsMemo.3 }
        let v = UInt64(Double(cycles) / c.clockGHz)
        nsMemo = (cycles, v, nsMemo.0, nsMemo.1)
        return v
    }

    /// Writes an event from inside the stations' service steps, which cannot throw: a failed
    /// write is kept by the writer (`failure`), which `simulate` checks at its next progress
    /// point and `close` throws — it stops the run, it is never dropped.
    func emit(_ kind: UInt16, _ a: UInt64, _ b: UInt64, _ d: UInt64) {
        guard let w = writer, w.failure == nil else { return }
        do { try w.append(kind, at: now, a, b, d) } catch { assert(w.failure != nil, "the writer keeps its failure") }
    }

    /// A VM exit of `handler` cycles on VM `vm`'s vCPU; returns its cycles.
    mutating func exit(_ reason: IOEvents.ExitReason, _ vm: Int, handler: UInt64) -> UInt64 {
        let d = k.vmExit + handler
        r.exits[reason.rawValue] &+= 1
        r.vmmCycles &+= d
        if writer != nil { pendingExits[vm].append((reason, vm, ns(d))) }
        return d
    }

    mutating func issue(_ vm: Int) {
        guard issued < c.requests else { return }
        issued += 1
        let op = c.device == .nic ? (rng.unit() < c.writeFraction ? 0 : 1) : (rng.unit() < c.writeFraction ? 3 : 2)
        let job = Job(vm: vm, stage: 0, arrival: now, op: op)
        let id = st.add(job)
        enqueue(id)
    }

    func station(of id: Int) -> Int {
        switch route[st.jobs[id].stage] {
        case .submit, .complete: st.jobs[id].vm
        case .backend: backend
        case .device: device
        }
    }

    mutating func enqueue(_ id: Int) {
        let s = station(of: id)
        guard st.busy[s] else { start(id, at: s); return }
        st.nextInLine[id] = -1
        if st.lineTail[s] < 0 { st.lineHead[s] = id } else { st.nextInLine[st.lineTail[s]] = id }
        st.lineTail[s] = id
    }

    mutating func start(_ id: Int, at s: Int) {
        st.busy[s] = true
        queue.push(Event.done(station: s, job: id), at: now + service(id))
    }

    /// Service time of a job's current stage, with its exits, DMA and accounting.
    mutating func service(_ id: Int) -> UInt64 {
        let j = st.jobs[id]
        var cycles: UInt64 = 0
        switch route[j.stage] {
        case .submit:
            st.submitted[j.vm] += 1
            r.guestCycles &+= k.driver
            cycles = k.driver
            switch c.approach {
            case .native, .passthrough: break
            case .emulation:
                // Every register access the unmodified driver makes traps to the device model,
                // which also copies the data.
                for _ in 0..<c.accessesPerRequest { cycles &+= exit(c.device == .nic ? .mmio : .pio, j.vm, handler: k.emulateAccess) }
                cycles &+= copy
                r.vmmCycles &+= copy
            case .paravirtual:
                cycles &+= k.ring
                r.guestCycles &+= k.ring
                if st.submitted[j.vm] == c.batch {
                    st.submitted[j.vm] = 0
                    r.kicks &+= 1
                    cycles &+= exit(.kick, j.vm, handler: 0)
                    emit(IOEvents.ring, UInt64(j.vm), 0, UInt64(c.batch))
                }
            }
            return ns(cycles)
        case .backend:
            r.backendCycles &+= k.backend &+ copy
            return backendNs
        case .device:
            var t = transferNs
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
            if c.rogueShare > 0, rogueRng.unit() < c.rogueShare {
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
            st.completedPerVM[j.vm] += 1
            switch c.approach {
            case .native:
                r.interrupts &+= 1
            case .emulation:
                r.interrupts &+= 1
                cycles &+= exit(.interrupt, j.vm, handler: k.inject)
                for _ in 0..<c.accessesPerInterrupt { cycles &+= exit(c.device == .nic ? .mmio : .pio, j.vm, handler: k.emulateAccess) }
                cycles &+= eoi(j.vm)
                emit(IOEvents.interrupt, UInt64(j.vm), 0, 1)
            case .paravirtual:
                if st.completedPerVM[j.vm] == c.coalesce {
                    st.completedPerVM[j.vm] = 0
                    r.interrupts &+= 1
                    cycles &+= exit(.interrupt, j.vm, handler: k.inject)
                    cycles &+= eoi(j.vm)
                    emit(IOEvents.ring, UInt64(j.vm), 1, UInt64(c.coalesce))
                    emit(IOEvents.interrupt, UInt64(j.vm), 0, UInt64(c.coalesce))
                }
            case .passthrough:
                r.interrupts &+= 1
                if c.postedInterrupts {
                    emit(IOEvents.interrupt, UInt64(j.vm), 1, 1)
                } else {
                    // The device's interrupt arrives while the guest runs: an external-interrupt
                    // exit, the VMM injects it, and without APIC virtualization the EOI exits too.
                    cycles &+= exit(.interrupt, j.vm, handler: k.inject)
                    cycles &+= eoi(j.vm)
                    emit(IOEvents.interrupt, UInt64(j.vm), 0, 1)
                }
            }
            return ns(cycles)
        }
    }

    /// The guest's end-of-interrupt write: an APIC-access exit the VMM emulates, unless virtual-
    /// interrupt delivery (APICv/AVIC) completes it in hardware.
    mutating func eoi(_ vm: Int) -> UInt64 {
        c.apicVirtualization ? 0 : exit(.eoi, vm, handler: k.emulateAccess)
    }

    /// An exponential gap between open-loop arrivals.
    mutating func gap() -> UInt64 { UInt64(-log(max(rng.unit(), 1e-12)) / c.rate * 1e9) + 1 }

    mutating func simulate(progress: RunProgress) throws {
        // A sample at the start (nothing done yet), so the counter lanes begin with the run.
        if let w = writer { try w.append(IOEvents.counters, at: now, UInt64(r.completed), UInt64(r.bytes), r.totalExits) }
        if c.loop == .closed {
            for vm in 0..<c.vms { for _ in 0..<c.queueDepth { issue(vm) } }
        } else {
            for vm in 0..<c.vms { queue.push(Event.arrival(vm: vm), at: gap()) }
        }
        var lastProgress = 0
        while let (t, e) = queue.pop() {
            now = t
            switch e >> 62 {
            case 0:
                let vm = Int(e)
                issue(vm)
                if issued < c.requests { queue.push(Event.arrival(vm: vm), at: now + gap()) }
            case 1:
                let s = Int((e >> 32) & 0x3FFF_FFFF), id = Int(e & 0xFFFF_FFFF)
                st.busy[s] = false
                if let w = writer, !pendingExits[s].isEmpty {
                    for x in pendingExits[s] { try VMExitEvent.append(w, id: IOEvents.vmExit, at: now, reason: x.reason, duration: x.ns, vcpu: x.vm) }
                    pendingExits[s].removeAll(keepingCapacity: true)
                }
                let next = st.lineHead[s]
                if next >= 0 {
                    st.lineHead[s] = st.nextInLine[next]
                    if st.lineHead[s] < 0 { st.lineTail[s] = -1 }
                    start(next, at: s)
                }
                let stage = route[st.jobs[id].stage]
                if stage == .complete {
                    let j = st.jobs[id]
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
                    st.free(id)
                    if c.loop == .closed { issue(j.vm) }
                    if r.completed - lastProgress >= 65_536 {
                        lastProgress = r.completed
                        progress.update(UInt64(r.completed), of: UInt64(c.requests))
                        if let failure = writer?.failure { throw failure } // a failed trace write stops the run
                    }
                } else {
                    st.jobs[id].stage += 1
                    if stage == .device, c.deviceLatency > 0 {
                        queue.push(Event.delivered(job: id), at: now + UInt64(c.deviceLatency * 1e9))
                    } else {
                        enqueue(id)
                    }
                }
            default:
                enqueue(Int(e & 0xFFFF_FFFF))
            }
        }
        r.makespan = Double(now) / 1e9
        if let w = writer { try w.append(IOEvents.counters, at: now, UInt64(r.completed), UInt64(r.bytes), r.totalExits) }
    }
}

/// The I/O run's hot mutable state in raw memory owned by one object: job slots with a free
/// list, FIFO waiting lines threaded through the jobs (head and tail per station, next per
/// job), busy flags, and per-VM batch and coalescing counters.
final class IOState {
    private(set) var jobs: UnsafeMutablePointer<IORun.Job>
    private(set) var nextInLine: UnsafeMutablePointer<Int>
    private var freeList: UnsafeMutablePointer<Int>
    private var capacity = 64
    private var count = 0
    private var freeCount = 0
    let busy: UnsafeMutablePointer<Bool>
    let lineHead: UnsafeMutablePointer<Int>
    let lineTail: UnsafeMutablePointer<Int>
    let submitted: UnsafeMutablePointer<Int>
    let completedPerVM: UnsafeMutablePointer<Int>
    private let stations: Int
    private let vms: Int

    init(stations: Int, vms: Int) {
        self.stations = stations
        self.vms = vms
        jobs = .allocate(capacity: capacity)
        nextInLine = .allocate(capacity: capacity)
        freeList = .allocate(capacity: capacity)
        busy = .allocate(capacity: stations)
        busy.initialize(repeating: false, count: stations)
        lineHead = .allocate(capacity: stations)
        lineHead.initialize(repeating: -1, count: stations)
        lineTail = .allocate(capacity: stations)
        lineTail.initialize(repeating: -1, count: stations)
        submitted = .allocate(capacity: vms)
        submitted.initialize(repeating: 0, count: vms)
        completedPerVM = .allocate(capacity: vms)
        completedPerVM.initialize(repeating: 0, count: vms)
    }

    deinit {
        jobs.deinitialize(count: count)
        jobs.deallocate()
        nextInLine.deallocate()
        freeList.deallocate()
        busy.deallocate()
        lineHead.deallocate()
        lineTail.deallocate()
        submitted.deallocate()
        completedPerVM.deallocate()
    }

    /// Stores a job in a free slot (reusing the most recently freed one) and returns its id.
    @inline(__always)
    func add(_ job: IORun.Job) -> Int {
        if freeCount > 0 {
            freeCount -= 1
            let id = freeList[freeCount]
            jobs[id] = job
            return id
        }
        if count == capacity { grow() }
        (jobs + count).initialize(to: job)
        nextInLine[count] = -1
        count += 1
        return count - 1
    }

    @inline(__always)
    func free(_ id: Int) {
        freeList[freeCount] = id
        freeCount += 1
    }

    private func grow() {
        let bigger = capacity * 2
        let j = UnsafeMutablePointer<IORun.Job>.allocate(capacity: bigger)
        j.moveInitialize(from: jobs, count: count)
        jobs.deallocate()
        jobs = j
        let n = UnsafeMutablePointer<Int>.allocate(capacity: bigger)
        n.update(from: nextInLine, count: count)
        nextInLine.deallocate()
        nextInLine = n
        let f = UnsafeMutablePointer<Int>.allocate(capacity: bigger)
        f.update(from: freeList, count: freeCount)
        freeList.deallocate()
        freeList = f
        capacity = bigger
    }
}
