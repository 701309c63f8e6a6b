import TraceFormat

/// Every event kind's name, the text by which traces, SQL tables, `--kind` and the pages know
/// it. Simulators define their kinds with these names; readers find kinds by them.
package enum EventKindName: String, CaseIterable, Sendable {
    case arpAnnounce = "arp_announce"
    case contextSwitch = "context_switch"
    case cpuCounters = "cpu_counters"
    case dirtyMap = "dirty_map"
    case dirtySync = "dirty_sync"
    case dma
    case dmaIsolation = "dma_isolation"
    case downtime
    case eptViolation = "ept_violation"
    case equivalenceViolation = "equivalence_violation"
    case instructionTrap = "instruction_trap"
    case interruptInjected = "interrupt_injected"
    case ioCounters = "io_counters"
    case ioRequest = "io_request"
    case migrationCounters = "migration_counters"
    case networkFault = "network_fault"
    case pageBatch = "page_batch"
    case pageFault = "page_fault"
    case pageWalk = "page_walk"
    case process
    case ringNotify = "ring_notify"
    case round
    case shadowSync = "shadow_sync"
    case sourceFailure = "source_failure"
    case stage
    case throttle
    case tlbCounters = "tlb_counters"
    case tlbFlush = "tlb_flush"
    case translation
    case vmExit = "vm_exit"
}

extension EventKind {
    /// A kind named from the vocabulary.
    package init(id: UInt16, _ name: EventKindName, category: EventCategory, shape: EventShape = .instant, fields: [FieldSpec]) {
        self.init(id: id, name: name.rawValue, category: category, shape: shape, fields: fields)
    }
}

extension Schema {
    /// The trace's kind of a vocabulary name, nil when the trace has none.
    package func kind(_ name: EventKindName) -> EventKind? { kind(named: name.rawValue) }
}
