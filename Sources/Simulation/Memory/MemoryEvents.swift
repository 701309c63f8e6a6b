import TraceFormat

/// The event kinds the memory simulator writes; ids are stable across versions.
package enum MemoryEvents {
    package static let pageFault: UInt16 = 1
    package static let counters: UInt16 = 2
    package static let pageWalk: UInt16 = 3

    /// Guest page-fault causes, in the order of the enum field.
    package static let faultKinds = ["not_present", "protection", "copy_on_write"]

    package static let kinds: [EventKind] = [
        EventKind(id: pageFault, name: "page_fault", category: .memory, fields: [
            FieldSpec("page", .unsigned, delta: true), FieldSpec("fault", .enumeration(faultKinds)), FieldSpec("vcpu", .unsigned),
        ]),
        EventKind(id: counters, name: "tlb_counters", category: .counter, shape: .counter, fields: [
            FieldSpec("accesses", .unsigned, delta: true), FieldSpec("tlb_hits", .unsigned, delta: true),
            FieldSpec("tlb_misses", .unsigned, delta: true), FieldSpec("walk_refs", .unsigned, delta: true),
            FieldSpec("page_faults", .unsigned, delta: true),
        ]),
        EventKind(id: pageWalk, name: "page_walk", category: .memory, fields: [
            FieldSpec("page", .unsigned, delta: true), FieldSpec("refs", .unsigned), FieldSpec("vcpu", .unsigned),
        ]),
    ]
}
