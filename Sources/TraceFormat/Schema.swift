/// What area of virtualization an event belongs to.
package enum EventCategory: UInt8, CaseIterable, Sendable, Codable {
    case memory = 0, cpu = 1, io = 2, migration = 3, counter = 4, run = 5

    /// The stable lowercase name used in exports and `inspect`.
    package var name: String {
        switch self {
        case .memory: "memory"
        case .cpu: "cpu"
        case .io: "io"
        case .migration: "migration"
        case .counter: "counter"
        case .run: "run"
        }
    }
}

/// How an event relates to time.
package enum EventShape: UInt8, Sendable, Codable {
    /// A point in time (a page fault, a TLB flush).
    case instant = 0
    /// Something that took time; stamped when it ends, its `duration` field says how long.
    case interval = 1
    /// Periodic samples of running totals (its fields are the counters).
    case counter = 2

    package var name: String {
        switch self {
        case .instant: "instant"
        case .interval: "interval"
        case .counter: "counter"
        }
    }
}

/// The type of one event field; every type is stored as a varint.
package enum FieldType: Equatable, Sendable {
    case unsigned
    case signed
    /// An index into the listed value names.
    case enumeration([String])
    /// An index into the header's string table.
    case string
    /// Simulated nanoseconds; marks the field that makes an interval.
    case duration

    var code: UInt8 {
        switch self {
        case .unsigned: 0
        case .signed: 1
        case .enumeration: 2
        case .string: 3
        case .duration: 4
        }
    }

    package var name: String {
        switch self {
        case .unsigned: "unsigned"
        case .signed: "signed"
        case .enumeration: "enum"
        case .string: "string"
        case .duration: "duration"
        }
    }
}

/// One named, typed field of an event kind.
package struct FieldSpec: Equatable, Sendable {
    package var name: String
    package var type: FieldType
    /// Stored as the zig-zag difference from this field's previous value in the same block
    /// (for counters and addresses that move in small steps).
    package var delta: Bool
    /// Bits this field takes in the event's packed word; 0 when it is a varint of its own.
    /// Enums pack into ⌈log2 value count⌉ bits, unsigned fields into the width they declare.
    package var packedBits: Int

    /// - Parameters:
    ///   - delta: store the difference from this field's previous value in the block.
    ///   - packed: for an enum, share one varint with the kind's other packed fields.
    ///   - bits: for an unsigned field, pack it into this many bits (values must fit).
    package init(_ name: String, _ type: FieldType, delta: Bool = false, packed: Bool = false, bits: Int = 0) {
        self.name = name
        self.type = type
        self.delta = delta
        if case let .enumeration(values) = type, packed {
            var b = 1
            while (1 << b) < values.count { b += 1 }
            packedBits = b
        } else {
            packedBits = bits
        }
    }

    /// Whether the field lives in the packed word.
    package var isPacked: Bool { packedBits > 0 }
}

/// One kind of event: its id in the file, stable name, category, shape and fields.
package struct EventKind: Equatable, Sendable {
    package var id: UInt16
    package var name: String
    package var category: EventCategory
    package var shape: EventShape
    package var fields: [FieldSpec]

    package init(id: UInt16, name: String, category: EventCategory, shape: EventShape = .instant, fields: [FieldSpec]) {
        self.id = id
        self.name = name
        self.category = category
        self.shape = shape
        self.fields = fields
    }

    /// The position of the field named `name`, if any.
    package func fieldIndex(_ name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The position of the duration field of an interval kind.
    package var durationIndex: Int? {
        fields.firstIndex { $0.type == .duration }
    }
}

/// The set of event kinds a trace may contain, written into its header.
package struct Schema: Equatable, Sendable {
    package private(set) var kinds: [EventKind]
    /// Dense position of each kind by id (`-1` where no kind has that id).
    package private(set) var positionByID: [Int16]

    /// Builds a schema after checking every rule of the spec.
    /// - Throws: `TraceError.invalidEvent` naming the first broken rule.
    package init(_ kinds: [EventKind]) throws {
        guard kinds.count <= TraceLimits.maxKinds else {
            throw TraceError.invalidEvent("a schema holds at most \(TraceLimits.maxKinds) kinds")
        }
        var positions = [Int16](repeating: -1, count: TraceLimits.maxKinds)
        var names = Set<String>()
        for (i, kind) in kinds.enumerated() {
            try Schema.check(kind)
            guard Int(kind.id) < TraceLimits.maxKinds else {
                throw TraceError.invalidEvent("kind \(kind.name): id \(kind.id) is not below \(TraceLimits.maxKinds)")
            }
            guard positions[Int(kind.id)] < 0 else { throw TraceError.invalidEvent("kind id \(kind.id) is used twice") }
            guard names.insert(kind.name).inserted else { throw TraceError.invalidEvent("kind name \(kind.name) is used twice") }
            positions[Int(kind.id)] = Int16(i)
        }
        self.kinds = kinds
        self.positionByID = positions
    }

    /// The kind with this id.
    package func kind(id: UInt16) -> EventKind? {
        guard Int(id) < positionByID.count else { return nil }
        let p = positionByID[Int(id)]
        return p < 0 ? nil : kinds[Int(p)]
    }

    /// The kind with this stable name.
    package func kind(named name: String) -> EventKind? {
        kinds.first { $0.name == name }
    }

    static func check(_ kind: EventKind) throws {
        guard isName(kind.name) else { throw TraceError.invalidEvent("kind name '\(kind.name)' must be 1–64 of [a-z0-9_]") }
        guard kind.fields.count <= TraceLimits.maxFields else {
            throw TraceError.invalidEvent("kind \(kind.name) has \(kind.fields.count) fields; at most \(TraceLimits.maxFields)")
        }
        var seen = Set<String>()
        for f in kind.fields {
            guard isName(f.name), seen.insert(f.name).inserted else {
                throw TraceError.invalidEvent("kind \(kind.name): field name '\(f.name)' is invalid or repeated")
            }
            if f.delta, f.type != .unsigned, f.type != .signed {
                throw TraceError.invalidEvent("kind \(kind.name).\(f.name): only unsigned and signed fields can be delta-coded")
            }
            if f.isPacked {
                switch f.type {
                case .unsigned: guard (1...32).contains(f.packedBits) else {
                    throw TraceError.invalidEvent("kind \(kind.name).\(f.name): a packed unsigned field takes 1–32 bits")
                }
                case .enumeration: break
                default: throw TraceError.invalidEvent("kind \(kind.name).\(f.name): only enum and unsigned fields can be packed")
                }
                if f.delta { throw TraceError.invalidEvent("kind \(kind.name).\(f.name): a field is packed or delta-coded, not both") }
            }
            if case let .enumeration(values) = f.type {
                guard !values.isEmpty, values.count <= TraceLimits.maxEnumValues,
                      values.allSatisfy({ isName($0) }), Set(values).count == values.count else {
                    throw TraceError.invalidEvent("kind \(kind.name).\(f.name): enum values must be 1–\(TraceLimits.maxEnumValues) distinct names")
                }
            }
        }
        if kind.fields.reduce(0, { $0 + $1.packedBits }) > 63 {
            throw TraceError.invalidEvent("kind \(kind.name): packed fields take more than 63 bits")
        }
        if kind.shape == .interval, kind.durationIndex == nil {
            throw TraceError.invalidEvent("interval kind \(kind.name) needs a duration field")
        }
    }

    /// True for 1–64 bytes of lowercase ASCII letters, digits and underscores.
    static func isName(_ s: String) -> Bool {
        let u = s.utf8
        return !u.isEmpty && u.count <= TraceLimits.maxNameBytes
            && u.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
