import TraceFormat

/// The state of one simulated VM's memory system and the rules of its translation mode.
///
/// A value type driven by `MemorySimulator`: the hot path (`access`) touches only local
/// arrays, and the same machine runs natively (for the baseline) and virtualized.
struct MemoryMachine {
    let c: MemoryConfig
    let k: MemoryCosts
    let writer: TraceWriter?
    let clock: CycleClock
    let base: UInt64
    let pageShift: UInt64
    let pageFrames: UInt64
    var totals = MemoryTotals()
    /// The totals when the warm-up ended (`memory.workload.warmup: touch`), else nil.
    var warmupTotals: MemoryTotals?
    /// The access count at which the next counter sample is written.
    var nextCounterSample: UInt64

    // Guest
    var procs: [GuestProcess] = []
    var freePids: [Int] = []
    var running: [Int]
    var guestFrames: GuestFrameAllocator
    var sharedFrames: [UInt64]
    // Hardware
    let tlbs: [TLBHierarchy]
    let tlbMemory: TLBMemory
    /// Per vCPU: the page-walk cache (non-leaf entries of both dimensions) and the nested TLB.
    var pwc: WalkCacheSet
    var ntlb: WalkCacheSet
    // Nested paging
    var ept: RadixPageTable
    // Shadow paging
    var shadows: [RadixPageTable?] = []
    /// Per vCPU, the shadow roots it keeps ready (process ids, most recent first): the current
    /// root and KVM's previous roots.
    var rootCaches: [[Int]]
    /// When each process's shadow table was last loaded as a root (for zapping the oldest).
    var shadowLastUse: [UInt64] = []
    var p2m: [UInt32]
    var hostPages: UInt64 = 0

    init(config: MemoryConfig, writer: TraceWriter?) {
        c = config
        k = config.costs
        self.writer = writer
        clock = CycleClock(ghz: config.clockGHz)
        // The working set sits in the upper half of the canonical lower address space.
        base = UInt64(1) << UInt64(12 + 9 * config.levels - 2)
        pageShift = config.largePages ? 21 : 12
        pageFrames = config.largePages ? 512 : 1
        nextCounterSample = config.counterInterval
        guestFrames = GuestFrameAllocator(frames: config.guestMemoryBytes >> 12)
        sharedFrames = config.shared ? [UInt64](repeating: .max, count: Int(config.workingSetBytes >> (config.largePages ? 21 : 12)) + 1) : []
        running = [Int](repeating: 0, count: config.vcpus)
        rootCaches = [[Int]](repeating: [], count: config.vcpus)
        tlbs = (0..<config.vcpus).map { _ in
            TLBHierarchy(l1Sets: config.tlbSets, l1Ways: config.tlbWays, l2Sets: config.l2Sets, l2Ways: config.l2Ways)
        }
        tlbMemory = TLBMemory(tlbs)
        pwc = WalkCacheSet(entries: config.walkCache ? config.walkCacheEntries : 0, vcpus: config.vcpus)
        ntlb = WalkCacheSet(entries: config.mode == .nested ? config.nestedTLBEntries : 0, vcpus: config.vcpus)
        ept = RadixPageTable(levels: config.nestedLevels, largePages: config.nestedLargePages)
        p2m = config.mode == .shadow ? [UInt32](repeating: 0, count: Int(config.guestMemoryBytes >> 12)) : []
    }

    /// Sets up the first processes and puts them on the vCPUs.
    mutating func boot() throws {
        for _ in 0..<c.processes { _ = try spawn() }
        for v in 0..<c.vcpus {
            running[v] = v % c.processes
            if c.mode == .shadow { try loadShadowRoot(running[v], v) }
        }
    }

    /// Creates a process with an empty page table (its root page allocated from guest memory).
    mutating func spawn() throws -> Int {
        let root = try guestFrames.allocate(large: false)
        let pid = freePids.popLast() ?? procs.count
        let p = GuestProcess(table: RadixPageTable(levels: c.levels, largePages: c.largePages, rootFrame: root))
        if pid == procs.count { procs.append(p); shadows.append(nil); shadowLastUse.append(0) } else { procs[pid] = p }
        try touch(root, large: false, vcpu: 0)
        return pid
    }

    /// A guest TLB flush also drops the guest's entries from the page-walk cache (not the nested
    /// table's, nor the nested TLB: the guest cannot change those).
    mutating func clearWalkCache(_ v: Int) {
        pwc.clear(vcpu: v, where: WalkCacheSet.isGuestTag)
    }

    // MARK: The access path

    /// The TLB tag of a process: its PCID/VPID when entries are tagged, else one shared tag.
    @inline(__always)
    func tag(_ pid: Int) -> UInt64 { c.tagged ? UInt64(pid) &+ 1 : 0 }

