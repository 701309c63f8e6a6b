import TraceFormat

/// The reasons one simulator's VM exits can have: a closed set, in the order of the trace's
/// enumeration field (the raw value is the stored code), each named in the trace by its case
/// name in snake_case (`TraceEnumeration`).
package protocol VMExitReason: TraceEnumeration, Sendable, RawRepresentable where RawValue == Int {}

extension VMExitReason {
    /// The reason's name in the trace and in the `exits_REASON` results.
    package var name: String { traceName }
}

/// A VM exit, the one event every topic records: its kind name, its fields and how it is
/// written are defined here once, for the three simulators (each keeps its own kind id and its
/// own reasons) and for every reader (statistics, export, reports).
package enum VMExitEvent {
    /// The kind's name in every trace.
    package static let kindName = EventKindName.vmExit.rawValue

    /// The fields of a VM exit, in their order.
    package enum Field: String, CaseIterable, Sendable {
        case reason, duration, vcpu
    }

    /// vCPU numbers pack into 8 bits (up to 256 vCPUs).
    package static let vcpuBits = 8

    /// The kind for a simulator's id and reasons: an interval (its duration is the exit's
    /// round trip plus handling) on one vCPU.
    package static func kind<R: VMExitReason>(id: UInt16, reasons: R.Type) -> EventKind {
        EventKind(id: id, name: kindName, category: .cpu, shape: .interval, fields: [
            FieldSpec(Field.reason.rawValue, .enumeration(R.allCases.map(\.name)), packed: true),
            FieldSpec(Field.duration.rawValue, .duration),
            FieldSpec(Field.vcpu.rawValue, .unsigned, bits: vcpuBits),
        ])
    }

    /// Writes one exit of kind `id`.
    @inline(__always)
    package static func append<R: VMExitReason>(_ w: TraceWriter, id: UInt16, at time: UInt64, reason: R, duration: UInt64, vcpu: Int) throws {
        try w.append(id, at: time, UInt64(reason.rawValue), duration, UInt64(vcpu))
    }

    /// Where a trace's VM exits are: the kind's position in its schema and the reason field's
    /// index with the reasons' names; nil when the trace has no VM exits.
    package static func locate(in kinds: [EventKind]) -> (kind: Int, reason: Int, reasons: [String])? {
        guard let p = kinds.firstIndex(where: { $0.name == kindName }), let r = kinds[p].fieldIndex(Field.reason.rawValue),
              case let .enumeration(names) = kinds[p].fields[r].type else { return nil }
        return (p, r, names)
    }
}
