import TraceFormat

/// The event fields that modules other than the simulator read by name: lanes by vCPU or VM
/// (timelines, the explorer, Chrome export), a migration's rounds, stages and progress counter
/// (figures). The simulators declare these fields with the same symbols.
package enum FieldName: String, CaseIterable, Sendable {
    case vcpu, vm, round, stage
    case pagesSent = "pages_sent"
    case pagesDirtied = "pages_dirtied"
    case pagesRedirtied = "pages_redirtied"
    case pagesRemaining = "pages_remaining"
}

extension FieldSpec {
    /// A field named from the vocabulary.
    package init(_ name: FieldName, _ type: FieldType, delta: Bool = false, packed: Bool = false, bits: Int = 0) {
        self.init(name.rawValue, type, delta: delta, packed: packed, bits: bits)
    }
}

extension EventKind {
    /// The position of a vocabulary field in this kind, nil when it has none.
    package func fieldIndex(_ name: FieldName) -> Int? { fieldIndex(name.rawValue) }
}
