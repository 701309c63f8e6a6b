extension TraceReader {
    /// Verifies one block's header and payload CRC and says whether to decode it.
    func readBlock(at offset: UInt64, state: inout ScanState) throws -> BlockStep {
        let hb = layout.blockHeaderBytes, crcAt = layout.blockHeaderCRCOffset
        guard let h = try window.bytes(at: offset, count: hb, limit: state.end) else {
            throw TraceError.truncated(what: "block header", offset: offset)
        }
        let storedHeaderCRC = loadLE(h, crcAt, as: UInt32.self)
        let headerCRC = CRC32C.checksum(h, count: crcAt)
        guard storedHeaderCRC == headerCRC else {
            throw TraceError.checksumMismatch(what: "block header", offset: offset, stored: storedHeaderCRC, computed: headerCRC)
        }
        let length = Int(loadLE(h, 4, as: UInt32.self))
        let count = loadLE(h, 8, as: UInt32.self)
        let first = loadLE(h, 12, as: UInt64.self)
        let last = loadLE(h, 20, as: UInt64.self)
        let storedCRC = loadLE(h, 28, as: UInt32.self)
        guard length >= 1, length <= TraceLimits.maxBlockPayload else {
            throw TraceError.limitExceeded(what: "block payload length", offset: offset + 4, value: UInt64(length), limit: UInt64(TraceLimits.maxBlockPayload))
        }
        guard count >= 1, Int(count) <= length else {
            throw TraceError.malformed(what: "block event count \(count) does not fit its \(length)-byte payload", offset: offset + 8)
        }
        guard first <= last else { throw TraceError.malformed(what: "block ends before it starts", offset: offset + 12) }
        try checkPlace(h, at: offset, first: first, state: &state)
        state.lastTime = last
        let size = UInt64(hb + length)
        let range = state.range
        if let r = range {
            if first > r.upperBound { return .pastRange }
            if last < r.lowerBound { return .skip(size) }
        }
        guard let whole = try window.bytes(at: offset, count: hb + length, limit: state.end) else {
            throw TraceError.truncated(what: "block", offset: offset)
        }
        let payload = (whole + hb).assumingMemoryBound(to: UInt8.self)
        let crc = CRC32C.checksum(payload, count: length)
        guard crc == storedCRC else {
            throw TraceError.checksumMismatch(what: "block", offset: offset, stored: storedCRC, computed: crc)
        }
        // Delta-coded fields restart from 0 in every block.
        previous.update(repeating: 0, count: codec.slots)
        return .decode(BlockView(offset: offset, payloadOffset: offset + UInt64(hb), payload: payload, length: length, count: count, first: first, last: last))
    }

    /// Damage the CRCs cannot see: a block of another trace, blocks swapped, dropped or repeated
    /// (v2: identity and sequence number), or starting before the previous one ended (any version).
    /// Advances the expected sequence number; missing blocks are an error, or counted in salvage.
    func checkPlace(_ h: UnsafeRawPointer, at offset: UInt64, first: UInt64, state: inout ScanState) throws {
        if layout.hasSequence {
            let id = loadLE(h, 36, as: UInt32.self)
            guard id == traceID else {
                throw TraceError.malformed(what: "block belongs to another trace (identity \(hex(id)); this trace is \(hex(traceID))): traces were joined", offset: offset + 36)
            }
            let seq = loadLE(h, 32, as: UInt32.self)
            if let expected = state.nextSequence, seq != expected {
                guard seq > expected, first >= state.lastTime ?? 0 else {
                    throw TraceError.malformed(what: "block number \(seq) where number \(expected) belongs: blocks are out of order or repeated", offset: offset + 32)
                }
                let missing = TraceError.malformed(what: "blocks \(expected)–\(seq - 1) are missing (the next block is number \(seq))", offset: offset + 32)
                guard mode == .salvage else { throw missing }
                state.report.damage.append(Damage(offset: offset, length: 0, error: missing))
                if footer == nil { state.report.blocksLost += UInt64(seq - expected) }
            }
            state.nextSequence = seq &+ 1
        }
        if let previousLast = state.lastTime, first < previousLast {
            throw TraceError.malformed(what: "block starts at \(first) ns, before the previous block ended (\(previousLast) ns): blocks are out of order", offset: offset + 12)
        }
    }

    /// The hot loop: head varint, then each field by the kind's records. Inlined into each
    /// caller of `scan`, with the caller's closure.
    @inlinable @inline(__always)
    func decodeEvents(_ block: BlockView, range: ClosedRange<UInt64>?, _ body: (RawEvent) throws -> Void) throws {
        let start = block.payload
        let end = start + block.length
        let last = block.last
        var p = start
        var time = block.first
        let kindBits = codec.kindBits
        let mask = (UInt64(1) << kindBits) &- 1
        let kinds = UInt64(codec.kindCount)
        let out = scratch
        let previous = previous
        let maxFields = EventCodec.maxFields
        let lo = range?.lowerBound ?? 0
        let hi = range?.upperBound ?? .max
        // A block inside the range (every block of a full scan) needs no test per event.
        let whole = lo <= block.first && block.last <= hi
        let kindRecords = codec.kinds, slots = codec.fields
        // Offsets in errors: from the start of the file.
        let base = block.payloadOffset
        for _ in 0..<block.count {
            guard let (head, n) = ShortVarint.read(p, end: end) else {
                throw decodeError(.head, 0, at: base + UInt64(p - start))
            }
            let pos = head & mask
            guard pos < kinds else { throw decodeError(.position, pos, at: base + UInt64(p - start)) }
            // time ≤ last holds throughout, so one comparison rules out both overflow and overshoot.
            let step = head &>> kindBits
            guard step <= last &- time else { throw decodeError(.time, 0, at: base + UInt64(p - start)) }
            time &+= step
            p += n
            let k = Int(pos)
            let first = k &* maxFields
            let record = kindRecords[k]
            var plain = record.plainMask
            while plain != 0 {
                let i = plain.trailingZeroBitCount
                plain &= plain &- 1
                guard let (raw, m) = Varint.read(p, end: end) else {
                    throw decodeError(.field, 0, at: base + UInt64(p - start))
                }
                let slot = first &+ i
                let bit = UInt16(1) &<< UInt16(i)
                var v = raw
                if record.specialMask & bit != 0 {
                    if record.deltaMask & bit != 0 {
                        v = previous[slot] &+ UInt64(bitPattern: Varint.unzigzag(raw))
                        previous[slot] = v
                    } else if record.signedMask & bit != 0 {
                        v = UInt64(bitPattern: Varint.unzigzag(raw))
                    } else if raw >= slots[slot].bound {
                        throw decodeError(.fieldRange, raw, at: base + UInt64(p - start))
                    }
                }
                out[i] = v
                p += m
            }
            let bits = UInt64(record.packedBits)
            if bits != 0 {
                guard let (word, m) = Varint.read(p, end: end), word &>> bits == 0 else {
                    throw decodeError(.packedWord, 0, at: base + UInt64(p - start))
                }
                var m16 = record.packedMask
                while m16 != 0 {
                    let i = m16.trailingZeroBitCount
                    m16 &= m16 &- 1
                    let field = slots[first &+ i]
                    let v = (word &>> UInt64(field.shift)) & field.mask
                    guard v < field.bound else { throw decodeError(.packedRange, v, at: base + UInt64(p - start)) }
                    out[i] = v
                }
                p += m
            }
            if whole || (time >= lo && time <= hi) {
                let event = RawEvent(kind: record.id, position: k, time: time,
                                     fields: UnsafeBufferPointer(start: out, count: Int(record.fieldCount)))
                do { try body(event) } catch { throw CallbackError.wrapped(error) }
            }
        }
        guard p == end else { throw decodeError(.trailingBytes, UInt64(end - p), at: base + UInt64(p - start)) }
        guard time == last else { throw decodeError(.lastTime, 0, at: base) }
    }

    /// What was wrong inside a block's payload.
    @usableFromInline
    enum DecodeFault { case head, position, time, field, fieldRange, packedWord, packedRange, trailingBytes, lastTime }

    /// The typed error for a fault at a file offset (out of line: the text is built only on failure).
    @usableFromInline
    func decodeError(_ fault: DecodeFault, _ value: UInt64, at offset: UInt64) -> any Error {
        let what: String
        switch fault {
        case .head: what = "bad event head varint"
        case .position: what = "event kind position \(value) is not in the schema"
        case .time: what = "event time runs past the block's last time"
        case .field: what = "bad field varint"
        case .fieldRange: what = "field value \(value) is out of range for its enum or string table"
        case .packedWord: what = "bad packed-field word"
        case .packedRange: what = "packed enum value \(value) is out of range"
        case .trailingBytes: what = "block payload has \(value) bytes after its last event"
        case .lastTime: what = "block's last event is not at its stated last time"
        }
        return TraceError.malformed(what: what, offset: offset)
    }

    /// Reads and checks the trailer and index of a closed file; nil when the file has no trailer.
    func readFooter() throws -> Footer? {
        let tb = UInt64(layout.trailerBytes)
        guard fileSize >= dataStart + tb + UInt64(TraceLayout.indexPreambleBytes) else { return nil }
        let trailerAt = fileSize - tb
        let t = try file.bytes(at: trailerAt, count: Int(tb))
        let crcAt = Int(tb) - 8
        let (indexOffset, summaryOffset, total, crc, tag) = t.withUnsafeBytes { b in
            (loadLE(b.baseAddress!, 0, as: UInt64.self), loadLE(b.baseAddress!, 8, as: UInt64.self),
             loadLE(b.baseAddress!, 16, as: UInt64.self), loadLE(b.baseAddress!, crcAt, as: UInt32.self),
             loadLE(b.baseAddress!, crcAt + 4, as: UInt32.self))
        }
        guard tag == TraceLayout.trailerTag else { return nil }
        let computed = t.withUnsafeBytes { CRC32C.checksum($0.baseAddress!, count: crcAt) }
        guard computed == crc else { throw TraceError.checksumMismatch(what: "trailer", offset: trailerAt, stored: crc, computed: computed) }
        var blockCount: UInt32?
        if layout.hasSequence {
            let (n, id) = t.withUnsafeBytes { (loadLE($0.baseAddress!, 24, as: UInt32.self), loadLE($0.baseAddress!, 28, as: UInt32.self)) }
            guard id == traceID else {
                throw TraceError.malformed(what: "the trailer belongs to another trace (identity \(hex(id)); this trace is \(hex(traceID))): traces were joined", offset: trailerAt + 28)
            }
            blockCount = n
        }
        // Offsets near 2^64 must not wrap: compare by subtraction from values known to be in range.
        guard indexOffset >= dataStart, indexOffset <= trailerAt, trailerAt - indexOffset >= UInt64(TraceLayout.indexPreambleBytes) else {
            throw TraceError.malformed(what: "trailer points to an index outside the file (\(indexOffset))", offset: trailerAt)
        }
        guard summaryOffset == 0 || (summaryOffset >= dataStart && summaryOffset < indexOffset) else {
            throw TraceError.malformed(what: "trailer points to a summary outside the data (\(summaryOffset))", offset: trailerAt + 8)
        }
        let pre = try file.bytes(at: indexOffset, count: TraceLayout.indexPreambleBytes)
        let (itag, n, icrc) = pre.withUnsafeBytes { b in
            (loadLE(b.baseAddress!, 0, as: UInt32.self), loadLE(b.baseAddress!, 4, as: UInt32.self), loadLE(b.baseAddress!, 8, as: UInt32.self))
        }
        guard itag == TraceLayout.indexTag else { throw TraceError.malformed(what: "no index at the offset the trailer gives", offset: indexOffset) }
        let room = trailerAt - indexOffset - UInt64(TraceLayout.indexPreambleBytes)
        guard UInt64(n) * UInt64(TraceLayout.indexEntryBytes) == room else {
            throw TraceError.limitExceeded(what: "index entry count", offset: indexOffset + 4, value: UInt64(n), limit: room / UInt64(TraceLayout.indexEntryBytes))
        }
        let raw = try file.bytes(at: indexOffset + UInt64(TraceLayout.indexPreambleBytes), count: Int(room))
        let computedIndex = CRC32C.checksum(raw)
        guard computedIndex == icrc else { throw TraceError.checksumMismatch(what: "index", offset: indexOffset, stored: icrc, computed: computedIndex) }
        if let blockCount, blockCount != n {
            throw TraceError.malformed(what: "trailer counts \(blockCount) blocks, index \(n)", offset: trailerAt + 24)
        }
        let dataEnd = summaryOffset != 0 ? summaryOffset : indexOffset
        var blocks: [BlockIndexEntry] = []
        blocks.reserveCapacity(Int(n))
        var sum: UInt64 = 0
        try raw.withUnsafeBytes { b in
            for i in 0..<Int(n) {
                let at = i * TraceLayout.indexEntryBytes
                let e = BlockIndexEntry(offset: loadLE(b.baseAddress!, at, as: UInt64.self),
                                        firstTime: loadLE(b.baseAddress!, at + 8, as: UInt64.self),
                                        lastTime: loadLE(b.baseAddress!, at + 16, as: UInt64.self),
                                        eventCount: loadLE(b.baseAddress!, at + 24, as: UInt32.self))
                let sequence = loadLE(b.baseAddress!, at + 28, as: UInt32.self)
                let prev = blocks.last
                guard e.offset >= dataStart, e.offset < dataEnd, dataEnd - e.offset > UInt64(layout.blockHeaderBytes),
                      e.firstTime <= e.lastTime, e.eventCount > 0, !layout.hasSequence || sequence == UInt32(i),
                      prev.map({ e.offset > $0.offset && e.firstTime >= $0.lastTime }) ?? true else {
                    throw TraceError.malformed(what: "index entry \(i) is out of order or outside the data", offset: indexOffset + 12 + UInt64(at))
                }
                sum &+= UInt64(e.eventCount)
                blocks.append(e)
            }
        }
        guard sum == total else { throw TraceError.malformed(what: "trailer counts \(total) events, index \(sum)", offset: trailerAt + 16) }
        return Footer(indexOffset: indexOffset, summaryOffset: summaryOffset, totalEvents: total, blocks: blocks)
    }

    func readSummary(at offset: UInt64, end: UInt64) throws -> [Metric] {
        let (metrics, size) = try readSummarySection(at: offset, end: end)
        guard offset + size == end else { throw TraceError.malformed(what: "bytes between the summary and the index", offset: offset + size) }
        return metrics
    }

    /// Decodes a summary section; returns the metrics and the section's size.
    func readSummarySection(at offset: UInt64, end: UInt64) throws -> ([Metric], UInt64) {
        let pb = TraceLayout.summaryPreambleBytes
        guard let pre = try window.bytes(at: offset, count: pb, limit: end) else { throw TraceError.truncated(what: "summary", offset: offset) }
        guard loadLE(pre, 0, as: UInt32.self) == TraceLayout.summaryTag else { throw TraceError.malformed(what: "no summary tag", offset: offset) }
        let length = Int(loadLE(pre, 4, as: UInt32.self))
        let stored = loadLE(pre, 8, as: UInt32.self)
        guard length <= TraceLimits.maxSummaryBytes else {
            throw TraceError.limitExceeded(what: "summary length", offset: offset + 4, value: UInt64(length), limit: UInt64(TraceLimits.maxSummaryBytes))
        }
        guard let whole = try window.bytes(at: offset, count: pb + length, limit: end) else { throw TraceError.truncated(what: "summary", offset: offset) }
        let body = Array(UnsafeRawBufferPointer(start: whole + pb, count: length))
        let crc = CRC32C.checksum(body)
        guard crc == stored else { throw TraceError.checksumMismatch(what: "summary", offset: offset, stored: stored, computed: crc) }
        var c = ByteCursor(body, base: offset + UInt64(pb))
        let n = try c.count("metric count", limit: TraceLimits.maxMetrics)
        var metrics: [Metric] = []
        for _ in 0..<n {
            let name = try c.name("metric name")
            let unit = try c.string("metric unit", limit: TraceLimits.maxNameBytes)
            let at = c.offset
            let value = try c.float64("metric value")
            // NaN and infinities are not results (the writer refuses them); a trace is untrusted input.
            guard value.isFinite else { throw TraceError.malformed(what: "metric \(name) is \(value), not a finite number", offset: at) }
            metrics.append(Metric(name, value, unit))
        }
        guard c.isAtEnd else { throw TraceError.malformed(what: "extra bytes after the summary's metrics", offset: c.offset) }
        return (metrics, UInt64(pb + length))
    }

    /// In a file without a valid trailer, an index section means the writer died while closing.
    func checkUnclosedIndex(at offset: UInt64) throws {
        throw TraceError.truncated(what: "footer (index and trailer)", offset: offset)
    }

    /// The offset of the next plausible section after a damaged one: a block tag whose header CRC holds, or the end.
    func resync(after offset: UInt64, end: UInt64) throws -> UInt64 {
        var at = offset + 1
        let chunk = 1 << 16
        let hb = layout.blockHeaderBytes, crcAt = layout.blockHeaderCRCOffset
        while at < end {
            // Read with overlap so a header that straddles two chunks is still seen whole.
            let bytes = try file.bytes(at: at, count: Int(min(UInt64(chunk + hb), end - at)))
            let scanLength = min(chunk, bytes.count)
            let found: Int? = bytes.withUnsafeBytes { b in
                for i in 0..<scanLength where b[i] == 0xF1 {
                    guard i + 4 <= b.count else { return i }
                    let tag = loadLE(b.baseAddress!, i, as: UInt32.self)
                    if footer == nil, tag == TraceLayout.summaryTag || tag == TraceLayout.indexTag { return i }
                    guard tag == TraceLayout.blockTag else { continue }
                    guard i + hb <= b.count else { return i }
                    if CRC32C.checksum(b.baseAddress! + i, count: crcAt) == loadLE(b.baseAddress!, i + crcAt, as: UInt32.self) { return i }
                }
                return nil
            }
            if let i = found { return at + UInt64(i) }
            if bytes.count <= scanLength { return end }
            at += UInt64(scanLength)
        }
        return end
    }
}

