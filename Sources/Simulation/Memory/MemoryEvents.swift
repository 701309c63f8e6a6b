import TraceFormat

/// The event kinds the memory simulator writes; ids are stable across versions.
package enum MemoryEvents {
    package static let pageFault: UInt16 = 1
    package static let counters: UInt16 = 2
    package static let pageWalk: UInt16 = 3

    /// vCPU numbers pack into 8 bits (up to 256 vCPUs); a walk's references into 6 (at most 35, a 5×5-level nested walk).
    package static let vcpuBits = 8

    /// Guest page-fault causes, in the order of the enum field.
    package static let faultKinds = ["not_present", "protection", "copy_on_write"]

    package static let kinds: [EventKind] = [
        EventKind(id: pageFault, name: "page_fault", category: .memory, fields: [
            FieldSpec("page", .unsigned, delta: true), FieldSpec("fault", .enumeration(faultKinds), packed: true),
            FieldSpec("vcpu", .unsigned, bits: vcpuBits),
        ]),
        EventKind(id: counters, name: "tlb_counters", category: .counter, shape: .counter, fields: [
            FieldSpec("accesses", .unsigned, delta: true), FieldSpec("tlb_hits", .unsigned, delta: true),
            FieldSpec("tlb_misses", .unsigned, delta: true), FieldSpec("walk_refs", .unsigned, delta: true),
            FieldSpec("page_faults", .unsigned, delta: true),
        ]),
        EventKind(id: pageWalk, name: "page_walk", category: .memory, fields: [
            FieldSpec("page", .unsigned, delta: true), FieldSpec("refs", .unsigned, bits: 6), FieldSpec("vcpu", .unsigned, bits: vcpuBits),
        ]),
    ]
}