    /// One memory access by vCPU `v` of its running process.
    @inline(__always)
    mutating func access(_ address: UInt64, write: Bool, vcpu v: Int) throws {
        let pid = running[v]
        let key = TLB.key(page: address >> pageShift, tag: tag(pid))
        let (hit, level) = tlbs[v].lookup(key)
        if hit == .writable || (hit == .readOnly && !write) {
            totals.tlbHits &+= 1
            let cost = level == .l1 ? k.tlbHit : k.l2TLBHit
            totals.cycles &+= cost
            totals.translationCycles &+= cost
            return
        }
        if hit == .readOnly {
            // A write to a read-only translation: a protection fault (copy-on-write in the guest).
            totals.tlbHits &+= 1
            tlbs[v].invalidate(key)
        } else {
            totals.tlbMisses &+= 1
        }
        try translate(address, write: write, vcpu: v, key: key)
    }

    /// Walks (and faults) until the access has a translation, then fills the TLB.
    mutating func translate(_ address: UInt64, write: Bool, vcpu v: Int, key: UInt64) throws {
        let pid = running[v]
        while true {
            let walk: RadixPageTable.Walk
            switch c.mode {
            case .native:
                walk = procs[pid].table.walk(address)
                try chargeWalk(refs: cachedRefs(walk.refs, address, v, pid), address: address, vcpu: v)
            case .nested:
                if pwc.isEnabled || ntlb.isEnabled {
                    let (w, frames) = procs[pid].table.walkWithFrames(address)
                    walk = w
                    try chargeWalk(refs: cachedTwoDimensionalRefs(address, pid: pid, guest: w, frames: frames, vcpu: v), address: address, vcpu: v)
                } else {
                    walk = procs[pid].table.walk(address)
                    try chargeWalk(refs: twoDimensionalRefs(address, pid: pid, guest: walk, vcpu: v), address: address, vcpu: v)
                }
            case .shadow:
                let s = shadows[pid]!.walk(address)
                try chargeWalk(refs: cachedRefs(s.refs, address, v, pid), address: address, vcpu: v)
                if s.present && (!write || s.writable) {
                    tlbs[v].insert(key, writable: s.writable)
                    return
                }
                try shadowFault(address, write: write, vcpu: v)
                continue
            }
            if !walk.present {
                try demandFault(address, vcpu: v)
            } else if write && !walk.writable {
                try protectionFault(address, vcpu: v)
            } else {
                tlbs[v].insert(key, writable: walk.writable)
                return
            }
        }
    }

    /// Counts a hardware walk's references and time.
    @inline(__always)
    mutating func chargeWalk(refs: Int, address: UInt64, vcpu v: Int) throws {
        let cost = UInt64(refs) &* k.walkRef
        totals.walks &+= 1
        totals.walkRefs &+= UInt64(refs)
        totals.cycles &+= cost
        totals.translationCycles &+= cost
        if c.detail == .walks, let w = writer {
            try w.append(MemoryEvents.pageWalk, at: clock.nanoseconds(totals.cycles), address >> pageShift, UInt64(min(refs, 255)), UInt64(v))
        }
    }

    /// A one-dimensional walk's memory references once the page-walk cache has answered what it
    /// holds: every entry read but the last (a leaf, or one not present) is a non-leaf entry the
    /// cache may hold (Bhargava et al.'s PWC, as on AMD's walker).
    @inline(__always)
    mutating func cachedRefs(_ refs: Int, _ address: UInt64, _ v: Int, _ pid: Int) -> Int {
        guard pwc.isEnabled, refs > 1 else { return refs }
        var memory = 1, level = c.levels
        for _ in 0..<(refs - 1) {
            memory &+= entryRead(WalkCacheSet.entryTag(dimension: 0, space: tag(pid), level: level, address: address), vcpu: v)
            level &-= 1
        }
        return memory
    }

    /// One non-leaf entry the walker needs: 0 memory references when the page-walk cache holds
    /// it (its hit time charged), else 1 (and the cache keeps it).
    @inline(__always)
    mutating func entryRead(_ tag: UInt64, vcpu v: Int) -> Int {
        guard pwc.isEnabled, pwc.lookup(tag, vcpu: v) else { return 1 }
        totals.walkCacheHits &+= 1
        chargeCacheHit()
        return 0
    }

    /// The time of a page-walk-cache or nested-TLB hit.
    @inline(__always)
    mutating func chargeCacheHit() {
        totals.cycles &+= k.walkCacheHit
        totals.translationCycles &+= k.walkCacheHit
    }

    /// References of the two-dimensional walk: every guest-table page the walk reads is itself
    /// translated through the nested table, and so is the final guest-physical address —
    /// (n+1)(m+1)−1 for n guest and m nested levels when nothing is cached.
    ///
    /// Every guest frame is backed in the nested table before the guest uses it (`touch`), so
    /// each nested walk reads exactly `m` entries; counting them needs no walk.
    mutating func twoDimensionalRefs(_ address: UInt64, pid: Int, guest: RadixPageTable.Walk, vcpu v: Int) -> Int {
        let m = ept.walkLevels
        assert(procs[pid].table.pathBacked(address, by: ept, data: guest), "a guest frame on this walk is not backed in the nested table")
        return guest.refs * (m + 1) + (guest.present ? m : 0)
    }

