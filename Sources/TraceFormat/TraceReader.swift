/// How a reader treats damage.
package enum ReadMode: Sendable {
    /// Stop at the first damaged byte with a `TraceError` that names its offset.
    case strict
    /// Skip damaged regions, resynchronise at the next block sync marker, and report what was lost.
    case salvage
}

/// Reads a trace as a stream: bounded memory (one read-ahead window) whatever the file size.
///
/// Opening reads the header and, when the file was closed properly, the trailer, index and
/// summary. `scan` then decodes blocks in order, through the index when a time range is asked.
///
/// `scan` is public and inlinable, the only way Swift compiles a function into callers in
/// other modules: each caller gets a copy specialised for its closure, whose body then runs
/// inside the decode loop instead of through a call per event (13 % of the read time in the
/// trace benchmark). Finding, checking and skipping blocks stays out of line.
public final class TraceReader {
    package let path: String
    package let mode: ReadMode
    package let header: TraceHeader
    package let fileSize: UInt64
    /// The offset of the first byte after the header.
    package let dataStart: UInt64
    /// The footer index, when the file was closed and its footer is intact.
    package private(set) var footer: Footer?
    /// Why the footer was not used (salvage mode only; strict mode throws instead).
    package private(set) var footerProblem: TraceError?
    /// The results summary: read at open when there is a footer, otherwise found by `scan`.
    package private(set) var summary: [Metric]?

    /// The sizes of the version the file was written in.
    package let layout: FileLayout
    /// The trace's identity (v2 blocks and trailer repeat it): its header body's CRC.
    package let traceID: UInt32
    let file: PosixFile
    @usableFromInline let codec: EventCodec
    let window: ReadWindow
    /// The decoded fields of the current event.
    @usableFromInline let scratch: UnsafeMutablePointer<UInt64>
    /// Previous values of delta-coded fields, `position * maxFields + field`; reset per block.
    @usableFromInline let previous: UnsafeMutablePointer<UInt64>

    /// Opens a trace and validates its header and footer.
    /// - Throws: `TraceError` for a missing file, a non-trace, a newer version, or (strict mode) a damaged header or footer.
    package init(path: String, mode: ReadMode = .strict) throws {
        self.path = path
        self.mode = mode
        file = try PosixFile(path: path, writing: false)
        fileSize = try file.size
        window = ReadWindow(file: file, fileSize: fileSize)
        let prefix = try file.bytes(at: 0, count: TraceLayout.headerPrefixBytes)
        guard prefix.count >= 8, Array(prefix[0..<8]) == TraceLayout.magic else {
            if prefix.count < 8, prefix == Array(TraceLayout.magic.prefix(prefix.count)) {
                throw TraceError.truncated(what: "header", offset: 0)
            }
            throw TraceError.notATrace(path: path)
        }
        guard prefix.count == TraceLayout.headerPrefixBytes else { throw TraceError.truncated(what: "header", offset: 0) }
        let p = prefix.withUnsafeBytes { (version: loadLE($0.baseAddress!, 8, as: UInt16.self),
                                           flags: loadLE($0.baseAddress!, 10, as: UInt16.self),
                                           length: loadLE($0.baseAddress!, 12, as: UInt32.self),
                                           crc: loadLE($0.baseAddress!, 16, as: UInt32.self)) }
        guard TraceLayout.readableVersions.contains(p.version) else {
            throw TraceError.unsupportedVersion(found: p.version, supported: TraceLayout.formatVersion)
        }
        layout = FileLayout(version: p.version)
        traceID = p.crc
        guard p.flags == 0 else { throw TraceError.malformed(what: "reserved header flags are set", offset: 10) }
        guard p.length <= TraceLimits.maxHeaderBytes else {
            throw TraceError.limitExceeded(what: "header length", offset: 12, value: UInt64(p.length), limit: UInt64(TraceLimits.maxHeaderBytes))
        }
        let bodyStart = UInt64(TraceLayout.headerPrefixBytes)
        guard fileSize >= bodyStart + UInt64(p.length) else { throw TraceError.truncated(what: "header", offset: 0) }
        let body = try file.bytes(at: bodyStart, count: Int(p.length))
        let crc = CRC32C.checksum(body)
        guard crc == p.crc else { throw TraceError.checksumMismatch(what: "header", offset: 0, stored: p.crc, computed: crc) }
        header = try TraceHeader.decodeBody(body, base: bodyStart)
        codec = EventCodec(header: header)
        dataStart = bodyStart + UInt64(p.length)
        // Allocated last: a throw before every stored property is set skips deinit.
        scratch = .allocate(capacity: TraceLimits.maxFields)
        scratch.initialize(repeating: 0, count: TraceLimits.maxFields)
        previous = .allocate(capacity: codec.slots)
        previous.initialize(repeating: 0, count: codec.slots)
        do {
            footer = try readFooter()
            if let f = footer, f.summaryOffset != 0 { summary = try readSummary(at: f.summaryOffset, end: f.indexOffset) }
        } catch let error as TraceError {
            guard mode == .salvage else { throw error }
            footer = nil
            summary = nil
            footerProblem = error
        }
    }

