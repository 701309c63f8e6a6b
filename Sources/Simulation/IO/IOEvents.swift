import TraceFormat
import Vocabulary

/// The event kinds the I/O simulator writes; ids are stable across versions.
package enum IOEvents {
    package static let request: UInt16 = 301
    package static let vmExit: UInt16 = 302
    package static let interrupt: UInt16 = 303
    package static let ring: UInt16 = 304
    package static let dma: UInt16 = 305
    package static let isolation: UInt16 = 306
    package static let counters: UInt16 = 307

    /// Why an I/O path left the guest: an emulated register access (memory-mapped or port
    /// I/O), a paravirtual kick, an interrupt delivered by exiting, an EOI write without APIC
    /// virtualization.
    package enum ExitReason: Int, VMExitReason {
        case mmio, pio, kick, interrupt, eoi
    }
    package static let operations = ["send", "receive", "read", "write"]

    package static let kinds: [EventKind] = [
        EventKind(id: request, .ioRequest, category: .io, shape: .interval, fields: [
            FieldSpec(.vm, .unsigned, bits: 8), FieldSpec("device", .enumeration(["nic", "disk"]), packed: true),
            FieldSpec("op", .enumeration(operations), packed: true), FieldSpec("bytes", .unsigned), FieldSpec("duration", .duration),
        ]),
        VMExitEvent.kind(id: vmExit, reasons: ExitReason.self),
        EventKind(id: interrupt, .interruptInjected, category: .io, fields: [
            FieldSpec(.vm, .unsigned, bits: 8), FieldSpec("posted", .enumeration(["no", "yes"]), packed: true),
            FieldSpec("completions", .unsigned),
        ]),
        EventKind(id: ring, .ringNotify, category: .io, fields: [
            FieldSpec(.vm, .unsigned, bits: 8), FieldSpec("direction", .enumeration(["kick", "notify"]), packed: true),
            FieldSpec("requests", .unsigned),
        ]),
        EventKind(id: dma, .dma, category: .io, fields: [
            FieldSpec(.vm, .unsigned, bits: 8), FieldSpec("pages", .unsigned), FieldSpec("iotlb_misses", .unsigned),
        ]),
        EventKind(id: isolation, .dmaIsolation, category: .io, fields: [
            FieldSpec(.vm, .unsigned, bits: 8), FieldSpec("target_vm", .unsigned, bits: 8),
            FieldSpec("outcome", .enumeration(["blocked", "allowed_unsafe"]), packed: true),
        ]),
        EventKind(id: counters, .ioCounters, category: .counter, shape: .counter, fields: [
            FieldSpec("completed", .unsigned, delta: true), FieldSpec("bytes", .unsigned, delta: true),
            FieldSpec("exits", .unsigned, delta: true),
        ]),
    ]
}
