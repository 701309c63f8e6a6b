/// Flat per-kind tables that the writer and reader share, so the hot loops index raw memory
/// instead of walking the schema (no bounds or uniqueness checks per event).
final class EventCodec {
    static let signedFlag: UInt8 = 1
    static let deltaFlag: UInt8 = 2
    /// The value must be below `bound` (enum value count or string table size).
    static let boundedFlag: UInt8 = 4
    /// The value lives in the event's packed word at `shift`, `mask` wide.
    static let packedFlag: UInt8 = 8
    /// Head varint plus 16 fields of 10 bytes.
    static let maxEventBytes = Varint.maxBytes * (1 + TraceLimits.maxFields)

    let kindCount: Int
    /// Bits of the head varint that hold the kind's position: ⌈log2 kindCount⌉.
    let kindBits: UInt64
    /// The largest time delta that fits beside the position in one head varint.
    let maxDelta: UInt64
    /// Kind id → position (`-1` for none); `TraceLimits.maxKinds` entries.
    let positionByID: UnsafeMutablePointer<Int16>
    let kindIDs: UnsafeMutablePointer<UInt16>
    let fieldCount: UnsafeMutablePointer<Int>
    /// `position * maxFields + field` → signed/delta flags.
    let flags: UnsafeMutablePointer<UInt8>
    /// `position * maxFields + field` → values must be below this (enum value count, string table size).
    let bound: UnsafeMutablePointer<UInt64>
    /// `position * maxFields + field` → bit offset of a packed field in the packed word.
    let shift: UnsafeMutablePointer<UInt64>
    /// `position * maxFields + field` → all-ones of a packed field's width.
    let mask: UnsafeMutablePointer<UInt64>
    /// Position → total bits of its packed fields (0: the kind has no packed word).
    let packedBits: UnsafeMutablePointer<UInt64>
    /// Position → bit i set when field i is packed.
    let packedMask: UnsafeMutablePointer<UInt16>
    /// Position → bit i set when field i is a varint of its own.
    let plainMask: UnsafeMutablePointer<UInt16>
    /// Number of `position * maxFields + field` slots.
    let slots: Int

    init(header: TraceHeader) {
        let kinds = header.schema.kinds
        kindCount = kinds.count
        var bits: UInt64 = 0
        while (1 << bits) < kinds.count { bits += 1 }
        kindBits = bits
        maxDelta = UInt64.max >> bits
        positionByID = .allocate(capacity: TraceLimits.maxKinds)
        positionByID.initialize(from: header.schema.positionByID, count: TraceLimits.maxKinds)
        let n = max(1, kinds.count)
        kindIDs = .allocate(capacity: n)
        kindIDs.initialize(repeating: 0, count: n)
        fieldCount = .allocate(capacity: n)
        fieldCount.initialize(repeating: 0, count: n)
        slots = n * TraceLimits.maxFields
        flags = .allocate(capacity: slots)
        flags.initialize(repeating: 0, count: slots)
        bound = .allocate(capacity: slots)
        bound.initialize(repeating: .max, count: slots)
        shift = .allocate(capacity: slots)
        shift.initialize(repeating: 0, count: slots)
        mask = .allocate(capacity: slots)
        mask.initialize(repeating: 0, count: slots)
        packedBits = .allocate(capacity: n)
        packedBits.initialize(repeating: 0, count: n)
        packedMask = .allocate(capacity: n)
        packedMask.initialize(repeating: 0, count: n)
        plainMask = .allocate(capacity: n)
        plainMask.initialize(repeating: 0, count: n)
        for (p, k) in kinds.enumerated() {
            kindIDs[p] = k.id
            fieldCount[p] = k.fields.count
            var offset: UInt64 = 0
            for (i, f) in k.fields.enumerated() {
                let slot = p * TraceLimits.maxFields + i
                if f.delta { flags[slot] |= Self.deltaFlag }
                if f.isPacked {
                    flags[slot] |= Self.packedFlag
                    packedMask[p] |= 1 << UInt16(i)
                    shift[slot] = offset
                    mask[slot] = (1 << UInt64(f.packedBits)) - 1
                    offset += UInt64(f.packedBits)
                } else {
                    plainMask[p] |= 1 << UInt16(i)
                }
                switch f.type {
                case .signed: flags[slot] |= Self.signedFlag
                case let .enumeration(values):
                    flags[slot] |= Self.boundedFlag
                    bound[slot] = UInt64(values.count)
                case .string:
                    flags[slot] |= Self.boundedFlag
                    bound[slot] = UInt64(header.strings.count)
                case .unsigned, .duration: break
                }
            }
            packedBits[p] = offset
        }
    }

    deinit {
        positionByID.deallocate()
        kindIDs.deallocate()
        fieldCount.deallocate()
        flags.deallocate()
        bound.deallocate()
        shift.deallocate()
        mask.deallocate()
        packedBits.deallocate()
        packedMask.deallocate()
        plainMask.deallocate()
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
package struct RawEvent {
    /// The kind's id in the schema.
    package var kind: UInt16
    /// The kind's position in `schema.kinds` (dense, for array-indexed tallies).
    package var position: Int
    package var time: UInt64
    package var fields: UnsafeBufferPointer<UInt64>

    /// Copies the event out of the reader's scratch space.
    package var owned: Event { Event(kind: kind, time: time, fields: Array(fields)) }
}
