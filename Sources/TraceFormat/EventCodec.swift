/// Flat per-kind tables that the writer and reader share, so the hot loops index raw memory
/// instead of walking the schema (no bounds or uniqueness checks per event).
///
/// Everything a loop needs of a kind is one 8-byte `KindRecord`, of a field one 24-byte
/// `SlotRecord`: two base pointers stay in registers instead of ten, which kept the decode
/// loop spilling to the stack.
@usableFromInline
final class EventCodec {
    static let signedFlag: UInt8 = 1
    static let deltaFlag: UInt8 = 2
    /// The value must be below `bound` (enum value count or string table size).
    static let boundedFlag: UInt8 = 4
    /// The value lives in the event's packed word at `shift`, `mask` wide.
    static let packedFlag: UInt8 = 8
    // Literals behind inlinable accessors, so the reader's inlined loop sees constants (and
    // can name them: `TraceLimits` and `TraceLayout` are package types). A test checks that
    // they agree.
    @inlinable static var maxFields: Int { 16 }
    /// Head varint plus 16 fields of 10 bytes.
    static let maxEventBytes = Varint.maxBytes * (1 + TraceLimits.maxFields)

    /// What the hot loops need of one kind.
    @usableFromInline
    struct KindRecord {
        /// Bit i set when field i is a varint of its own.
        @usableFromInline var plainMask: UInt16 = 0
        /// Bit i set when field i lives in the packed word.
        @usableFromInline var packedMask: UInt16 = 0
        /// The kind's id in the schema.
        @usableFromInline var id: UInt16 = 0
        @usableFromInline var fieldCount: UInt8 = 0
        /// Total bits of its packed fields (0: the kind has no packed word).
        @usableFromInline var packedBits: UInt8 = 0
        /// Bit i set when field i is delta-coded, signed (zig-zag) or bounded: the decode loop
        /// branches on these, straight from the kind's record rather than a load further.
        @usableFromInline var deltaMask: UInt16 = 0
        @usableFromInline var signedMask: UInt16 = 0
        @usableFromInline var boundedMask: UInt16 = 0
        /// The three together: most fields are none of them.
        @usableFromInline var specialMask: UInt16 = 0
    }

    /// What the hot loops need of one field (`position * maxFields + field`).
    @usableFromInline
    struct SlotRecord {
        /// All ones of a packed field's width.
        @usableFromInline var mask: UInt64 = 0
        /// Values must be below this (enum value count, string table size); `.max` when unbounded.
        @usableFromInline var bound: UInt64 = .max
        /// Signed, delta, bounded and packed flags.
        @usableFromInline var flags: UInt8 = 0
        /// Bit offset of a packed field in the packed word.
        @usableFromInline var shift: UInt8 = 0
    }

    @usableFromInline let kindCount: Int
    /// Bits of the head varint that hold the kind's position: ⌈log2 kindCount⌉.
    @usableFromInline let kindBits: UInt64
    /// The largest time delta that fits beside the position in one head varint.
    let maxDelta: UInt64
    /// Kind id → position (`-1` for none); `TraceLimits.maxKinds` entries.
    let positionByID: UnsafeMutablePointer<Int16>
    /// Position → the kind's record.
    @usableFromInline let kinds: UnsafeMutablePointer<KindRecord>
    /// `position * maxFields + field` → the field's record.
    @usableFromInline let fields: UnsafeMutablePointer<SlotRecord>
    /// Number of `position * maxFields + field` slots.
    let slots: Int

    init(header: TraceHeader) {
        let schemaKinds = header.schema.kinds
        kindCount = schemaKinds.count
        var bits: UInt64 = 0
        while (1 << bits) < schemaKinds.count { bits += 1 }
        kindBits = bits
        maxDelta = UInt64.max >> bits
        positionByID = .allocate(capacity: TraceLimits.maxKinds)
        positionByID.initialize(from: header.schema.positionByID, count: TraceLimits.maxKinds)
        let n = max(1, schemaKinds.count)
        kinds = .allocate(capacity: n)
        kinds.initialize(repeating: KindRecord(), count: n)
        slots = n * TraceLimits.maxFields
        fields = .allocate(capacity: slots)
        fields.initialize(repeating: SlotRecord(), count: slots)
        for (p, k) in schemaKinds.enumerated() {
            var record = KindRecord(id: k.id, fieldCount: UInt8(k.fields.count))
            var offset = 0
            for (i, f) in k.fields.enumerated() {
                var slot = SlotRecord()
                if f.delta { slot.flags |= Self.deltaFlag }
                if f.isPacked {
                    slot.flags |= Self.packedFlag
                    record.packedMask |= 1 << UInt16(i)
                    slot.shift = UInt8(offset)
                    slot.mask = (1 << UInt64(f.packedBits)) - 1
                    offset += f.packedBits
                } else {
                    record.plainMask |= 1 << UInt16(i)
                }
                switch f.type {
                case .signed: slot.flags |= Self.signedFlag
                case let .enumeration(values):
                    slot.flags |= Self.boundedFlag
                    slot.bound = UInt64(values.count)
                case .string:
                    slot.flags |= Self.boundedFlag
                    slot.bound = UInt64(header.strings.count)
                case .unsigned, .duration: break
                }
                let bit = UInt16(1) << UInt16(i)
                if slot.flags & Self.deltaFlag != 0 { record.deltaMask |= bit }
                if slot.flags & Self.signedFlag != 0 { record.signedMask |= bit }
                if slot.flags & Self.boundedFlag != 0 { record.boundedMask |= bit }
                fields[p * TraceLimits.maxFields + i] = slot
            }
            record.specialMask = record.deltaMask | record.signedMask | record.boundedMask
            // At most 63 bits (the schema checks it).
            record.packedBits = UInt8(offset)
            kinds[p] = record
        }
    }

    deinit {
        positionByID.deallocate()
        kinds.deallocate()
        fields.deallocate()
    }

    @inline(__always)
    func position(of id: UInt16) -> Int {
        Int(id) < TraceLimits.maxKinds ? Int(positionByID[Int(id)]) : -1
    }
}

/// One decoded event that owns its fields (for tests, exports of small traces and slow paths).
package struct Event: Equatable, Sendable {
    package var kind: UInt16
    package var time: UInt64
    /// One value per schema field; signed fields hold `UInt64(bitPattern:)`.
    package var fields: [UInt64]

    package init(kind: UInt16, time: UInt64, fields: [UInt64] = []) {
        self.kind = kind
        self.time = time
        self.fields = fields
    }
}

/// A decoded event that borrows the reader's scratch space: valid only inside the callback.
public struct RawEvent {
    /// The kind's id in the schema.
    public var kind: UInt16
    /// The kind's position in `schema.kinds` (dense, for array-indexed tallies).
    public var position: Int
    public var time: UInt64
    public var fields: UnsafeBufferPointer<UInt64>

    @inlinable
    init(kind: UInt16, position: Int, time: UInt64, fields: UnsafeBufferPointer<UInt64>) {
        self.kind = kind
        self.position = position
        self.time = time
        self.fields = fields
    }

    /// Copies the event out of the reader's scratch space.
    package var owned: Event { Event(kind: kind, time: time, fields: Array(fields)) }
}
