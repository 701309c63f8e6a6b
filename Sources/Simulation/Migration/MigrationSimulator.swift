#if canImport(Glibc)
import Glibc
#endif
import TraceFormat
import Vocabulary

/// Simulates moving a running VM between hosts with one of six strategies, and measures what
/// QEMU's `query-migrate` reports: total time, downtime, pages and bytes sent, rounds.
package struct MigrationSimulator {
    package let config: MigrationConfig
    package let seed: UInt64

    package init(config: MigrationConfig, seed: UInt64) {
        self.config = config
        self.seed = seed
    }

    /// Why iterative pre-copy stopped.
    package enum StopReason: String, CaseIterable, Sendable {
        case clean = "nothing was dirtied during the round"
        case threshold = "dirty set below threshold"
        case sentBelowThreshold = "the round sent and skipped fewer pages than the threshold (Xen)"
        case downtimeLimit = "expected downtime within limit"
        case maxRounds = "maximum rounds"
        case maxFactor = "sent the maximum multiple of memory"
        case singleRound = "hybrid: one round, then post-copy"

        package var converged: Bool {
            switch self {
            case .clean, .threshold, .sentBelowThreshold, .downtimeLimit, .singleRound: true
            case .maxRounds, .maxFactor: false
            }
        }
        package var key: String {
            switch self {
            case .clean: "clean"
            case .sentBelowThreshold: "sent_below_threshold"
            case .threshold: "threshold"
            case .downtimeLimit: "downtime_limit"
            case .maxRounds: "max_rounds"
            case .maxFactor: "max_factor"
            case .singleRound: "single_round"
            }
        }
    }

    /// The figures of one migration.
    package struct Result: Sendable {
        package var totalTime: Double
        package var downtime: Double
        package var setupTime: Double
        package var pagesSent: UInt64
        package var bytesSent: Double
        package var rounds: Int
        package var roundPages: [Int]
        package var roundDirtied: [Int]
        /// Pages dirtied in both a round and the one before (0 for round 1).
        package var roundRedirtied: [Int]
        package var stopReason: StopReason?
        package var expectedDowntime: Double
        package var networkFaults: UInt64
        package var stallTime: Double
        package var pagesLost: Int
        package var remaining: Int
        package var finished: Bool
        package var skipped: UInt64
        package var appSlowdown: Double

        /// Pre-copy's stop rule says whether it converged; a migration without pre-copy rounds
        /// (post-copy, non-live, cold, suspend and resume) converged when it finished — post-copy
        /// cut off by its run length or a source failure did not.
        package var converged: Bool { stopReason?.converged ?? finished }
    }

    package func run(writer: TraceWriter?, progress: RunProgress = .silent) throws -> Result {
        var m = MigrationRun(config: config, seed: seed, writer: writer)
        let c = config
        // Internet Suspend/Resume: the destination holds an older image; only what changed since moves.
        let changed = c.strategy == .suspendResume ? changedPages() : nil
        // A sample where the run starts, so the counter lanes begin with it.
        try m.counters(remaining: changed?.count ?? c.pages)
        switch c.strategy {
        case .cold:
            // Powered off: everything is copied while nothing runs.
            try m.stage(.preMigration, seconds: c.setupSeconds)
            try m.stage(.reservation, seconds: c.reservationSeconds)
            var all = DirtyBitmap(pages: c.pages, set: true)
            try sendAll(&m, &all, why: .final, bandwidth: c.bandwidth, stage: .coldCopy, extra: 0)
            try copyDisk(&m)
            try m.stage(.activation, seconds: c.activationSeconds)
            m.totals.downtime = m.time
            try m.emit(MigrationEvents.downtime, UInt64((m.time * 1e9).rounded()))
            try m.emit(MigrationEvents.arp)
        case .nonLive, .suspendResume:
            try m.stage(.preMigration, seconds: c.setupSeconds)
            try m.stage(.reservation, seconds: c.reservationSeconds)
            m.totals.setupTime = m.time
            let suspended = m.time
            var set = changed ?? DirtyBitmap(pages: c.pages, set: true)
            try sendAll(&m, &set, why: .final, bandwidth: c.bandwidth, stage: .stopAndCopy, extra: c.stateBytes)
            if c.strategy == .nonLive { try copyDisk(&m) }
            try finishSwitchOver(&m, since: suspended)
        case .preCopy:
            try m.stage(.preMigration, seconds: c.setupSeconds)
            try m.stage(.reservation, seconds: c.reservationSeconds)
            m.totals.setupTime = m.time
            var pending = try iterate(&m, progress: progress, singleRound: false)
            let suspended = m.time
            try sendAll(&m, &pending, why: .final, bandwidth: c.bandwidth, stage: .stopAndCopy, extra: c.stateBytes)
            try finishSwitchOver(&m, since: suspended)
        case .postCopy, .hybrid:
            try m.stage(.preMigration, seconds: c.setupSeconds)
            try m.stage(.reservation, seconds: c.reservationSeconds)
            m.totals.setupTime = m.time
            var present = DirtyBitmap(pages: c.pages)
            if c.strategy == .hybrid {
                let stale = try iterate(&m, progress: progress, singleRound: true)
                present = DirtyBitmap(pages: c.pages, set: true)
                var p = 0
                while let s = stale.next(from: p) { present.remove(s); p = s + 1 }
            }
            let suspended = m.time
            var none = DirtyBitmap(pages: c.pages)
            try sendAll(&m, &none, why: .final, bandwidth: c.bandwidth, stage: .stopAndCopy, extra: c.stateBytes)
            try finishSwitchOver(&m, since: suspended)
            try postCopy(&m, present: &present, progress: progress)
        }
        try m.counters(remaining: m.totals.remaining)
        let t = m.totals
        let elapsed = max(m.time, 1e-12)
        // Guest time lost to the migration: slowed while it ran (tracking faults, throttling,
        // waiting for pages) plus paused (downtime) — a guest paused throughout (non-live, cold,
        // suspend-resume) lost all of it, not none.
        let lost = t.iterativeTime * c.trackingOverhead + t.throttledTime + t.stallTime + t.downtime
        return Result(totalTime: m.time, downtime: t.downtime, setupTime: t.setupTime, pagesSent: t.pagesSent, bytesSent: t.bytesSent,
                      rounds: t.rounds, roundPages: t.roundPages, roundDirtied: t.roundDirtied, roundRedirtied: t.roundRedirtied, stopReason: t.stopReason,
                      expectedDowntime: t.expectedDowntime, networkFaults: t.networkFaults, stallTime: t.stallTime,
                      pagesLost: t.pagesLost, remaining: t.remaining, finished: t.finished, skipped: t.skipped,
                      appSlowdown: min(1, lost / elapsed))
    }

    /// The pages that changed since the destination's image (suspend-resume): a fixed share,
    /// chosen by a hash of the page number.
    func changedPages() -> DirtyBitmap {
        var set = DirtyBitmap(pages: config.pages)
        let cut = UInt64(config.changedFraction * 1_000_000)
        for p in 0..<config.pages where mix(UInt64(p) ^ 0x5151) % 1_000_000 < cut { set.insert(p) }
        return set
    }

    // MARK: Pre-copy

    /// Iterative pre-copy: round 1 sends every page, each later round the pages dirtied during
    /// the one before, until a stop condition holds. Returns the pages still dirty.
    func iterate(_ m: inout MigrationRun, progress: RunProgress, singleRound: Bool) throws -> DirtyBitmap {
        let c = config
        let start = m.time
        m.tracking = true
        var pending = DirtyBitmap(pages: c.pages, set: true)
        var round = 1
        var lastAvg = 4_096.0
        // The previous round's dirty set: what stays dirty round after round is the writable working set.
        var previousDirty = DirtyBitmap(pages: c.pages)
        var highDirtyRounds = 0
        while true {
            let roundStart = m.time
            let bandwidth = c.adaptive ? min(c.bandwidth, c.adaptiveStart + c.adaptiveStep * Double(round - 1)) : c.bandwidth
            m.dirty.removeAll()
            let before = m.totals.pagesSent
            let skippedBefore = m.totals.skipped
            let (sent, bytes) = try sendRound(&m, &pending, bandwidth: bandwidth)
            if sent > 0 { lastAvg = bytes / Double(sent) }
            let dirtied = m.dirty.count
            m.totals.rounds = round
            m.totals.roundPages.append(sent)
            m.totals.roundDirtied.append(dirtied)
            if m.throttle > 0 { m.totals.throttledTime += (m.time - roundStart) * m.throttle }
            let redirtied = round == 1 ? 0 : m.dirty.intersectionCount(previousDirty)
            m.totals.roundRedirtied.append(redirtied)
            previousDirty = m.dirty
            try m.emit(MigrationEvents.round, UInt64(round), m.totals.pagesSent - before, UInt64(dirtied),
                   m.totals.skipped - skippedBefore, UInt64(redirtied), UInt64(((m.time - roundStart) * 1e9).rounded()))
            try m.emit(MigrationEvents.dirtySync, UInt64(round), UInt64(dirtied))
            // Where in memory the round's dirty pages are: a row of the page × round heat map.
            if m.writer != nil {
                let regions = MigrationEvents.mapRegions
                for r in 0..<regions {
                    let lo = c.pages * r / regions, hi = c.pages * (r + 1) / regions
                    try m.emit(MigrationEvents.dirtyMap, UInt64(round), UInt64(r), UInt64(m.dirty.count(in: lo..<hi)), UInt64(hi - lo))
                }
            }
            try m.counters(remaining: dirtied)
            progress.update(UInt64(min(round, c.maxRounds)), of: UInt64(c.maxRounds))
            m.totals.expectedDowntime = Double(dirtied) * lastAvg / c.bandwidth + c.stateBytes / c.bandwidth
            pending = m.dirty
            let skipped = Int(m.totals.skipped - skippedBefore)
            let reason = singleRound ? .singleRound
                : Self.stopReason(c, round: round, sent: sent, skipped: skipped, dirtied: dirtied,
                                  expectedDowntime: m.totals.expectedDowntime, totalSent: m.totals.pagesSent)
            if let reason {
                m.totals.stopReason = reason
                break
            }
            // Auto-converge (QEMU migration_trigger_throttle): when the guest dirtied more than half of
            // what the round sent (throttle-trigger-threshold 50 %) for the second time
            // (`++dirty_rate_high_cnt >= 2`), slow it down a step and count again from zero.
            if c.autoConverge, Double(dirtied) > 0.5 * Double(sent) {
                highDirtyRounds += 1
                if highDirtyRounds >= 2 {
                    highDirtyRounds = 0
                    m.throttle = m.throttle == 0 ? c.throttleInitial : min(c.throttleMax, m.throttle + c.throttleStep)
                    try m.emit(MigrationEvents.throttle, UInt64((m.throttle * 100).rounded()))
                }
            }
            round += 1
        }
        m.tracking = false
        m.totals.iterativeTime = m.time - start
        try m.emit(MigrationEvents.stage, UInt64(MigrationEvents.Stage.iterativePreCopy.rawValue), UInt64((m.totals.iterativeTime * 1e9).rounded()))
        return pending
    }

    /// Whether pre-copy stops after live round `round`, and why, under the scenario's rule set.
    static func stopReason(_ c: MigrationConfig, round: Int, sent: Int, skipped: Int, dirtied: Int,
                           expectedDowntime: Double, totalSent: UInt64) -> StopReason? {
        // Nothing left to send is the end under every rule set (an idle guest converges at once).
        if dirtied == 0 { return .clean }
        switch c.rules {
        case .textbook:
            if dirtied < c.thresholdPages { return .threshold }
            if expectedDowntime <= c.downtimeLimit { return .downtimeLimit }
            if round >= c.maxRounds { return .maxRounds }
            if Double(totalSent) >= c.maxFactor * Double(c.pages) { return .maxFactor }
        case .xen:
            // xc_domain_save: iter >= max_iters || sent_this_iter + skip_this_iter < 50 || total_sent > p2m_size * max_factor
            if sent + skipped < c.thresholdPages { return .sentBelowThreshold }
            if round >= c.maxRounds - 1 { return .maxRounds }
            if Double(totalSent) > c.maxFactor * Double(c.pages) { return .maxFactor }
        case .qemu:
            // migration_iteration_run: pending_size < threshold_size (bandwidth × downtime_limit) → complete.
            if Double(dirtied) * 4_096 < c.bandwidth * c.downtimeLimit { return .downtimeLimit }
            if round >= c.maxRounds { return .maxRounds }
        }
        return nil
    }

    /// One round: walk the pending set in page order, sending batches while the guest keeps writing.
    func sendRound(_ m: inout MigrationRun, _ pending: inout DirtyBitmap, bandwidth: Double) throws -> (Int, Double) {
        var cursor = 0
        var sent = 0
        var total = 0.0
        m.pendingAhead = pending.count
        m.dirtyAhead = m.dirty.intersectionCount(pending)
        while let first = pending.next(from: cursor) {
            // Still to move: this round's pages from here on, and every page dirtied since its sync.
            if m.counterDue {
                // Debug builds check the kept counts against a rescan on VMs up to 64 MiB (the
                // rescan is what keeping them avoids; on larger VMs it slowed the tests by minutes),
                // and on every VM that they reach zero at the round's end (below).
                assert(pending.pages > 1 << 14 || (m.pendingAhead == pending.count(in: first..<pending.pages)
                       && m.dirtyAhead == m.dirty.intersectionCount(pending, in: first..<pending.pages)), "the kept counts drifted")
                try m.counters(remaining: m.pendingAhead + m.dirty.count - m.dirtyAhead)
            }
            var p = first
            var pages = 0, nonZero = 0
            var bytes = 0.0
            while pages < config.batchPages {
                let b = m.wireBytes(p)
                bytes += b
                if b > 8 { nonZero += 1 }
                if m.dirty.contains(p) { m.dirtyAhead -= 1 }
                pages += 1
                guard let n = pending.next(from: p + 1) else { p += 1; break }
                p = n
            }
            // Batch sent up to (not including) p when the inner loop stopped on a page it did not take.
            let end = pages == config.batchPages ? p : p
            let dt = m.sendTime(bytes: bytes, nonZeroPages: nonZero, bandwidth: bandwidth)
            m.time += dt
            m.account(pages: pages, bytes: bytes)
            m.pendingAhead -= pages
            sent += pages
            total += bytes
            try m.emit(MigrationEvents.pageBatch, UInt64(pages), UInt64(bytes.rounded()), UInt64(MigrationEvents.Why.round.rawValue))
            cursor = end
            m.write(for: dt, pending: &pending, cursor: cursor)
        }
        assert(m.pendingAhead == 0 && m.dirtyAhead == 0, "the kept counts drifted: \(m.pendingAhead) pending, \(m.dirtyAhead) re-dirtied left")
        return (sent, total)
    }

    /// Sends a whole set with the guest stopped (plus `extra` bytes of CPU and device state).
    func sendAll(_ m: inout MigrationRun, _ set: inout DirtyBitmap, why: MigrationEvents.Why, bandwidth: Double,
                 stage: MigrationEvents.Stage, extra: Double) throws {
        let start = m.time
        var p = 0
        var pages = 0, nonZero = 0, taken = 0
        var bytes = 0.0
        func flush(_ m: inout MigrationRun) throws {
            guard pages > 0 else { return }
            let dt = m.sendTime(bytes: bytes, nonZeroPages: nonZero, bandwidth: bandwidth)
            m.time += dt
            m.account(pages: pages, bytes: bytes)
            try m.emit(MigrationEvents.pageBatch, UInt64(pages), UInt64(bytes.rounded()), UInt64(why.rawValue))
            pages = 0; nonZero = 0; bytes = 0
        }
        while let s = set.next(from: p) {
            // The guest is stopped: what is left is the set from here on (counted, not rescanned).
            if m.counterDue { try m.counters(remaining: set.count - taken) }
            let b = m.wireBytes(s)
            bytes += b
            if b > 8 { nonZero += 1 }
            pages += 1
            taken += 1
            if pages == config.batchPages { try flush(&m) }
            p = s + 1
        }
        try flush(&m)
        if extra > 0 {
            m.time += extra / bandwidth
            m.totals.bytesSent += extra
        }
        let d = m.time - start
        try m.emit(MigrationEvents.stage, UInt64(stage.rawValue), UInt64((d * 1e9).rounded()))
    }

    /// Commitment (one round trip) and activation at the destination; the downtime runs from `since`.
    func finishSwitchOver(_ m: inout MigrationRun, since suspended: Double) throws {
        try m.stage(.commitment, seconds: config.rtt)
        try m.stage(.activation, seconds: config.activationSeconds)
        try m.emit(MigrationEvents.arp)
        m.totals.downtime = m.time - suspended
        m.totals.switchOver = m.time
        try m.emit(MigrationEvents.downtime, UInt64((m.totals.downtime * 1e9).rounded()))
    }

    /// Copies a local disk at the link's rate after memory (nothing of memory is left to move).
    /// The counter lanes follow it as they follow a memory pass, with at most
    /// `countersPerPass` samples however large the disk is next to memory.
    func copyDisk(_ m: inout MigrationRun) throws {
        guard !config.diskShared, config.diskBytes > 0 else { return }
        let d = config.diskBytes / config.bandwidth
        let start = m.time, startBytes = m.totals.bytesSent
        if m.writer != nil {
            // In Double until capped: a huge disk over a slow link must not overflow an Int.
            let steps = Int(min(Double(MigrationEvents.countersPerPass), max(1, (d / m.counterInterval).rounded(.up))))
            for i in 1..<steps {
                m.time = start + d * Double(i) / Double(steps)
                m.totals.bytesSent = startBytes + config.diskBytes * Double(i) / Double(steps)
                try m.counters(remaining: 0)
            }
        }
        // The end exactly as without a trace, so traced and untraced runs agree to the bit.
        m.time = start + d
        m.totals.bytesSent = startBytes + config.diskBytes
        try m.emit(MigrationEvents.stage, UInt64(MigrationEvents.Stage.diskCopy.rawValue), UInt64((d * 1e9).rounded()))
    }

    // MARK: Post-copy

    /// The VM runs at the destination; a page it touches that is not there yet is a network fault
    /// (the vCPU stalls a round trip plus the transfer); the source pushes the rest meanwhile,
    /// the neighbours of the latest fault first with prepaging. Every page moves exactly once.
    func postCopy(_ m: inout MigrationRun, present: inout DirtyBitmap, progress: RunProgress) throws {
        let c = config
        let start = m.time
        var remaining = c.pages - present.count
        try m.counters(remaining: remaining)
        let avgBytes = c.compression ? 4_096 * (c.textFraction * c.textRatio + (1 - c.zeroFraction - c.textFraction) * c.binaryRatio) + 8 * c.zeroFraction : 4_096
        let pushRate = c.bandwidth / max(avgBytes, 1)
        let interval = 1 / c.readRate
        var pushCarry = 0.0
        var pushCursor = 0
        var prepage: [Int] = []
        var prepageHead = 0
        var position = 0
        var runLeft = 0
        var batch = (pages: 0, bytes: 0.0, why: MigrationEvents.Why.push)
        func flushBatch(_ m: inout MigrationRun) throws {
            guard batch.pages > 0 else { return }
            try m.emit(MigrationEvents.pageBatch, UInt64(batch.pages), UInt64(batch.bytes.rounded()), UInt64(batch.why.rawValue))
            batch.pages = 0
            batch.bytes = 0
        }
        func send(_ m: inout MigrationRun, _ page: Int, why: MigrationEvents.Why) throws {
            if batch.why != why || batch.pages >= c.batchPages { try flushBatch(&m) }
            batch.why = why
            let b = m.wireBytes(page)
            batch.pages += 1
            batch.bytes += b
            m.account(pages: 1, bytes: b)
        }
        /// The source pushes for `seconds` of link time: prepage candidates first, then the linear sweep.
        func push(_ m: inout MigrationRun, for seconds: Double) throws {
            guard c.push == .linear || c.prepaging else { return }
            pushCarry += seconds * pushRate
            while pushCarry >= 1, remaining > 0 {
                var page: Int?
                var why = MigrationEvents.Why.push
                while prepageHead < prepage.count {
                    let p = prepage[prepageHead]
                    prepageHead += 1
                    if !present.contains(p) { page = p; why = .prepage; break }
                }
                if prepageHead == prepage.count, prepageHead > 0 { prepage.removeAll(keepingCapacity: true); prepageHead = 0 }
                if page == nil, c.push == .linear {
                    while pushCursor < c.pages, present.contains(pushCursor) { pushCursor += 1 }
                    if pushCursor < c.pages { page = pushCursor }
                }
                guard let p = page else { pushCarry = 0; return }
                present.insert(p)
                remaining -= 1
                try send(&m, p, why: why)
                pushCarry -= 1
            }
        }
        let hot = min(c.hotPages, c.pages)
        while remaining > 0 {
            if let fail = c.failureAt, m.time - start >= fail {
                try flushBatch(&m)
                m.totals.pagesLost = remaining
                m.totals.finished = false
                try m.emit(MigrationEvents.sourceFailure, UInt64(remaining))
                break
            }
            if m.time - start >= c.maxSeconds {
                m.totals.finished = false
                break
            }
            try push(&m, for: interval)
            m.time += interval
            // The guest's next access: runs of sequential pages, mostly in its working set.
            if runLeft == 0 {
                if c.writer == .hotset, m.reads.unit() < c.hotShare {
                    position = (m.hotBase + Int(m.reads.below(UInt64(hot)))) % c.pages
                } else {
                    position = Int(m.reads.below(UInt64(c.pages)))
                }
                runLeft = max(1, Int((-log(max(m.reads.unit(), 1e-12)) * c.readRun).rounded()))
            } else {
                position = (position + 1) % c.pages
            }
            runLeft -= 1
            if !present.contains(position) {
                // The vCPU stalls a round trip plus the page's transfer; the link keeps pushing
                // other pages while the request is in flight.
                let transfer = m.wireBytes(position) / c.bandwidth
                let stall = c.rtt + transfer
                present.insert(position)
                remaining -= 1
                try send(&m, position, why: .demand)
                if c.prepaging {
                    // "Bubbling": spread out from the fault, alternately forward and backward.
                    for d in 1...max(1, c.prepageWindow / 2) {
                        if position + d < c.pages { prepage.append(position + d) }
                        if position - d >= 0 { prepage.append(position - d) }
                    }
                }
                try push(&m, for: c.rtt)
                m.time += stall
                m.totals.stallTime += stall
                m.totals.networkFaults &+= 1
                try m.emit(MigrationEvents.networkFault, UInt64(position), UInt64((stall * 1e9).rounded()))
            }
            if m.time >= m.nextCounter {
                try flushBatch(&m)
                try m.counters(remaining: remaining)
                progress.update(UInt64(c.pages - remaining), of: UInt64(c.pages))
            }
        }
        try flushBatch(&m)
        m.totals.remaining = remaining
        try m.emit(MigrationEvents.stage, UInt64(MigrationEvents.Stage.postCopy.rawValue), UInt64(((m.time - start) * 1e9).rounded()))
    }
}

