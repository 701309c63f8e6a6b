import SafeOutput

/// Writes a trace: the header at creation, events into one block buffer that is flushed when
/// full, and on `close` the summary, the index and the trailer.
///
/// Memory is one block buffer plus 32 bytes of index per flushed block. A run that crashes
/// leaves every flushed block readable. Same header and events → byte-identical file.
package final class TraceWriter {
    package let header: TraceHeader
    package let path: String
    private let file: any TraceSink
    /// The trace's identity (its header body's CRC), repeated in every block and the trailer.
    package let traceID: UInt32
    /// The next block's sequence number.
    private var sequence: UInt32 = 0
    private let blockTarget: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Where the next byte of payload goes (the payload starts at `blockHeaderBytes`).
    private var cursor: UnsafeMutablePointer<UInt8>
    /// Flush once the cursor passes this.
    private let limit: UnsafeMutablePointer<UInt8>
    // The codec's hot tables, held directly to save an indirection per event.
    /// Kind id → `position | hasPackedWord << 15 | fieldCount << 16`, or all ones for an id
    /// not in the schema: one load answers "is it known, with this many fields, where, and
    /// does it end with a packed word".
    private let entries: UnsafeMutablePointer<UInt32>
    /// The field records by kind id (`id * maxFields + field`, ids up to the schema's largest),
    /// so the flags an event's encoding branches on are one load from its kind id away rather
    /// than two (id → position → record): a mispredicted branch resolves sooner.
    private let fieldsByID: UnsafeMutablePointer<EventCodec.SlotRecord>
    private let idLimit: Int
    private let kindBits: UInt64
    private let maxDelta: UInt64
    private var count: UInt32 = 0
    private var firstTime: UInt64 = 0
    private var lastTime: UInt64 = 0
    /// Time steps below this take the fast path: `maxDelta + 1` inside a block, 0 when a block is
    /// empty, so one comparison sends the rare cases — a block's first event, time going back
    /// (the step wraps to a huge number), a step too long for the head varint — to the slow path.
    private var fastSteps: UInt64 = 0
    private var fileOffset: UInt64
    private var index: [BlockIndexEntry] = []
    private var total: UInt64 = 0
    private var isClosed = false
    /// The first write error; every later flush and the close throw it.
    package private(set) var failure: (any Error)?
    private let codec: EventCodec
    /// Previous values of delta-coded fields, `position * maxFields + field`; reset per block.
    private let previous: UnsafeMutablePointer<UInt64>

    /// Creates the file and writes its header.
    /// - Parameters:
    ///   - blockSize: payload bytes after which a block is flushed (64 KiB by default; tests use small blocks).
    /// - Throws: `TraceError.io` when the file cannot be created, `.invalidEvent` for a header beyond the limits.
    package convenience init(path: String, header: TraceHeader, blockSize: Int = 64 << 10) throws {
        try self.init(sink: try PosixFile(path: path, writing: true), header: header, blockSize: blockSize)
    }

    /// Writes into `sink` (an `OutputFile` for atomic, checked output); `close` finishes the sink.
    package init(sink: any TraceSink, header: TraceHeader, blockSize: Int = 64 << 10) throws {
        precondition(blockSize >= 16 && blockSize <= TraceLimits.maxBlockPayload - EventCodec.maxEventBytes)
        self.header = header
        self.path = sink.path
        self.blockTarget = blockSize
        self.codec = EventCodec(header: header)
        let bytes = try header.encoded()
        traceID = UInt32(bytes[16]) | UInt32(bytes[17]) << 8 | UInt32(bytes[18]) << 16 | UInt32(bytes[19]) << 24
        self.file = sink
        // 4 bytes of slack: short varints are stored as whole 32-bit words.
        capacity = TraceLayout.blockHeaderBytes + blockSize + EventCodec.maxEventBytes + 4
        buffer = .allocate(capacity: capacity)
        cursor = buffer + TraceLayout.blockHeaderBytes
        limit = cursor + blockSize
        idLimit = (header.schema.kinds.map { Int($0.id) }.max() ?? -1) + 1
        entries = .allocate(capacity: TraceLimits.maxKinds)
        entries.initialize(repeating: .max, count: TraceLimits.maxKinds)
        fieldsByID = .allocate(capacity: max(1, idLimit) * TraceLimits.maxFields)
        fieldsByID.initialize(repeating: EventCodec.SlotRecord(), count: max(1, idLimit) * TraceLimits.maxFields)
        for (pos, kind) in header.schema.kinds.enumerated() {
            let record = codec.kinds[pos], id = Int(kind.id)
            entries[id] = UInt32(pos) | (record.packedBits != 0 ? 1 << 15 : 0) | UInt32(record.fieldCount) << 16
            (fieldsByID + id * TraceLimits.maxFields).update(from: codec.fields + pos * TraceLimits.maxFields, count: TraceLimits.maxFields)
        }
        kindBits = codec.kindBits
        maxDelta = codec.maxDelta
        previous = .allocate(capacity: max(1, codec.kindCount) * TraceLimits.maxFields)
        previous.initialize(repeating: 0, count: max(1, codec.kindCount) * TraceLimits.maxFields)
        fileOffset = UInt64(bytes.count)
        try file.writeAll(bytes)
    }

    deinit {
        buffer.deallocate()
        entries.deallocate()
        fieldsByID.deallocate()
        previous.deallocate()
    }

    /// Events written so far.
    package var eventCount: UInt64 { total + UInt64(count) }

    /// Appends one event.
    /// - Parameters:
    ///   - kind: the id of a kind in the schema.
    ///   - time: simulated ns; never less than the previous event's.
    ///   - fields: one value per schema field; signed values as `UInt64(bitPattern:)`.
    /// - Throws: `.invalidEvent` for an unknown kind, a wrong field count or time going back; `.io` when a flush fails.
    @inline(__always)
    package func append(_ kind: UInt16, at time: UInt64, _ fields: UnsafeBufferPointer<UInt64>) throws {
        var c = try begin(kind, time, fields.count)
        for i in 0..<fields.count { c.put(i, fields[i]) }
        try end(c)
    }

    /// Appends an event with no fields.
    @inline(__always)
    package func append(_ kind: UInt16, at time: UInt64) throws {
        try end(try begin(kind, time, 0))
    }

    /// Appends an event with one field.
    @inline(__always)
    package func append(_ kind: UInt16, at time: UInt64, _ a: UInt64) throws {
        var c = try begin(kind, time, 1)
        c.put(0, a)
        try end(c)
    }

    /// Appends an event with two fields.
    @inline(__always)
    package func append(_ kind: UInt16, at time: UInt64, _ a: UInt64, _ b: UInt64) throws {
        var c = try begin(kind, time, 2)
        c.put(0, a); c.put(1, b)
        try end(c)
    }

    /// Appends an event with three fields.
    @inline(__always)
    package func append(_ kind: UInt16, at time: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64) throws {
        var e = try begin(kind, time, 3)
        e.put(0, a); e.put(1, b); e.put(2, c)
        try end(e)
    }

    /// Appends an event with four fields.
    @inline(__always)
    package func append(_ kind: UInt16, at time: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) throws {
        var e = try begin(kind, time, 4)
        e.put(0, a); e.put(1, b); e.put(2, c); e.put(3, d)
        try end(e)
    }

    /// Appends an event with five fields.
    @inline(__always)
    package func append(_ kind: UInt16, at time: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64, _ e: UInt64) throws {
        var x = try begin(kind, time, 5)
        x.put(0, a); x.put(1, b); x.put(2, c); x.put(3, d); x.put(4, e)
        try end(x)
    }

    /// Appends an owned event (convenient, slower: for tests and rare events).
    package func append(_ event: Event) throws {
        try event.fields.withUnsafeBufferPointer { try append(event.kind, at: event.time, $0) }
    }

    /// One event being encoded: the write position and tables in locals, so byte stores
    /// (which may alias anything) do not force reloads of the writer's state.
    struct Encoding {
        var cursor: UnsafeMutablePointer<UInt8>
        let position: Int
        /// Whether the kind ends with a packed word.
        let packed: Bool
        /// The kind's field records and previous values.
        let fields: UnsafeMutablePointer<EventCodec.SlotRecord>
        let previous: UnsafeMutablePointer<UInt64>
        /// The packed fields gathered so far, and whether one did not fit its width.
        var word: UInt64 = 0
        var overflow = false

        @inline(__always)
        mutating func put(_ i: Int, _ value: UInt64) {
            let f = fields[i].flags
            var v = value
            if f != 0 {
                if f & EventCodec.packedFlag != 0 {
                    overflow = overflow || value > fields[i].mask
                    word |= value &<< UInt64(fields[i].shift)
                    return
                }
                if f & EventCodec.deltaFlag != 0 {
                    v = Varint.zigzag(Int64(bitPattern: value &- previous[i]))
                    previous[i] = value
                } else if f & EventCodec.signedFlag != 0 {
                    v = Varint.zigzag(Int64(bitPattern: value))
                }
            }
            cursor += ShortVarint.write(v, to: cursor)
        }
    }

    @inline(__always)
    private func begin(_ kind: UInt16, _ time: UInt64, _ n: Int) throws -> Encoding {
        let id = Int(kind)
        let entry = id < idLimit ? entries[id] : .max
        guard entry &>> 16 == UInt32(truncatingIfNeeded: n) else { throw fieldError(kind, n) }
        let pos = Int(entry & 0x7FFF)
        var dt = time &- lastTime
        if _slowPath(dt >= fastSteps) {
            // After close every append comes here (close leaves fastSteps at 0).
            guard !isClosed else { throw TraceError.closed }
            guard time >= lastTime else { throw TraceError.invalidEvent("time went back from \(lastTime) to \(time) ns") }
            if count == 0 || dt > maxDelta {
                // A block's first event, or a step too long for one head varint: the event starts
                // a block, whose header carries its time.
                try flush()
                firstTime = time
                dt = 0
            }
            // With one kind the head has no position bits and every step fits: maxDelta + 1 wraps
            // to 0 and every event comes here, which is still right.
            fastSteps = maxDelta &+ 1
        }
        lastTime = time
        let c = cursor
        return Encoding(cursor: c + ShortVarint.write((dt << kindBits) | UInt64(pos), to: c), position: pos, packed: entry & 0x8000 != 0,
                        fields: fieldsByID + id &* TraceLimits.maxFields, previous: previous + pos &* TraceLimits.maxFields)
    }

    private func fieldError(_ kind: UInt16, _ n: Int) -> TraceError {
        let pos = codec.position(of: kind)
        guard pos >= 0 else { return TraceError.invalidEvent("kind id \(kind) is not in the schema") }
        return TraceError.invalidEvent("kind \(header.schema.kinds[pos].name) takes \(header.schema.kinds[pos].fields.count) fields, not \(n)")
    }

    @inline(__always)
    private func end(_ e: Encoding) throws {
        var e = e
        let pos = e.position
        if e.packed {
            guard !e.overflow else {
                throw TraceError.invalidEvent("a packed field of kind \(header.schema.kinds[pos].name) does not fit its width")
            }
            e.cursor += ShortVarint.write(e.word, to: e.cursor)
        }
        cursor = e.cursor
        count &+= 1
        if e.cursor >= limit { try flush() }
    }

    /// Writes the current block to the file (no-op when it is empty).
    package func flush() throws {
        if let failure {
            dropBlock()
            throw failure
        }
        guard count > 0 else { return }
        guard !isClosed else { throw TraceError.closed }
        let raw = UnsafeMutableRawPointer(buffer)
        let used = cursor - (buffer + TraceLayout.blockHeaderBytes)
        raw.storeBytes(of: TraceLayout.blockTag.littleEndian, toByteOffset: 0, as: UInt32.self)
        raw.storeBytes(of: UInt32(used).littleEndian, toByteOffset: 4, as: UInt32.self)
        raw.storeBytes(of: count.littleEndian, toByteOffset: 8, as: UInt32.self)
        raw.storeBytes(of: firstTime.littleEndian, toByteOffset: 12, as: UInt64.self)
        raw.storeBytes(of: lastTime.littleEndian, toByteOffset: 20, as: UInt64.self)
        let payloadCRC = CRC32C.checksum(raw + TraceLayout.blockHeaderBytes, count: used)
        raw.storeBytes(of: payloadCRC.littleEndian, toByteOffset: 28, as: UInt32.self)
        raw.storeBytes(of: sequence.littleEndian, toByteOffset: 32, as: UInt32.self)
        raw.storeBytes(of: traceID.littleEndian, toByteOffset: 36, as: UInt32.self)
        raw.storeBytes(of: CRC32C.checksum(raw, count: 40).littleEndian, toByteOffset: 40, as: UInt32.self)
        let size = TraceLayout.blockHeaderBytes + used
        do {
            try file.writeAll(raw, count: size)
        } catch {
            // Sticky: events after a failed write are dropped (the buffer is reused) and close()
            // reports the first error, so a run that filled the disk can never end in success.
            failure = error
            dropBlock()
            throw error
        }
        index.append(BlockIndexEntry(offset: fileOffset, firstTime: firstTime, lastTime: lastTime, eventCount: count))
        sequence += 1
        fileOffset += UInt64(size)
        total += UInt64(count)
        cursor = buffer + TraceLayout.blockHeaderBytes
        count = 0
        fastSteps = 0
        // Delta-coded fields restart from 0 in every block, so each block decodes alone.
        previous.update(repeating: 0, count: codec.slots)
    }

    /// Empties the block buffer without writing it (after a write error: the buffer must not grow).
    private func dropBlock() {
        cursor = buffer + TraceLayout.blockHeaderBytes
        count = 0
        fastSteps = 0
        previous.update(repeating: 0, count: codec.slots)
    }

    /// Flushes the last block, writes the results summary, the index and the trailer, and closes the file.
    /// - Parameter summary: the run's result metrics (written even when empty).
    package func close(summary: [Metric]) throws {
        guard !isClosed else { throw TraceError.closed }
        try flush()
        if let failure { throw failure }
        isClosed = true
        let summaryOffset = fileOffset
        var body = ByteSink()
        guard summary.count <= TraceLimits.maxMetrics else { throw TraceError.invalidEvent("at most \(TraceLimits.maxMetrics) metrics") }
        body.varint(UInt64(summary.count))
        for m in summary {
            guard Schema.isName(m.name) else { throw TraceError.invalidEvent("metric name '\(m.name)' must be 1–64 of [a-z0-9_]") }
            guard m.value.isFinite else { throw TraceError.invalidEvent("metric \(m.name) is \(m.value); results must be finite numbers") }
            body.string(m.name)
            body.string(String(m.unit.prefix(TraceLimits.maxNameBytes)))
            body.le(m.value.bitPattern)
        }
        var section = ByteSink()
        section.le(TraceLayout.summaryTag)
        section.le(UInt32(body.bytes.count))
        section.le(CRC32C.checksum(body.bytes))
        section.bytes += body.bytes
        let indexOffset = summaryOffset + UInt64(section.bytes.count)
        var entries = ByteSink()
        for e in index {
            entries.le(e.offset); entries.le(e.firstTime); entries.le(e.lastTime); entries.le(e.eventCount)
            entries.le(UInt32(entries.bytes.count / TraceLayout.indexEntryBytes)) // the block's sequence number
        }
        section.le(TraceLayout.indexTag)
        section.le(UInt32(index.count))
        section.le(CRC32C.checksum(entries.bytes))
        section.bytes += entries.bytes
        var trailer = ByteSink()
        trailer.le(indexOffset); trailer.le(summaryOffset); trailer.le(total)
        trailer.le(UInt32(index.count)); trailer.le(traceID)
        trailer.le(CRC32C.checksum(trailer.bytes))
        trailer.le(TraceLayout.trailerTag)
        section.bytes += trailer.bytes
        try file.writeAll(section.bytes)
        try file.finish()
    }
}

/// Where a trace's bytes go: a file written in place (`PosixFile`, for tests and tools) or an
/// `OutputFile` (atomic, every write checked, never replacing a device) for what users asked for.
package protocol TraceSink: AnyObject {
    var path: String { get }
    func writeAll(_ p: UnsafeRawPointer, count: Int) throws
    /// Makes the written bytes final (close; for an `OutputFile`, sync and rename into place).
    func finish() throws
}

extension TraceSink {
    func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0.baseAddress!, count: $0.count) }
    }
}

extension PosixFile: TraceSink {
    package func finish() throws { try close() }
}

extension OutputFile: TraceSink {
    package func writeAll(_ p: UnsafeRawPointer, count: Int) throws { try write(p, count: count) }
    package func finish() throws { try commit() }
}

/// Where one block is and what time it covers (one entry of the footer index).
package struct BlockIndexEntry: Equatable, Sendable {
    package var offset: UInt64
    package var firstTime: UInt64
    package var lastTime: UInt64
    package var eventCount: UInt32
}
