import TraceFormat
import Vocabulary

/// Guest kernel work — faults, page-table writes, context switches, fork, exit, munmap — and
/// what each costs under the machine's translation mode.
extension MemoryMachine {
    /// A page touched for the first time: the guest kernel allocates a frame and writes the PTE.
    mutating func demandFault(_ address: UInt64, vcpu v: Int) throws {
        let pid = running[v]
        totals.pageFaults &+= 1
        charge(guest: k.guestFault)
        try event(MemoryEvents.pageFault, address >> pageShift, 0, UInt64(v))
        let frame: UInt64
        if c.shared {
            let index = Int((address - base) >> pageShift)
            if sharedFrames[index] == .max {
                sharedFrames[index] = try guestFrames.allocate(large: c.largePages)
                try touch(sharedFrames[index], large: c.largePages, vcpu: v)
            }
            frame = sharedFrames[index]
        } else {
            frame = try guestFrames.allocate(large: c.largePages)
            try touch(frame, large: c.largePages, vcpu: v)
        }
        guestFrames.refcount[Int(frame)] &+= 1
        let created = try mapGuest(pid, address, frame: frame, writable: true, vcpu: v)
        try pteWrites(created + 1, pid: pid, address: address, leaf: .map(frame, writable: true), vcpu: v)
    }

    /// A write to a read-only page: copy-on-write after fork.
    mutating func protectionFault(_ address: UInt64, vcpu v: Int) throws {
        let pid = running[v]
        totals.cowFaults &+= 1
        charge(guest: k.guestFault)
        try event(MemoryEvents.pageFault, address >> pageShift, 2, UInt64(v))
        let old = procs[pid].table.walk(address).frame
        if guestFrames.refcount[Int(old)] > 1 {
            let copy = try guestFrames.allocate(large: c.largePages)
            try touch(copy, large: c.largePages, vcpu: v)
            charge(guest: k.cowCopy * pageFrames)
            guestFrames.refcount[Int(old)] -= 1
            guestFrames.refcount[Int(copy)] = 1
            procs[pid].table.map(address, frame: copy, writable: true)
            try pteWrites(1, pid: pid, address: address, leaf: .map(copy, writable: true), vcpu: v)
        } else {
            procs[pid].table.setWritable(address, true)
            try pteWrites(1, pid: pid, address: address, leaf: .map(old, writable: true), vcpu: v)
        }
    }

    /// Maps a guest page, allocating (and, nested, backing) any page-table pages it needs.
    /// - Returns: the table pages created (each cost one more PTE write, in its parent).
    mutating func mapGuest(_ pid: Int, _ address: UInt64, frame: UInt64, writable: Bool, vcpu v: Int) throws -> Int {
        let created = procs[pid].table.map(address, frame: frame, writable: writable)
        let count = procs[pid].table.nodeCount
        for node in (count - created)..<count {
            let f = try guestFrames.allocate(large: false)
            procs[pid].table.setFrame(ofNode: node, f)
            try touch(f, large: false, vcpu: v)
        }
        return created
    }

    /// What a guest PTE write does to the leaf it targets (for the shadow update).
    enum LeafChange { case map(UInt64, writable: Bool), unmap, none }

    /// `n` guest stores to page-table entries. Natively and under nested paging they are plain
    /// stores; under shadow paging each one hits a write-protected page, exits, and the VMM
    /// emulates it and updates the shadow entry.
    mutating func pteWrites(_ n: Int, pid: Int, address: UInt64, leaf: LeafChange, vcpu v: Int) throws {
        totals.pteWrites &+= UInt64(n)
        guard c.mode == .shadow else {
            charge(guest: UInt64(n) &* k.pteWrite)
            return
        }
        for i in 0..<n {
            try exit(.ptWrite, vcpu: v, handler: k.shadowUpdate &+ mmuLockWait(k.shadowUpdate))
            if i == n - 1, shadows[pid] != nil {
                // A shadow entry that loses its mapping or its write permission may sit in other
                // vCPUs' TLBs: the VMM flushes them all (stale entries that grant less are harmless).
                let old = shadows[pid]!.walk(address)
                switch leaf {
                case let .map(frame, writable):
                    try shadowMap(pid, address, frame: frame, writable: writable)
                    try shadowEvent(.update, pid)
                    if old.present && ((old.writable && !writable) || old.frame != hostFrame(frame)) { try remoteFlush(from: v) }
                case .unmap:
                    shadows[pid]!.unmap(address)
                    try shadowEvent(.invalidate, pid)
                    if old.present { try remoteFlush(from: v) }
                case .none: break
                }
            }
        }
    }

