import TraceFormat

/// Process-level guest activity: context switches, fork and exit, munmap, TLB shootdowns.
extension MemoryMachine {
    /// Puts process `pid` on vCPU `v`: a CR3 write.
    mutating func contextSwitch(_ v: Int, to pid: Int) throws {
        let from = running[v]
        running[v] = pid
        totals.contextSwitches &+= 1
        charge(guest: k.contextSwitch)
        try event(MemoryEvents.contextSwitch, UInt64(from), UInt64(pid), UInt64(v))
        try cr3Write(v, pid)
    }

    /// A guest CR3 write: natively and nested a plain instruction (flushing an untagged TLB);
    /// under shadow paging it exits and the VMM switches to the process's shadow root — as KVM
    /// does (`kvm_mmu_new_pgd`): a root among this vCPU's current and previous roots is a fast
    /// switch, without the MMU lock; otherwise the VMM looks the root up among the shadow pages
    /// it keeps hashed by guest frame (found: reloaded under the lock; not found: built).
    mutating func cr3Write(_ v: Int, _ pid: Int) throws {
        if c.mode == .shadow {
            let handler: UInt64
            if rootCaches[v].contains(pid) {
                handler = k.shadowRootSwitch
            } else if shadows[pid] != nil {
                handler = k.shadowRootSwitch &+ mmuLockWait(k.shadowRootSwitch)
                totals.shadowRootsReloaded &+= 1
            } else {
                handler = k.shadowRootBuild &+ mmuLockWait(k.shadowRootBuild)
            }
            try exit(.cr3Write, vcpu: v, handler: handler)
            try loadShadowRoot(pid, v)
        }
        if !c.tagged {
            tlbs[v].flush()
            clearWalkCache(v)
            try event(MemoryEvents.tlbFlush, 0, MemoryEvents.FlushReason.cr3Write.rawValue, UInt64(v))
        }
    }

    /// Makes `pid`'s shadow table vCPU `v`'s current root: built if the VMM has none, first in
    /// the vCPU's roots (the oldest falls out of its cache; its shadow pages stay hashed).
    mutating func loadShadowRoot(_ pid: Int, _ v: Int) throws {
        rootCaches[v].removeAll { $0 == pid }
        rootCaches[v].insert(pid, at: 0)
        if rootCaches[v].count > c.shadowRootCache { rootCaches[v].removeLast() }
        shadowLastUse[pid] = totals.cycles
        guard shadows[pid] == nil else { return }
        shadows[pid] = RadixPageTable(levels: c.levels, largePages: c.largePages)
        totals.shadowPages += 1
        totals.shadowRootsBuilt &+= 1
        if totals.shadowPages > totals.shadowPagesPeak { totals.shadowPagesPeak = totals.shadowPages }
        try shadowEvent(.buildRoot, pid)
        try trimShadowPages()
    }

    /// KVM keeps at most `shadow.max_pages` shadow pages (`n_max_mmu_pages`): past it, the least
    /// recently used tables no vCPU is running on are zapped; their processes' next CR3 load
    /// builds them again. A table in use is never zapped (its root is reference-counted).
    mutating func trimShadowPages() throws {
        while totals.shadowPages > c.shadowMaxPages {
            var victim = -1
            for pid in shadows.indices where shadows[pid] != nil && !running.contains(pid) {
                if victim < 0 || shadowLastUse[pid] < shadowLastUse[victim] { victim = pid }
            }
            guard victim >= 0 else { return }
            try dropShadow(victim)
            totals.shadowTablesZapped &+= 1
        }
    }

    /// Frees a process's shadow table (its TLB entries stay valid: the guest mappings did not change).
    mutating func dropShadow(_ pid: Int) throws {
        guard let table = shadows[pid] else { return }
        totals.shadowPages -= table.nodeCount
        shadows[pid] = nil
        for v in rootCaches.indices { rootCaches[v].removeAll { $0 == pid } }
        try shadowEvent(.dropTable, pid)
    }

