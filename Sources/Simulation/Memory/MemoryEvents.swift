import TraceFormat
import Vocabulary

/// The event kinds the memory simulator writes; ids are stable across versions.
package enum MemoryEvents {
    package static let pageFault: UInt16 = 1
    package static let counters: UInt16 = 2
    package static let pageWalk: UInt16 = 3
    package static let vmExit: UInt16 = 4
    package static let tlbFlush: UInt16 = 5
    package static let contextSwitch: UInt16 = 6
    package static let shadowSync: UInt16 = 7
    package static let eptViolation: UInt16 = 8
    package static let process: UInt16 = 9

    /// vCPU numbers pack into 8 bits (up to 256 vCPUs), process ids into 16.
    package static let vcpuBits = 8
    package static let processBits = 16

    /// Guest page-fault causes, in the order of the enum field.
    package static let faultKinds = ["not_present", "protection", "copy_on_write"]

    /// Why the guest left to the VMM, in the order of the enum field.
    package enum ExitReason: Int, VMExitReason {
        /// The guest wrote a write-protected guest page-table page (shadow paging).
        case ptWrite
        /// The shadow table lacked an entry the guest table has; the VMM filled it.
        case hiddenFault
        /// A fault the guest itself must handle, intercepted and injected back (shadow paging).
        case guestFault
        case cr3Write
        case invlpg
        /// A guest-physical page not yet backed by host memory (nested paging).
        case eptViolation
        /// The guest sent an inter-processor interrupt (TLB shootdown).
        case ipi
        /// An interrupt arrived for this vCPU (the receiving side of a shootdown).
        case interrupt
        /// The VMM changed a shadow entry other vCPUs may cache and kicked every other vCPU out
        /// to flush its TLB (KVM's `kvm_flush_remote_tlbs`, shadow paging).
        case remoteFlush
    }

    package enum FlushScope: UInt64, TraceEnumeration { case all, addressSpace, page }
    package enum FlushReason: UInt64, TraceEnumeration { case cr3Write, worldSwitch, invlpg, shootdown, fork, remote }
    package enum ShadowOp: UInt64, TraceEnumeration { case fill, update, invalidate, dropTable, buildRoot }
    package enum ProcessOp: UInt64, TraceEnumeration { case fork, exit, munmap }

    package static let kinds: [EventKind] = [
        EventKind(id: pageFault, .pageFault, category: .memory, fields: [
            FieldSpec("page", .unsigned, delta: true), FieldSpec("fault", .enumeration(faultKinds), packed: true),
            FieldSpec(.vcpu, .unsigned, bits: vcpuBits),
        ]),
        EventKind(id: counters, .tlbCounters, category: .counter, shape: .counter, fields: [
            FieldSpec("accesses", .unsigned, delta: true), FieldSpec("tlb_hits", .unsigned, delta: true),
            FieldSpec("tlb_misses", .unsigned, delta: true), FieldSpec("walk_refs", .unsigned, delta: true),
            FieldSpec("page_faults", .unsigned, delta: true), FieldSpec("exits", .unsigned, delta: true),
        ]),
        EventKind(id: pageWalk, .pageWalk, category: .memory, fields: [
            FieldSpec("page", .unsigned, delta: true), FieldSpec("refs", .unsigned, bits: 8), FieldSpec(.vcpu, .unsigned, bits: vcpuBits),
        ]),
        VMExitEvent.kind(id: vmExit, reasons: ExitReason.self),
        EventKind(id: tlbFlush, .tlbFlush, category: .memory, fields: [
            FieldSpec("scope", .enumeration(FlushScope.names), packed: true),
            FieldSpec("reason", .enumeration(FlushReason.names), packed: true),
            FieldSpec(.vcpu, .unsigned, bits: vcpuBits),
        ]),
        EventKind(id: contextSwitch, .contextSwitch, category: .memory, fields: [
            FieldSpec("from", .unsigned, bits: processBits), FieldSpec("to", .unsigned, bits: processBits),
            FieldSpec(.vcpu, .unsigned, bits: vcpuBits),
        ]),
        EventKind(id: shadowSync, .shadowSync, category: .memory, fields: [
            FieldSpec("op", .enumeration(ShadowOp.names), packed: true),
            FieldSpec("process", .unsigned, bits: processBits), FieldSpec("process_pages", .unsigned),
            FieldSpec("shadow_pages", .unsigned),
        ]),
        EventKind(id: eptViolation, .eptViolation, category: .memory, fields: [
            FieldSpec("gpa_page", .unsigned, delta: true), FieldSpec(.vcpu, .unsigned, bits: vcpuBits),
        ]),
        EventKind(id: process, .process, category: .memory, fields: [
            FieldSpec("op", .enumeration(ProcessOp.names), packed: true),
            FieldSpec("process", .unsigned, bits: processBits), FieldSpec("pages", .unsigned),
        ]),
    ]
}