    deinit {
        scratch.deallocate()
        previous.deallocate()
    }

    /// Time span covered by the events, from the index (nil without a footer or with no events).
    package var indexedSpan: ClosedRange<UInt64>? {
        guard let f = footer, let first = f.blocks.first, let last = f.blocks.last else { return nil }
        return first.firstTime...last.lastTime
    }

    /// Decodes every event (or those whose time falls in `range`) in file order.
    /// - Parameters:
    ///   - range: when given and the file has an index, only blocks that overlap it are read.
    ///   - body: called once per event; its `RawEvent` is valid only during the call.
    /// - Returns: what was read and, in salvage mode, what was lost.
    /// - Throws: in strict mode the first `TraceError`, after delivering all events before it; any error `body` throws.
    @inlinable @discardableResult
    public func scan(range: ClosedRange<UInt64>? = nil, _ body: (RawEvent) throws -> Void) throws -> ScanReport {
        var state = beginScan(range: range)
        while true {
            let found: BlockView?
            do {
                found = try nextBlock(&state)
            } catch {
                try recover(&state, error)
                continue
            }
            guard let block = found else { break }
            do {
                try decodeEvents(block, range: range, body)
                finishBlock(&state, block)
            } catch let CallbackError.wrapped(error) {
                throw error
            } catch {
                try recover(&state, error)
            }
        }
        return try endScan(&state)
    }

    /// Where a scan is and what it has read.
    @usableFromInline
    struct ScanState {
        var report: ScanReport
        var offset: UInt64
        var end: UInt64
        var range: ClosedRange<UInt64>?
        /// Blocks read whole (to count, in salvage mode, the indexed blocks that were not).
        var recovered = Set<UInt64>()
        /// The sequence number the next v2 block must carry (nil: any, after a resync).
        var nextSequence: UInt32? = 0
        /// The last time of the previous block (the next may not start before it).
        var lastTime: UInt64?
    }

    /// A verified block: its payload is in the read window until the next read.
    @usableFromInline
    struct BlockView {
        @usableFromInline var offset: UInt64
        /// The file offset of the payload's first byte (for error messages).
        @usableFromInline var payloadOffset: UInt64
        @usableFromInline var payload: UnsafePointer<UInt8>
        @usableFromInline var length: Int
        @usableFromInline var count: UInt32
        @usableFromInline var first: UInt64
        @usableFromInline var last: UInt64
    }