    /// fork(): the child gets a copy of every PTE, read-only in both, so the first write on either
    /// side faults and copies (copy-on-write). Then the child runs briefly and exits.
    mutating func fork(_ v: Int, childAccesses: UInt64, step: (inout MemoryMachine, Int) throws -> Void) throws {
        let parent = running[v]
        let child = try spawn()
        totals.forks &+= 1
        charge(guest: k.fork)
        var leaves: [(UInt64, UInt64)] = []
        procs[parent].table.forEachLeaf { leaves.append(($0, $1)) }
        try event(MemoryEvents.process, MemoryEvents.ProcessOp.fork.rawValue, UInt64(child), UInt64(leaves.count))
        for (address, entry) in leaves {
            let frame = entry >> 2
            guestFrames.refcount[Int(frame)] &+= 1
            let created = try mapGuest(child, address, frame: frame, writable: false, vcpu: v)
            try pteWrites(created + 1, pid: child, address: address, leaf: .map(frame, writable: false), vcpu: v)
            if entry & 2 != 0 {
                procs[parent].table.setWritable(address, false)
                try pteWrites(1, pid: parent, address: address, leaf: .map(frame, writable: false), vcpu: v)
            }
        }
        // The parent's writable translations are stale: flush its address space here and elsewhere.
        try flushAddressSpace(v, parent, reason: .fork)
        try shootdown(from: v, pid: parent, pages: nil)
        try contextSwitch(v, to: child)
        for _ in 0..<childAccesses { try step(&self, v) }
        try exitProcess(child, vcpu: v)
        try contextSwitch(v, to: parent)
    }

    /// exit(): the kernel clears every PTE of the process and frees its memory and tables.
    mutating func exitProcess(_ pid: Int, vcpu v: Int) throws {
        var leaves: [(UInt64, UInt64)] = []
        procs[pid].table.forEachLeaf { leaves.append(($0, $1)) }
        for (address, entry) in leaves {
            procs[pid].table.unmap(address)
            release(entry >> 2)
            try pteWrites(1, pid: pid, address: address, leaf: .unmap, vcpu: v)
        }
        for f in procs[pid].table.nodeFrames { guestFrames.release(f, large: false) }
        if c.mode == .shadow { try dropShadow(pid) }
        for u in 0..<c.vcpus { tlbs[u].flush(tag: tag(pid)) }
        try event(MemoryEvents.process, MemoryEvents.ProcessOp.exit.rawValue, UInt64(pid), UInt64(leaves.count))
        procs[pid] = GuestProcess(table: RadixPageTable(levels: c.levels, largePages: c.largePages))
        freePids.append(pid)
    }

    /// munmap(): clears `pages` PTEs of the running process, each followed by INVLPG.
    mutating func munmap(_ v: Int, firstPage: UInt64, pages: Int) throws {
        let pid = running[v]
        var removed = 0
        for i in 0..<UInt64(pages) {
            let address = base &+ (firstPage &+ i) << pageShift
            guard let frame = procs[pid].table.unmap(address) else { continue }
            removed += 1
            release(frame)
            try pteWrites(1, pid: pid, address: address, leaf: .unmap, vcpu: v)
            try invlpg(v, pid, address)
        }
        totals.munmaps &+= 1
        try event(MemoryEvents.process, MemoryEvents.ProcessOp.munmap.rawValue, UInt64(pid), UInt64(removed))
        if removed > 0 { try shootdown(from: v, pid: pid, pages: removed) }
    }

    /// Drops one reference to a guest frame, freeing it at zero (shared frames stay).
    mutating func release(_ frame: UInt64) {
        let i = Int(frame)
        guestFrames.refcount[i] -= 1
        if guestFrames.refcount[i] == 0 && !c.shared { guestFrames.release(frame, large: c.largePages) }
    }

    /// INVLPG: natively and nested a local invalidation; under shadow paging it exits and the VMM
    /// invalidates the shadow entry too.
    mutating func invlpg(_ v: Int, _ pid: Int, _ address: UInt64) throws {
        if c.mode == .shadow {
            try exit(.invlpg, vcpu: v, handler: k.shadowUpdate &+ mmuLockWait(k.shadowUpdate))
        } else {
            charge(guest: k.invlpg)
        }
        tlbs[v].invalidate(TLB.key(page: address >> pageShift, tag: tag(pid)))
        try event(MemoryEvents.tlbFlush, 2, MemoryEvents.FlushReason.invlpg.rawValue, UInt64(v))
    }

    /// Flushes one address space from vCPU `v`'s TLB (reloading CR3 under shadow paging, which exits).
    mutating func flushAddressSpace(_ v: Int, _ pid: Int, reason: MemoryEvents.FlushReason) throws {
        if c.mode == .shadow {
            try exit(.cr3Write, vcpu: v, handler: k.shadowRootSwitch)
        }
        tlbs[v].flush(tag: tag(pid))
        clearWalkCache(v)
        try event(MemoryEvents.tlbFlush, 1, reason.rawValue, UInt64(v))
    }