    /// A fault on the shadow table: either the shadow lacks what the guest table has (a hidden
    /// fault the VMM fills) or the guest itself must handle it (intercepted, then injected).
    mutating func shadowFault(_ address: UInt64, write: Bool, vcpu v: Int) throws {
        let pid = running[v]
        let g = procs[pid].table.walk(address)
        if g.present && (!write || g.writable) {
            // The VMM walks the guest table in software and copies the entry into the shadow.
            totals.vmmWalkRefs &+= UInt64(g.refs)
            let fill = k.shadowFill &+ UInt64(g.refs) &* k.walkRef
            try exit(.hiddenFault, vcpu: v, handler: fill &+ mmuLockWait(fill))
            try shadowMap(pid, address, frame: g.frame, writable: g.writable)
            try shadowEvent(.fill, pid)
            return
        }
        try exit(.guestFault, vcpu: v, handler: 0)
        if !g.present { try demandFault(address, vcpu: v) } else { try protectionFault(address, vcpu: v) }
    }

    /// The host frame backing a guest frame in the VMM's own map (shadow paging).
    mutating func hostFrame(_ guestFrame: UInt64) -> UInt64 {
        let i = Int(guestFrame)
        if p2m[i] == 0 {
            hostPages &+= 1
            p2m[i] = UInt32(truncatingIfNeeded: hostPages)
        }
        return UInt64(p2m[i])
    }

    /// The guest kernel touches a newly allocated frame (zeroing it). Under nested paging, a
    /// guest-physical page the host has not backed yet raises an EPT violation.
    mutating func touch(_ frame: UInt64, large: Bool, vcpu v: Int) throws {
        guard c.mode == .nested else { return }
        let step: UInt64 = c.nestedLargePages ? 512 : 1
        var f = frame & ~(step - 1)
        let end = frame + (large ? 512 : 1)
        while f < end {
            if !ept.walk(f << 12).present {
                totals.eptViolations &+= 1
                try event(MemoryEvents.eptViolation, f, UInt64(v))
                try exit(.eptViolation, vcpu: v, handler: k.eptFill)
                ept.map(f << 12, frame: hostPages, writable: true)
                hostPages &+= 1
            }
            f += step
        }
    }

    /// A VM exit and the entry back, with `handler` cycles of VMM work in between.
    mutating func exit(_ reason: MemoryEvents.ExitReason, vcpu v: Int, handler: UInt64) throws {
        let d = k.vmExit &+ handler
        totals.cycles &+= d
        totals.vmmCycles &+= d
        totals.exits[reason.rawValue] &+= 1
        totals.exitCycles[reason.rawValue] &+= d
        if let w = writer {
            try VMExitEvent.append(w, id: MemoryEvents.vmExit, at: clock.nanoseconds(totals.cycles), reason: reason, duration: clock.nanoseconds(d), vcpu: v)
        }
        if !c.tagged {
            // Without VPID the TLB cannot tell guest from host entries: every world switch flushes it.
            tlbs[v].flush()
            clearWalkCache(v)
            try event(MemoryEvents.tlbFlush, 0, MemoryEvents.FlushReason.worldSwitch.rawValue, UInt64(v))
        }
    }