/// A read-ahead window over the file: hands out pointers to byte ranges, refilling as needed.
final class ReadWindow {
    let file: PosixFile
    /// 4 MiB, or the whole file when it is smaller: no request can be longer than the file (they
    /// are checked against its end first), and a page builds several readers of small traces —
    /// each 4 MiB window was fresh memory for the kernel to fault in and clear.
    let capacity: Int
    let buffer: UnsafeMutableRawPointer
    var start: UInt64 = 0
    var length = 0

    init(file: PosixFile, fileSize: UInt64) {
        self.file = file
        capacity = Int(min(UInt64(4 << 20), max(fileSize, 64)))
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// A pointer to `count` bytes at `offset`, or nil when the file (or `limit`) ends first.
    /// Valid until the next call.
    @inline(__always)
    func bytes(at offset: UInt64, count: Int, limit: UInt64) throws -> UnsafeRawPointer? {
        guard offset <= limit, UInt64(count) <= limit - offset else { return nil }
        if offset >= start, offset + UInt64(count) <= start + UInt64(length) {
            return UnsafeRawPointer(buffer + Int(offset - start))
        }
        precondition(count <= capacity)
        start = offset
        length = try file.read(into: buffer, count: capacity, at: offset)
        return length >= count ? UnsafeRawPointer(buffer) : nil
    }
}