    /// Tells every other vCPU running `pid` to drop stale translations: an IPI each. In a VM the
    /// sender exits to send it and the receiver exits to take it.
    mutating func shootdown(from v: Int, pid: Int, pages: Int?) throws {
        for u in 0..<c.vcpus where u != v && running[u] == pid {
            totals.shootdowns &+= 1
            if c.mode == .native {
                charge(guest: k.ipi)
            } else {
                try exit(.ipi, vcpu: v, handler: 0)
                try exit(.interrupt, vcpu: u, handler: k.ipi)
            }
            tlbs[u].flush(tag: tag(pid))
            clearWalkCache(u)
            try event(MemoryEvents.tlbFlush, 1, MemoryEvents.FlushReason.shootdown.rawValue, UInt64(u))
        }
    }
}

/// Running totals of a memory run.
struct MemoryTotals {
    var accesses: UInt64 = 0
    var tlbHits: UInt64 = 0
    var tlbMisses: UInt64 = 0
    var walks: UInt64 = 0
    var walkRefs: UInt64 = 0
    /// Page-walk-cache hits (entries not read from memory) and nested-TLB hits (nested walks skipped).
    var walkCacheHits: UInt64 = 0
    var nestedTLBHits: UInt64 = 0
    var vmmWalkRefs: UInt64 = 0
    var pageFaults: UInt64 = 0
    var cowFaults: UInt64 = 0
    var pteWrites: UInt64 = 0
    var contextSwitches: UInt64 = 0
    var forks: UInt64 = 0
    var munmaps: UInt64 = 0
    var shootdowns: UInt64 = 0
    /// Shadow MMU: cycles the MMU lock was held and waited for, acquisitions, remote TLB flushes.
    var mmuLockHold: UInt64 = 0
    var mmuLockWait: UInt64 = 0
    var mmuLockAcquisitions: UInt64 = 0
    var remoteFlushes: UInt64 = 0
    var eptViolations: UInt64 = 0
    var cycles: UInt64 = 0
    var translationCycles: UInt64 = 0
    var guestKernelCycles: UInt64 = 0
    var vmmCycles: UInt64 = 0
    var exits = [UInt64](repeating: 0, count: MemoryEvents.ExitReason.allCases.count)
    var exitCycles = [UInt64](repeating: 0, count: MemoryEvents.ExitReason.allCases.count)
    var shadowPages = 0
    var shadowPagesPeak = 0
    var shadowRootsBuilt: UInt64 = 0
    var shadowRootsReloaded: UInt64 = 0
    var shadowTablesZapped: UInt64 = 0

    var totalExits: UInt64 { exits.reduce(0, +) }

    /// What happened after `earlier` (counts and cycles; peaks stay as they are).
    func since(_ earlier: MemoryTotals) -> MemoryTotals {
        var t = self
        t.accesses -= earlier.accesses; t.tlbHits -= earlier.tlbHits; t.tlbMisses -= earlier.tlbMisses; t.walks -= earlier.walks
        t.walkRefs -= earlier.walkRefs; t.walkCacheHits -= earlier.walkCacheHits; t.nestedTLBHits -= earlier.nestedTLBHits; t.vmmWalkRefs -= earlier.vmmWalkRefs; t.pageFaults -= earlier.pageFaults; t.cowFaults -= earlier.cowFaults
        t.pteWrites -= earlier.pteWrites; t.contextSwitches -= earlier.contextSwitches; t.forks -= earlier.forks; t.munmaps -= earlier.munmaps
        t.shootdowns -= earlier.shootdowns; t.mmuLockHold -= earlier.mmuLockHold; t.mmuLockWait -= earlier.mmuLockWait
        t.mmuLockAcquisitions -= earlier.mmuLockAcquisitions; t.remoteFlushes -= earlier.remoteFlushes; t.eptViolations -= earlier.eptViolations; t.cycles -= earlier.cycles
        t.translationCycles -= earlier.translationCycles; t.guestKernelCycles -= earlier.guestKernelCycles; t.vmmCycles -= earlier.vmmCycles
        t.exits = zip(exits, earlier.exits).map { $0 - $1 }
        t.exitCycles = zip(exitCycles, earlier.exitCycles).map { $0 - $1 }
        t.shadowRootsBuilt -= earlier.shadowRootsBuilt; t.shadowRootsReloaded -= earlier.shadowRootsReloaded
        t.shadowTablesZapped -= earlier.shadowTablesZapped
        return t
    }
}