    /// Cycles a shadow-MMU operation of `hold` cycles waits for the VM's MMU lock. KVM's shadow
    /// MMU takes `mmu_lock` for writing around every shadow-table change (`kvm_mmu_pte_write`,
    /// the shadow page fault, root allocation, INVLPG); the TDP MMU of nested paging handles its
    /// faults under the lock held for reading, in parallel, so nested paging never waits here.
    ///
    /// vCPUs run interleaved on one clock, so the wait is the queueing estimate for a lock the
    /// other vCPUs hold a share ρ of real time: ρ = (vCPUs − 1) × hold so far / cycles so far
    /// (each vCPU's real time is the total over the vCPUs), and a requester waits the M/D/1
    /// mean ρ·h / (2(1 − ρ)) for a mean hold h, with ρ capped at 0.95 (a saturated lock).
    mutating func mmuLockWait(_ hold: UInt64) -> UInt64 {
        guard c.mode == .shadow else { return 0 }
        var wait: UInt64 = 0
        if c.vcpus > 1, totals.cycles > 0 {
            let rho = min(0.95, Double(totals.mmuLockHold) * Double(c.vcpus - 1) / Double(totals.cycles))
            let mean = totals.mmuLockAcquisitions == 0 ? Double(hold) : Double(totals.mmuLockHold) / Double(totals.mmuLockAcquisitions)
            wait = UInt64((rho * mean / (2 * (1 - rho))).rounded())
        }
        totals.mmuLockHold &+= hold
        totals.mmuLockAcquisitions &+= 1
        totals.mmuLockWait &+= wait
        return wait
    }

    /// `kvm_flush_remote_tlbs`: every other vCPU gets a flush request and an IPI that kicks it
    /// out of the guest; it flushes its whole TLB (the VPID's entries) before re-entering. The
    /// sender waits for the kicks to be taken (`ipi_cycles`).
    mutating func remoteFlush(from v: Int) throws {
        guard c.vcpus > 1 else { return }
        totals.remoteFlushes &+= 1
        totals.cycles &+= k.ipi
        totals.vmmCycles &+= k.ipi
        for u in 0..<c.vcpus where u != v {
            try exit(.remoteFlush, vcpu: u, handler: k.invlpg)
            tlbs[u].flush()
            clearWalkCache(u)
            try event(MemoryEvents.tlbFlush, 0, MemoryEvents.FlushReason.remote.rawValue, UInt64(u))
        }
    }

    /// Cycles of guest kernel work.
    @inline(__always)
    mutating func charge(guest cycles: UInt64) {
        totals.cycles &+= cycles
        totals.guestKernelCycles &+= cycles
    }

    /// Writes an event with three fields at the current time (nothing in a baseline run).
    @inline(__always)
    func event(_ kind: UInt16, _ a: UInt64, _ b: UInt64, _ d: UInt64) throws {
        guard let w = writer else { return }
        try w.append(kind, at: clock.nanoseconds(totals.cycles), a, b, d)
    }

    @inline(__always)
    func event(_ kind: UInt16, _ a: UInt64, _ b: UInt64) throws {
        guard let w = writer else { return }
        try w.append(kind, at: clock.nanoseconds(totals.cycles), a, b)
    }

    /// Maps a page in a process's shadow table to the host frame behind `frame`.
    mutating func shadowMap(_ pid: Int, _ address: UInt64, frame: UInt64, writable: Bool) throws {
        let host = hostFrame(frame)
        let added = shadows[pid]!.map(address, frame: host, writable: writable)
        totals.shadowPages += added
        if totals.shadowPages > totals.shadowPagesPeak { totals.shadowPagesPeak = totals.shadowPages }
        if added > 0 && totals.shadowPages > c.shadowMaxPages { try trimShadowPages() }
    }

    /// A shadow-table change: the process's shadow pages and the VMM's total, so memory per process is traceable.
    func shadowEvent(_ op: MemoryEvents.ShadowOp, _ pid: Int) throws {
        guard let w = writer else { return }
        try w.append(MemoryEvents.shadowSync, at: clock.nanoseconds(totals.cycles), op.rawValue, UInt64(pid),
                      UInt64(shadows[pid]?.nodeCount ?? 0), UInt64(totals.shadowPages))
    }
}
