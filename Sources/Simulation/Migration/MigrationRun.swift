import TraceFormat

/// The state of one migration as it runs: simulated time in seconds, the dirty log, what has
/// been sent, and the trace it writes.
struct MigrationRun {
    let c: MigrationConfig
    let writer: TraceWriter?
    var time: Double = 0
    var lastStamp: UInt64 = 0
    var writes: SplitMix64
    var reads: SplitMix64
    var totals = MigrationTotals()
    /// Pages written since the last dirty-log sync.
    var dirty: DirtyBitmap
    var writeCarry = 0.0
    var cycleCursor = 0
    let cycleStride: Int
    var throttle = 0.0
    var tracking = false
    /// Simulated seconds between two counter samples: a hundredth of one pass over memory at the
    /// link's rate, so a counter lane has about 100 points per pass whatever the VM or link —
    /// a smooth line at any figure width, each point a hover target and a row of its data table.
    let counterInterval: Double
    var nextCounter = 0.0
    /// During a pre-copy round, kept as pages move (a sample must not rescan the bitmaps): the
    /// round's pages not yet sent, and how many of them the guest has dirtied again since the
    /// round's sync (counted once in what is still to move).
    var pendingAhead = 0
    var dirtyAhead = 0

    init(config: MigrationConfig, seed: UInt64, writer: TraceWriter?) {
        c = config
        self.writer = writer
        writes = SplitMix64.derived(seed: seed, stream: 4)
        reads = SplitMix64.derived(seed: seed, stream: 5)
        dirty = DirtyBitmap(pages: config.pages)
        // A stride coprime with the page count visits every page once per cycle.
        var s = max(1, Int(Double(config.pages) * 0.618_033_988_7)) | 1
        while gcd(s, config.pages) != 1 { s += 2 }
        cycleStride = s % max(config.pages, 1)
        counterInterval = max(Double(config.pages) * 4_096 / config.bandwidth / Double(MigrationEvents.countersPerPass), 1e-6)
    }

    // MARK: Time and events

    var now: UInt64 {
        mutating get {
            let t = UInt64((time * 1e9).rounded(.down))
            lastStamp = max(lastStamp, t)
            return lastStamp
        }
    }

    mutating func emit(_ kind: UInt16, _ fields: UInt64...) throws {
        guard let w = writer else { return }
        let t = now
        try fields.withUnsafeBufferPointer { try w.append(kind, at: t, $0) }
    }

    /// Runs a stage of `seconds` and records it.
    mutating func stage(_ s: MigrationEvents.Stage, seconds: Double) throws {
        time += seconds
        try emit(MigrationEvents.stage, UInt64(s.rawValue), UInt64((seconds * 1e9).rounded()))
    }

    /// A counter sample now: `remaining` pages whose latest contents are not yet at the destination.
    mutating func counters(remaining: Int) throws {
        try emit(MigrationEvents.counters, UInt64(remaining), totals.pagesSent, UInt64(totals.bytesSent), totals.pagesDirtied)
        nextCounter = time + counterInterval
    }

    /// Whether `counterInterval` has passed since the last counter sample (and a trace is being
    /// written): the lanes then follow a transfer as it goes, not only its rounds' ends.
    var counterDue: Bool { writer != nil && time >= nextCounter }

    // MARK: Pages and the network

    /// Bytes a page takes on the wire: 4 KiB, or with compression a small header for a zero page
    /// and a class-dependent share for the others (classes drawn per page from a fixed hash).
    @inline(__always)
    func wireBytes(_ page: Int) -> Double {
        guard c.compression else { return 4_096 }
        let h = Double(mix(UInt64(page)) % 1_000_000) / 1_000_000
        if h < c.zeroFraction { return 8 }
        return h < c.zeroFraction + c.textFraction ? 4_096 * c.textRatio : 4_096 * c.binaryRatio
    }

    /// Seconds to send `pages` pages of `bytes` at `bandwidth`: the link or, with compression, the
    /// compressor (zero pages excepted), whichever is slower.
    func sendTime(bytes: Double, nonZeroPages: Int, bandwidth: Double) -> Double {
        let link = bytes / bandwidth
        guard c.compression else { return link }
        return max(link, Double(nonZeroPages) * 4_096 / c.compressRate)
    }

    /// Sends a set of pages now (or as part of a batch), counting them.
    mutating func account(pages: Int, bytes: Double) {
        totals.pagesSent &+= UInt64(pages)
        totals.bytesSent += bytes
    }

    // MARK: The guest's writes

    /// The guest dirties pages for `seconds`: each written page joins the dirty log; a page still
    /// waiting in `pending` beyond `cursor` is dropped from this round when skipping is on.
    mutating func write(for seconds: Double, pending: inout DirtyBitmap, cursor: Int) {
        var rate = currentDirtyRate * (1 - throttle)
        if tracking { rate *= 1 - c.trackingOverhead }
        writeCarry += rate * seconds
        let n = Int(writeCarry)
        writeCarry -= Double(n)
        guard n > 0, c.pages > 0 else { return }
        for _ in 0..<n {
            let p = nextWrite()
            totals.writes &+= 1
            let fresh = dirty.insert(p)
            if fresh { totals.pagesDirtied &+= 1 }
            if c.skipRedirtied {
                if p >= cursor, pending.remove(p) { totals.skipped &+= 1; pendingAhead -= 1 }
            } else if fresh, p >= cursor, pending.contains(p) {
                dirtyAhead += 1
            }
        }
    }

    /// The writer's rate now: steady, or alternating between two phases.
    var currentDirtyRate: Double {
        guard c.phaseSeconds > 0 else { return c.dirtyRate }
        return Int(time / c.phaseSeconds) % 2 == 0 ? c.dirtyRate : c.phaseRate
    }

    @inline(__always)
    mutating func nextWrite() -> Int {
        switch c.writer {
        case .deterministic:
            let p = cycleCursor
            cycleCursor = (cycleCursor + cycleStride) % c.pages
            return p
        case .uniform:
            return Int(writes.below(UInt64(c.pages)))
        case .hotset:
            let hot = min(c.hotPages, c.pages)
            if hot >= c.pages || writes.unit() < c.hotShare { return (hotBase + Int(writes.below(UInt64(hot)))) % c.pages }
            return (hotBase + hot + Int(writes.below(UInt64(c.pages - hot)))) % c.pages
        }
    }

    /// Where the hot working set starts: a third of the way into memory, not at page 0, so a
    /// linear push does not happen to deliver it first.
    var hotBase: Int { c.pages / 3 }
}

/// Running totals of a migration.
struct MigrationTotals {
    var pagesSent: UInt64 = 0
    var bytesSent = 0.0
    var pagesDirtied: UInt64 = 0
    var writes: UInt64 = 0
    var skipped: UInt64 = 0
    var rounds = 0
    var roundPages: [Int] = []
    var roundDirtied: [Int] = []
    var roundRedirtied: [Int] = []
    var stopReason: MigrationSimulator.StopReason?
    var downtime = 0.0
    var setupTime = 0.0
    var expectedDowntime = 0.0
    var iterativeTime = 0.0
    var networkFaults: UInt64 = 0
    var stallTime = 0.0
    var throttledTime = 0.0
    var pagesLost = 0
    var remaining = 0
    var finished = true
    var switchOver = 0.0
}

@inline(__always)
func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
