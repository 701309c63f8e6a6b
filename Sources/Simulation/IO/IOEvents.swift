import TraceFormat

/// The event kinds the I/O simulator writes; ids are stable across versions.
package enum IOEvents {
    package static let request: UInt16 = 301
    package static let vmExit: UInt16 = 302
    package static let interrupt: UInt16 = 303
    package static let ring: UInt16 = 304
    package static let dma: UInt16 = 305
    package static let isolation: UInt16 = 306
    package static let counters: UInt16 = 307

    package static let exitReasons = ["mmio", "pio", "kick", "interrupt", "eoi"]
    package static let operations = ["send", "receive", "read", "write"]

    package static let kinds: [EventKind] = [
        EventKind(id: request, name: "io_request", category: .io, shape: .interval, fields: [
            FieldSpec("vm", .unsigned, bits: 8), FieldSpec("device", .enumeration(["nic", "disk"]), packed: true),
            FieldSpec("op", .enumeration(operations), packed: true), FieldSpec("bytes", .unsigned), FieldSpec("duration", .duration),
        ]),
        EventKind(id: vmExit, name: "vm_exit", category: .cpu, shape: .interval, fields: [
            FieldSpec("reason", .enumeration(exitReasons), packed: true), FieldSpec("duration", .duration),
            FieldSpec("vcpu", .unsigned, bits: 8),
        ]),
        EventKind(id: interrupt, name: "interrupt_injected", category: .io, fields: [
            FieldSpec("vm", .unsigned, bits: 8), FieldSpec("posted", .enumeration(["no", "yes"]), packed: true),
            FieldSpec("completions", .unsigned),
        ]),
        EventKind(id: ring, name: "ring_notify", category: .io, fields: [
            FieldSpec("vm", .unsigned, bits: 8), FieldSpec("direction", .enumeration(["kick", "notify"]), packed: true),
            FieldSpec("requests", .unsigned),
        ]),
        EventKind(id: dma, name: "dma", category: .io, fields: [
            FieldSpec("vm", .unsigned, bits: 8), FieldSpec("pages", .unsigned), FieldSpec("iotlb_misses", .unsigned),
        ]),
        EventKind(id: isolation, name: "dma_isolation", category: .io, fields: [
            FieldSpec("vm", .unsigned, bits: 8), FieldSpec("target_vm", .unsigned, bits: 8),
            FieldSpec("outcome", .enumeration(["blocked", "allowed_unsafe"]), packed: true),
        ]),
        EventKind(id: counters, name: "io_counters", category: .counter, shape: .counter, fields: [
            FieldSpec("completed", .unsigned, delta: true), FieldSpec("bytes", .unsigned, delta: true),
            FieldSpec("exits", .unsigned, delta: true),
        ]),
    ]
}
