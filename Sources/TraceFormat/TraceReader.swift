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
package final class TraceReader {
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

    let file: PosixFile
    let codec: EventCodec
    let window: ReadWindow
    let scratch: UnsafeMutablePointer<UInt64>

    /// Opens a trace and validates its header and footer.
    /// - Throws: `TraceError` for a missing file, a non-trace, a newer version, or (strict mode) a damaged header or footer.
    package init(path: String, mode: ReadMode = .strict) throws {
        self.path = path
        self.mode = mode
        file = try PosixFile(path: path, writing: false)
        fileSize = try file.size
        window = ReadWindow(file: file)
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
        guard p.version == TraceLayout.formatVersion else {
            throw TraceError.unsupportedVersion(found: p.version, supported: TraceLayout.formatVersion)
        }
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

    deinit { scratch.deallocate() }

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
    @discardableResult
    package func scan(range: ClosedRange<UInt64>? = nil, _ body: (RawEvent) throws -> Void) throws -> ScanReport {
        var report = ScanReport(hasFooter: footer != nil)
        var offset = dataStart
        var end = fileSize
        if let f = footer {
            end = f.summaryOffset != 0 ? f.summaryOffset : f.indexOffset
            if let r = range {
                // Binary search for the first block that ends at or after the range start.
                var lo = 0, hi = f.blocks.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if f.blocks[mid].lastTime < r.lowerBound { lo = mid + 1 } else { hi = mid }
                }
                offset = lo < f.blocks.count ? f.blocks[lo].offset : end
            }
        }
        var recovered = Set<UInt64>()
        while offset < end {
            do {
                guard let tagPtr = try window.bytes(at: offset, count: 4, limit: end) else {
                    throw TraceError.truncated(what: "section", offset: offset)
                }
                let tag = loadLE(tagPtr, 0, as: UInt32.self)
                if tag == TraceLayout.blockTag {
                    let step = try readBlock(at: offset, end: end, range: range, report: &report, body)
                    if footer != nil { recovered.insert(offset) }
                    if step.pastRange { break }
                    offset += step.size
                } else if footer == nil, tag == TraceLayout.summaryTag {
                    let (metrics, size) = try readSummarySection(at: offset, end: end)
                    summary = metrics
                    offset += size
                } else if footer == nil, tag == TraceLayout.indexTag {
                    try checkUnclosedIndex(at: offset)
                    break
                } else {
                    throw TraceError.malformed(what: "expected a block sync marker", offset: offset)
                }
            } catch let error as TraceError {
                guard mode == .salvage else { throw error }
                let next = try resync(after: offset, end: end)
                report.damage.append(Damage(offset: offset, length: next - offset, error: error))
                if footer == nil { report.blocksLost += 1 }
                offset = next
            } catch let CallbackError.wrapped(error) {
                throw error
            }
        }
        if let f = footer, mode == .salvage, range == nil {
            for b in f.blocks where !recovered.contains(b.offset) {
                report.blocksLost += 1
                report.eventsLost += UInt64(b.eventCount)
            }
            report.eventsLostKnown = true
        } else {
            report.eventsLostKnown = report.damage.isEmpty
        }
        return report
    }

    /// All events, owned (for small traces and tests).
    package func events() throws -> [Event] {
        var out: [Event] = []
        try scan { out.append($0.owned) }
        return out
    }

    struct BlockStep { var size: UInt64; var pastRange: Bool }
}

/// What a scan read and lost.
package struct ScanReport: Equatable, Sendable {
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
enum CallbackError: Error { case wrapped(any Error) }