    /// `twoDimensionalRefs` with caches (Bhargava et al., ASPLOS 2008): a nested translation the
    /// nested TLB holds costs no reference; otherwise its nested walk's entries, and the guest
    /// walk's non-leaf ones, may hit the page-walk cache ("2D_PWC"). `frames` are the guest table
    /// pages the walk read (from `walkWithFrames`).
    mutating func cachedTwoDimensionalRefs(_ address: UInt64, pid: Int, guest: RadixPageTable.Walk, frames: SIMD8<UInt64>, vcpu v: Int) -> Int {
        assert(procs[pid].table.pathBacked(address, by: ept, data: guest), "a guest frame on this walk is not backed in the nested table")
        var memory = 0, level = c.levels
        for i in 0..<guest.refs {
            memory &+= nestedRefs(frames[i] << 12, vcpu: v, tablePage: true)
            // The last guest entry read (a leaf, or one not present) is never cached.
            memory &+= i < guest.refs - 1 ? entryRead(WalkCacheSet.entryTag(dimension: 0, space: tag(pid), level: level, address: address), vcpu: v) : 1
            level &-= 1
        }
        if guest.present {
            let inPage = address & ((UInt64(1) << pageShift) - 1) & ~UInt64(0xFFF)
            memory &+= nestedRefs(guest.frame << 12 | inPage, vcpu: v, tablePage: false)
        }
        return memory
    }

    /// Memory references of one nested translation (gPA → sPA). Translating a guest table page,
    /// even the nested leaf entry may come from the page-walk cache (it is an entry of the walk,
    /// not the data's translation, which goes to the TLB): Bhargava et al.'s 2D_PWC caches
    /// every nested entry of those walks, so the nested TLB saves only the cache's own latency.
    @inline(__always)
    mutating func nestedRefs(_ gpa: UInt64, vcpu v: Int, tablePage: Bool) -> Int {
        if ntlb.isEnabled, ntlb.lookup(gpa >> (c.nestedLargePages ? 21 : 12), vcpu: v) {
            totals.nestedTLBHits &+= 1
            chargeCacheHit()
            return 0
        }
        let m = ept.walkLevels
        guard pwc.isEnabled else { return m }
        let cached = tablePage ? m : m - 1
        var memory = m - cached, level = ept.levels
        for _ in 0..<cached {
            memory &+= entryRead(WalkCacheSet.entryTag(dimension: 1, space: 0, level: level, address: gpa), vcpu: v)
            level &-= 1
        }
        return memory
    }
}

extension RadixPageTable {
    /// Whether every guest frame a walk of `address` reads — its table pages and the data page —
    /// is mapped in `nested` (the debug check behind the 2-D walk's reference count).
    func pathBacked(_ address: UInt64, by nested: RadixPageTable, data: Walk) -> Bool {
        var backed = !data.present || nested.walk(data.frame << 12).present
        forEachNode(on: address) { frame in backed = backed && nested.walk(frame << 12).present }
        return backed
    }
}

/// A guest process: its page table (gVA → gPA), its id doubles as its address-space tag.
struct GuestProcess {
    var table: RadixPageTable
}

/// Guest-physical frames (4 KiB units; a 2 MiB page is 512 aligned frames) with reference counts.
struct GuestFrameAllocator {
    let frames: UInt64
    private var next: UInt64 = 1
    private var free: [UInt64] = []
    private var freeLarge: [UInt64] = []
    var refcount: [UInt16]
    private(set) var inUse: UInt64 = 0

    init(frames: UInt64) {
        self.frames = frames
        refcount = [UInt16](repeating: 0, count: Int(frames))
    }

    mutating func allocate(large: Bool) throws -> UInt64 {
        let size: UInt64 = large ? 512 : 1
        inUse += size
        if large, let f = freeLarge.popLast() { return f }
        if !large, let f = free.popLast() { return f }
        var f = next
        if large { f = (f + 511) & ~511 }
        guard f + size <= frames else { throw SimulationError.outOfGuestMemory(frames: frames) }
        next = f + size
        return f
    }

    mutating func release(_ frame: UInt64, large: Bool) {
        inUse -= large ? 512 : 1
        if large { freeLarge.append(frame) } else { free.append(frame) }
    }
}

/// A run that cannot continue with the scenario as given.
package enum SimulationError: Error, CustomStringConvertible, Equatable {
    case outOfGuestMemory(frames: UInt64)

    package var description: String {
        switch self {
        case let .outOfGuestMemory(frames):
            "the guest ran out of its \(frames >> 8) MiB of memory; raise memory.guest_memory_mib or lower the working set, processes or fork rate"
        }
    }
}