    @usableFromInline
    func beginScan(range: ClosedRange<UInt64>?) -> ScanState {
        var state = ScanState(report: ScanReport(hasFooter: footer != nil), offset: dataStart, end: fileSize, range: range)
        if let f = footer {
            state.end = f.summaryOffset != 0 ? f.summaryOffset : f.indexOffset
            if let r = range {
                // Binary search for the first block that ends at or after the range start.
                var lo = 0, hi = f.blocks.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if f.blocks[mid].lastTime < r.lowerBound { lo = mid + 1 } else { hi = mid }
                }
                state.offset = lo < f.blocks.count ? f.blocks[lo].offset : state.end
                state.nextSequence = UInt32(truncatingIfNeeded: lo)
                state.lastTime = lo > 0 ? f.blocks[lo - 1].lastTime : nil
            }
        }
        return state
    }

    /// The next block to decode (verified: header, CRC, range), reading summary sections of
    /// unclosed files on the way; nil at the end of the data or past the range.
    @usableFromInline
    func nextBlock(_ state: inout ScanState) throws -> BlockView? {
        while state.offset < state.end {
            let offset = state.offset
            guard let tagPtr = try window.bytes(at: offset, count: 4, limit: state.end) else {
                throw TraceError.truncated(what: "section", offset: offset)
            }
            let tag = loadLE(tagPtr, 0, as: UInt32.self)
            if tag == TraceLayout.blockTag {
                switch try readBlock(at: offset, state: &state) {
                case let .decode(block): return block
                case let .skip(size): state.offset += size
                case .pastRange: return nil
                }
            } else if footer == nil, tag == TraceLayout.summaryTag {
                let (metrics, size) = try readSummarySection(at: offset, end: state.end)
                summary = metrics
                state.offset += size
            } else if footer == nil, tag == TraceLayout.indexTag {
                try checkUnclosedIndex(at: offset)
            } else {
                throw TraceError.malformed(what: "expected a block sync marker", offset: offset)
            }
        }
        return nil
    }

    @usableFromInline
    func finishBlock(_ state: inout ScanState, _ block: BlockView) {
        state.report.blocks += 1
        state.report.events += UInt64(block.count)
        if footer != nil { state.recovered.insert(block.offset) }
        state.offset = block.payloadOffset + UInt64(block.length)
    }

    /// Strict mode: rethrows. Salvage mode: records the damage and moves to the next sync marker.
    @usableFromInline
    func recover(_ state: inout ScanState, _ error: any Error) throws {
        guard mode == .salvage, let error = error as? TraceError else { throw error }
        let next = try resync(after: state.offset, end: state.end)
        state.report.damage.append(Damage(offset: state.offset, length: next - state.offset, error: error))
        if footer == nil { state.report.blocksLost += 1 }
        state.offset = next
        // After a damaged region the next block's number is not known: it starts the count again.
        state.nextSequence = nil
    }

    @usableFromInline
    func endScan(_ state: inout ScanState) throws -> ScanReport {
        if footer == nil, mode == .strict, state.range == nil {
            // Every block was whole, but the file ends where a block ended: the run never closed it.
            throw TraceError.unfinished(offset: fileSize)
        }
        if let f = footer, mode == .salvage, state.range == nil {
            for b in f.blocks where !state.recovered.contains(b.offset) {
                state.report.blocksLost += 1
                state.report.eventsLost += UInt64(b.eventCount)
            }
            state.report.eventsLostKnown = true
        } else {
            state.report.eventsLostKnown = state.report.damage.isEmpty
        }
        return state.report
    }

    /// All events, owned (for small traces and tests).
    package func events() throws -> [Event] {
        var out: [Event] = []
        try scan { out.append($0.owned) }
        return out
    }

    /// What to do with the block at an offset.
    enum BlockStep { case decode(BlockView), skip(UInt64), pastRange }
}

/// What a scan read and lost.
public struct ScanReport: Equatable, Sendable {
    package var hasFooter: Bool
    package var events: UInt64 = 0
    package var blocks: UInt64 = 0
    /// Damaged regions that were skipped (salvage mode).
    package var damage: [Damage] = []
    package var blocksLost: UInt64 = 0
    /// Events in lost blocks whose count was known (from the index or an intact block header).
    package var eventsLost: UInt64 = 0
    /// Whether `eventsLost` is exact (false when a damaged region had no readable count).
    package var eventsLostKnown = true
}

/// One skipped region of a salvaged file.
package struct Damage: Equatable, Sendable {
    package var offset: UInt64
    package var length: UInt64
    package var error: TraceError
}

/// The parsed footer of a closed trace.
package struct Footer: Equatable, Sendable {
    package var indexOffset: UInt64
    package var summaryOffset: UInt64
    package var totalEvents: UInt64
    package var blocks: [BlockIndexEntry]
}

/// Carries an error thrown by the caller's closure through the reader's damage handling untouched.
@usableFromInline
enum CallbackError: Error { case wrapped(any Error) }