extension MigrationSimulator {
    /// The results summary, named after QEMU's `query-migrate` fields where one exists.
    package func metrics(_ r: Result) -> [Metric] {
        var out: [Metric] = [
            Metric(.totalTimeMs, r.totalTime * 1_000),
            Metric(.downtimeMs, r.downtime * 1_000),
            Metric(.setupTimeMs, r.setupTime * 1_000),
            Metric(.transferredBytes, r.bytesSent),
            Metric(.pagesSent, Double(r.pagesSent)),
            Metric(.memoryPages, Double(config.pages)),
            Metric(.remainingPages, Double(r.remaining)),
            Metric(.dirtyPagesRate, config.dirtyRate),
            Metric(.dirtySyncCount, Double(r.rounds)),
            Metric(.rounds, Double(r.rounds)),
            Metric(.expectedDowntimeMs, r.expectedDowntime * 1_000),
            Metric(.postcopyRequests, Double(r.networkFaults)),
            Metric(.networkFaultStallMs, r.stallTime * 1_000),
            Metric(.pagesSkipped, Double(r.skipped)),
            Metric(.appSlowdown, r.appSlowdown),
            Metric(.converged, r.converged ? 1 : 0),
            Metric(.finished, r.finished ? 1 : 0),
            Metric(.pagesLost, Double(r.pagesLost)),
            Metric(.bandwidthMbps, config.bandwidth / 125_000),
        ]
        // Every stop rule's flag, 1 for the one that ended pre-copy (all 0 when none did): the
        // set of metrics is the same for every run, so a lesson can name any of them.
        for reason in StopReason.allCases { out.append(Metric(.stop, reason.key, r.stopReason == reason ? 1 : 0)) }
        for (i, pages) in r.roundPages.enumerated().prefix(60) {
            out.append(Metric(.roundPages, String(i + 1), Double(pages)))
            out.append(Metric(.roundDirtied, String(i + 1), Double(r.roundDirtied[i])))
        }
        return out
    }
}
