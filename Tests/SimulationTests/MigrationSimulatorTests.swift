import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

struct MigrationTheoryTests {
    static func run(_ overrides: [String: ScenarioValue], seed: UInt64 = 1) throws -> (MigrationSimulator.Result, MigrationConfig) {
        let s = try Preset(name: "t", topic: .migration, summary: "t", seed: seed, overrides: overrides).scenario()
        let c = MigrationConfig(s)
        return (try MigrationSimulator(config: c, seed: seed).run(writer: nil), c)
    }

    /// The textbook pre-copy setting: a deterministic writer at D pages/s, bandwidth R, no skipping, no overheads.
    static let textbook: [String: ScenarioValue] = [
        "migration.workload.writer": .text("deterministic"), "migration.workload.dirty_rate": .real(5_000),
        "migration.precopy.skip_redirtied": .text("no"), "migration.precopy.tracking_overhead": .real(0),
        "migration.precopy.downtime_limit_ms": .real(0),
    ]

    @Test(arguments: [5_000.0, 12_000.0])
    func preCopyRoundsFollowTheGeometricSeries(dirtyRate: Double) throws {
        var o = Self.textbook
        o["migration.workload.dirty_rate"] = .real(dirtyRate)
        let (r, c) = try Self.run(o)
        let V = Double(c.pages), R = c.bandwidth / 4_096, lambda = dirtyRate / R
        expectEqual(r.stopReason, .threshold)
        expectAtLeast(r.rounds, 3)
        for (i, sent) in r.roundPages.enumerated() {
            let expected = V * pow(lambda, Double(i))
            expectAtMost(abs(Double(sent) - expected), max(0.01 * expected, 1), "round \(i + 1): \(sent) vs \(expected)")
        }
        let n = Double(r.rounds)
        let total = V * (1 - pow(lambda, n + 1)) / (1 - lambda)
        expectAtMost(abs(Double(r.pagesSent) - total), 0.01 * total)
        let downtime = V * pow(lambda, n) / R + c.stateBytes / c.bandwidth + c.rtt + c.activationSeconds
        expectAtMost(abs(r.downtime - downtime), 0.01 * downtime, "\(r.downtime) vs \(downtime)")
        #expect(r.converged)
    }

    /// The same series away from the presets: the smallest and the largest memory the key table
    /// allows, λ from 0.2 to 0.99, threshold 0. Every round follows V·λ^(i−1), and the run stops
    /// where the textbook rules applied to the series itself say it must, for the reason they give.
    @Test(arguments: [(1, 0.3, 1_000.0, 50), (1, 0.5, 100.0, 0), (64, 0.2, 10_000.0, 0), (2_048, 0.9, 1_000.0, 50),
                      (2_048, 0.95, 1_000.0, 50), (512, 0.99, 10_000.0, 50), (65_536, 0.5, 100_000.0, 1_000)])
    func preCopyFollowsTheSeriesAwayFromThePresets(memoryMiB: Int, lambda: Double, mbps: Double, threshold: Int) throws {
        var o = Self.textbook
        let R = mbps * 1e6 / 8 / 4_096
        o["migration.vm.memory_mib"] = .integer(Int64(memoryMiB))
        o["migration.network.bandwidth_mbps"] = .real(mbps)
        o["migration.workload.dirty_rate"] = .real(lambda * R)
        o["migration.precopy.threshold_pages"] = .integer(Int64(threshold))
        o["migration.workload.hot_pages"] = .integer(16) // the default hot set is larger than a 1 MiB VM
        let (r, c) = try Self.run(o)
        let V = Double(c.pages)
        // The rules on the series: after round i, V·λ^i pages are dirty and V·Σλ^k have been sent.
        var expectedRounds = 0, expectedReason = MigrationSimulator.StopReason.maxRounds, sent = 0.0
        for i in 1...c.maxRounds {
            sent += V * pow(lambda, Double(i - 1))
            let dirty = V * pow(lambda, Double(i))
            expectedRounds = i
            // Under a page: the writer's carried fraction decides whether one more page is dirty.
            if dirty < 1 { expectedReason = .clean; break }
            if dirty < Double(c.thresholdPages) { expectedReason = .threshold; break }
            if i >= c.maxRounds { expectedReason = .maxRounds; break }
            if sent >= c.maxFactor * V { expectedReason = .maxFactor; break }
        }
        expectEqual(r.stopReason, expectedReason, "stopped for \(r.stopReason) after \(r.rounds) rounds")
        #expect(r.rounds == expectedRounds || (expectedReason == .clean && r.rounds == expectedRounds + 1), "\(r.rounds) rounds, \(expectedRounds) expected")
        expectEqual(r.converged, expectedReason.converged)
        for (i, pages) in r.roundPages.enumerated() {
            let expected = V * pow(lambda, Double(i))
            expectAtMost(abs(Double(pages) - expected), max(0.01 * expected, 1), "round \(i + 1): \(pages) vs \(expected)")
        }
    }

    @Test func downtimeLimitStopsEarlierWithItsReason() throws {
        var o = Self.textbook
        o["migration.precopy.downtime_limit_ms"] = .real(300)
        let (r, c) = try Self.run(o)
        expectEqual(r.stopReason, .downtimeLimit)
        expectAtMost(r.expectedDowntime, 0.3)
        expectLess(r.downtime, 0.3 + c.rtt + c.activationSeconds + 0.01)
    }

    @Test func preCopyDoesNotConvergeWhenDirtyingOutpacesTheLink() throws {
        var o = Self.textbook
        o["migration.workload.dirty_rate"] = .real(40_000) // R ≈ 30,518 pages/s at 1 Gbit/s
        let (r, c) = try Self.run(o)
        #expect(!r.converged)
        #expect(r.stopReason == .maxFactor || r.stopReason == .maxRounds)
        let lastDirty = Double(r.roundDirtied.last!)
        expectGreater(lastDirty, 0.9 * Double(c.pages))
        expectAtLeast(r.downtime, lastDirty * 4_096 / c.bandwidth)
        o["migration.precopy.max_factor"] = .real(100)
        let capped = try Self.run(o).0
        expectEqual(capped.stopReason, .maxRounds)
        expectEqual(capped.rounds, 30)
    }

    @Test func postCopySendsEveryPageOnceAndItsDowntimeIgnoresTheDirtyRate() throws {
        let slow = try Self.run(["migration.strategy": .text("post-copy"), "migration.workload.dirty_rate": .real(50)])
        let fast = try Self.run(["migration.strategy": .text("post-copy"), "migration.workload.dirty_rate": .real(40_000)])
        let c = slow.1
        expectEqual(slow.0.pagesSent, UInt64(c.pages))
        expectEqual(fast.0.pagesSent, UInt64(c.pages))
        expectEqual(slow.0.bytesSent, Double(c.pages) * 4_096 + c.stateBytes)
        expectEqual(slow.0.downtime, fast.0.downtime)
        #expect(slow.0.finished)
        #expect(slow.0.converged)
    }

    /// Without pre-copy rounds there is no stop rule: a migration converged when it finished.
    /// Demand paging cut off by its run length leaves pages on the source and has not.
    @Test func postCopyCutOffByItsRunLengthHasNotConverged() throws {
        let cut = try Self.run(["migration.strategy": .text("post-copy"), "migration.postcopy.push": .text("none"),
                                "migration.postcopy.max_seconds": .real(5)]).0
        #expect(!cut.finished)
        expectGreater(cut.remaining, 0)
        #expect(!cut.converged)
        expectEqual(cut.stopReason, nil)
    }

    @Test func prepagingReducesNetworkFaults() throws {
        let push = try Self.run(["migration.strategy": .text("post-copy")]).0
        let prepage = try Self.run(["migration.strategy": .text("post-copy"), "migration.postcopy.prepaging": .text("yes")]).0
        expectLess(prepage.networkFaults * 2, push.networkFaults)
        expectLess(prepage.stallTime, push.stallTime)
    }

    @Test func nonLiveDowntimeIsTheWholeTransferAndPreCopyAFractionOfIt() throws {
        let (nonLive, c) = try Self.run(["migration.strategy": .text("non-live")])
        expectLess(abs(nonLive.downtime - (nonLive.totalTime - c.setupSeconds - c.reservationSeconds)), 1e-9)
        let pre = try Self.run(["migration.workload.dirty_rate": .real(500)]).0
        expectLess(pre.downtime, 0.05 * nonLive.downtime)
        let cold = try Self.run(["migration.strategy": .text("cold"), "migration.vm.disk_shared": .text("no")]).0
        expectEqual(cold.downtime, cold.totalTime)
        expectGreater(cold.totalTime, nonLive.totalTime)
    }

    @Test func compressionSendsFewerBytesInLessTime() throws {
        let plain = try Self.run([:]).0
        let packed = try Self.run(["migration.compression.enabled": .text("yes")]).0
        expectLess(packed.bytesSent, 0.7 * plain.bytesSent)
        expectLess(packed.totalTime, plain.totalTime)
    }

    @Test func sourceFailureDuringPostCopyLosesTheVM() throws {
        let r = try Self.run(["migration.strategy": .text("post-copy"), "migration.postcopy.source_failure_ms": .real(1_000)]).0
        #expect(!r.finished)
        #expect(!r.converged)
        expectGreater(r.pagesLost, 0)
        expectEqual(Int(r.pagesSent) + r.pagesLost, 524_288)
    }

    @Test func suspendResumeMovesOnlyWhatChanged() throws {
        let (r, c) = try Self.run(["migration.strategy": .text("suspend-resume")])
        let share = Double(r.pagesSent) / Double(c.pages)
        expectLess(abs(share - c.changedFraction), 0.01)
    }

    @Test func autoConvergeThrottlesAWriteHeavyGuestIntoConverging() throws {
        let base: [String: ScenarioValue] = ["migration.workload.dirty_rate": .real(40_000), "migration.workload.writer": .text("uniform")]
        let without = try Self.run(base).0
        var o = base
        o["migration.precopy.auto_converge"] = .text("yes")
        let with = try Self.run(o).0
        #expect(!without.converged)
        #expect(with.converged)
        expectLess(with.downtime, without.downtime)
        expectGreater(with.appSlowdown, 0)
    }

    @Test func adaptiveBandwidthStartsLow() throws {
        let fixed = try Self.run([:]).0
        let adaptive = try Self.run(["migration.network.adaptive": .text("yes")]).0
        expectGreater(adaptive.totalTime, fixed.totalTime)
    }

    @Test func hybridSendsMemoryOncePlusWhatWasDirtied() throws {
        let (r, c) = try Self.run(["migration.strategy": .text("hybrid")])
        expectEqual(r.rounds, 1)
        expectGreater(r.pagesSent, UInt64(c.pages))
        expectLess(r.pagesSent, UInt64(c.pages) + UInt64(c.hotPages) * 2)
        #expect(r.finished)
    }

    @Test func traceRecordsRoundsBatchesAndDowntime() throws {
        let s = try Preset(name: "t", topic: .migration, summary: "t", seed: 2, overrides: [:]).scenario()
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-mig-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: try Runner.header(for: s))
        let metrics = try Runner.run(s, writer: w)
        try w.close(summary: metrics)
        var rounds = 0, pages: UInt64 = 0, downtimes = 0
        try TraceReader(path: path).scan { e in
            switch e.kind {
            case MigrationEvents.round: rounds += 1
            case MigrationEvents.pageBatch: pages += e.fields[0]
            case MigrationEvents.downtime: downtimes += 1
            default: break
            }
        }
        expectEqual(Double(rounds), metrics.first { $0.name == "rounds" }?.value)
        expectEqual(Double(pages), metrics.first { $0.name == "pages_sent" }?.value)
        expectEqual(downtimes, 1)
    }
}

struct MigrationPhaseTests {
    @Test func aQuietPhaseLetsPreCopyCatchUp() throws {
        let steady = try MigrationTheoryTests.run(["migration.workload.dirty_rate": .real(40_000), "migration.workload.writer": .text("uniform")]).0
        let phased = try MigrationTheoryTests.run(["migration.workload.dirty_rate": .real(40_000), "migration.workload.writer": .text("uniform"),
                                                   "migration.workload.phase_seconds": .real(5), "migration.workload.phase_rate": .real(100)]).0
        #expect(!steady.converged)
        #expect(phased.converged)
    }
}

struct WritableWorkingSetTests {
    @Test func consecutiveRoundsOverlapInTheHotSet() throws {
        let r = try MigrationTheoryTests.run(["migration.precopy.downtime_limit_ms": .real(0), "migration.precopy.max_rounds": .integer(4),
                                              "migration.precopy.threshold_pages": .integer(0)]).0
        expectEqual(r.roundRedirtied.first, 0)
        // With 90 % of writes in a 16,384-page hot set, later rounds keep re-dirtying it.
        for i in 2..<r.rounds {
            expectGreater(r.roundRedirtied[i], 0)
            expectAtMost(r.roundRedirtied[i], min(r.roundDirtied[i], r.roundDirtied[i - 1]))
        }
    }
}

/// Each rule set exactly as its source states it, at parameter points the presets do not use.
struct PrecopyRuleTests {
    typealias T = MigrationTheoryTests

    @Test(arguments: PrecopyRules.allCases)
    func anIdleGuestConvergesAfterOneRound(_ rules: PrecopyRules) throws {
        var o = T.textbook
        o["migration.precopy.rules"] = .text(rules.rawValue)
        o["migration.workload.dirty_rate"] = .real(0)
        o["migration.precopy.threshold_pages"] = .integer(0)
        o["migration.precopy.downtime_limit_ms"] = .real(0)
        let (r, _) = try T.run(o)
        expectEqual(r.rounds, 1)
        expectEqual(r.stopReason, .clean)
        #expect(r.converged)
    }

    @Test(arguments: [(30, 1.0), (12, 1.0), (5, 10.0)])
    func xenRunsAtMostMaxRoundsMinusOneLiveRounds(_ maxRounds: Int, _ gbps: Double) throws {
        var o = T.textbook
        o["migration.precopy.rules"] = .text("xen")
        o["migration.workload.dirty_rate"] = .real(2_000_000) // far beyond any link: never converges
        o["migration.precopy.max_rounds"] = .integer(Int64(maxRounds))
        o["migration.precopy.max_factor"] = .real(100)
        o["migration.network.bandwidth_mbps"] = .real(gbps * 1_000)
        let (r, _) = try T.run(o)
        expectEqual(r.rounds, maxRounds - 1, "live rounds \(r.rounds) + the final suspended one = \(maxRounds)")
        expectEqual(r.stopReason, .maxRounds)
        #expect(!r.converged)
    }

    @Test(arguments: [5_000.0, 12_000.0, 20_000.0])
    func xenStopsOnTheRoundJustSentNotOnWhatItDirtied(_ dirtyRate: Double) throws {
        var o = T.textbook
        o["migration.precopy.rules"] = .text("xen")
        o["migration.workload.dirty_rate"] = .real(dirtyRate)
        let (r, c) = try T.run(o)
        expectEqual(r.stopReason, .sentBelowThreshold)
        // The last live round sent fewer than 50 pages; the one before did not (no skipping here).
        let last = r.roundPages.last!, before = r.roundPages.dropLast().last!
        expectLess(last, c.thresholdPages)
        expectAtLeast(before, c.thresholdPages)
    }

    @Test(arguments: [0, 8_192, 32_768])
    func qemuLeavesDeviceStateOutOfPending(_ stateKiB: Int64) throws {
        var o = T.textbook
        o["migration.precopy.rules"] = .text("qemu")
        o["migration.precopy.downtime_limit_ms"] = .real(300)
        o["migration.vm.state_kib"] = .integer(stateKiB)
        let (r, c) = try T.run(o)
        expectEqual(r.stopReason, .downtimeLimit)
        // Pending RAM of the last round is within bandwidth × limit; the round before was not.
        expectLess(Double(r.roundDirtied.last!) * 4_096, c.bandwidth * 0.3)
        if r.roundDirtied.count > 1 { expectAtLeast(Double(r.roundDirtied.dropLast().last!) * 4_096, c.bandwidth * 0.3) }
        let without = try T.run(o.merging(["migration.vm.state_kib": .integer(0)]) { $1 }).0
        expectEqual(r.rounds, without.rounds, "device state changed QEMU's round count")
    }
}

/// A guest paused for the whole migration lost all of it (it used to read 0).
struct GuestSlowdownTests {
    @Test(arguments: ["non-live", "cold", "suspend-resume"])
    func aPausedGuestLosesItsWholeMigration(_ strategy: String) throws {
        let (r, _) = try MigrationTheoryTests.run(["migration.strategy": .text(strategy)])
        expectGreater(r.appSlowdown, 0.9, "\(strategy): \(r.appSlowdown)")
    }

    @Test func preCopyLosesLittle() throws {
        let r = try MigrationTheoryTests.run(["migration.strategy": .text("pre-copy")]).0
        expectGreater(r.appSlowdown, 0, "\(r.appSlowdown)")
        expectLess(r.appSlowdown, 0.2, "\(r.appSlowdown)")
    }
}

/// QEMU steps the throttle only when a round's dirtying was too high for the second time.
struct AutoConvergeTests {
    @Test(arguments: [40_000.0, 80_000.0])
    func theThrottleStepsEverySecondHighRound(_ rate: Double) throws {
        let s = try Preset(name: "t", topic: .migration, summary: "t", seed: 3, overrides: [
            "migration.workload.dirty_rate": .real(rate), "migration.workload.writer": .text("uniform"),
            "migration.precopy.auto_converge": .text("yes")]).scenario()
        var round = 0
        var throttledAfter: [Int] = []
        let converged = try withTracedRun(s) { reader, metrics in
            try reader.scan { e in
                if e.kind == MigrationEvents.round { round = Int(e.fields[0]) }
                if e.kind == MigrationEvents.throttle { throttledAfter.append(round) }
            }
            return metrics.first { $0.name == "converged" }?.value == 1
        }
        #expect(!throttledAfter.isEmpty)
        // Every round here dirties more than half of what it sent: throttle after rounds 2, 4, 6, …
        expectEqual(throttledAfter, Array(stride(from: 2, through: 2 * throttledAfter.count, by: 2)), "\(throttledAfter)")
        // At 40,000 pages/s the steps bring it to converge; at 80,000 it reaches 3x memory first.
        expectEqual(converged, rate < 50_000)
    }
}

/// The counter lanes (pages still to move, pages and bytes sent) follow a transfer as it goes:
/// sampled when copying starts, then about 100 times per pass over memory, whatever the VM's
/// size or the link — before, a cold migration had one sample (an empty lane) and pre-copy's
/// first sample came after its first, longest round.
struct MigrationCounterTests {
    struct Sample { let time: UInt64, remaining: UInt64, sent: UInt64, bytes: UInt64, dirtied: UInt64 }

    static func samples(_ overrides: [String: ScenarioValue]) throws -> (samples: [Sample], metrics: [Metric], config: MigrationConfig) {
        let s = try Preset(name: "t", topic: .migration, summary: "t", seed: 5, overrides: overrides).scenario()
        var out: [Sample] = []
        let metrics = try withTracedRun(s) { reader, metrics in
            try reader.scan { e in
                guard e.kind == MigrationEvents.counters else { return }
                out.append(Sample(time: e.time, remaining: e.fields[0], sent: e.fields[1], bytes: e.fields[2], dirtied: e.fields[3]))
            }
            return metrics
        }
        return (out, metrics, MigrationConfig(s))
    }

    @Test(arguments: Array(zip(MigrationConfig.Strategy.allCases, [64, 256, 1_024, 96, 512, 128])))
    func everyStrategySamplesItsTransferAsItGoes(_ strategy: MigrationConfig.Strategy, _ memoryMiB: Int) throws {
        let (samples, metrics, c) = try Self.samples([
            "migration.strategy": .text(strategy.rawValue), "migration.vm.memory_mib": .integer(Int64(memoryMiB)),
            "migration.workload.hot_pages": .integer(256)])
        let pages = c.pages
        let sent = try #require(metrics.first { $0.name == "pages_sent" }?.value)
        let first = try #require(samples.first), last = try #require(samples.last)
        // The first sample is taken before a page moves, the last after the last one.
        expectEqual(first.sent, 0, "\(strategy)")
        expectEqual(last.sent, UInt64(sent), "\(strategy)")
        expectEqual(last.remaining, 0, "\(strategy)")
        let moving = strategy == .suspendResume ? MigrationSimulator(config: c, seed: 5).changedPages().count : pages
        expectEqual(first.remaining, UInt64(moving), "\(strategy)")
        expectEqual(first.time, 0, "\(strategy)")
        // Sent pages, bytes and dirtied pages only grow; time only moves on.
        for (a, b) in zip(samples, samples.dropFirst()) {
            expectAtMost(a.time, b.time, "\(strategy)")
            expectAtMost(a.sent, b.sent, "\(strategy)")
            expectAtMost(a.bytes, b.bytes, "\(strategy)")
            expectAtMost(a.dirtied, b.dirtied, "\(strategy)")
        }
        // About `countersPerPass` samples per pass over memory (a sample waits for a batch to be
        // sent): enough for a line, bounded by the picture.
        let perPass = Double(MigrationEvents.countersPerPass)
        let passes = sent / Double(pages)
        let rounds = metrics.first { $0.name == "rounds" }?.value ?? 0
        let floor: Double = min(perPass / 2 * passes, sent / Double(c.batchPages))
        expectAtLeast(Double(samples.count), floor, "\(strategy): \(samples.count) samples for \(passes) passes")
        expectAtMost(Double(samples.count), (perPass + 5) * max(passes, 1) + rounds + 4, "\(strategy): \(samples.count) samples for \(passes) passes")
    }

    /// A local disk copied after memory (cold) is followed like a memory pass: bytes grow at the
    /// link's rate, at most `countersPerPass` samples however large the disk, and the run's
    /// results are those of the same run without a trace, to the bit.
    @Test(arguments: [1, 40])
    func aDiskCopyIsSampledAsItGoes(_ diskGiB: Int) throws {
        let o: [String: ScenarioValue] = ["migration.strategy": .text("cold"), "migration.vm.memory_mib": .integer(256),
                                          "migration.vm.disk_shared": .text("no"), "migration.vm.disk_gib": .integer(Int64(diskGiB))]
        let (samples, metrics, c) = try Self.samples(o)
        let memoryBytes = UInt64(c.pages) * 4_096
        let disk = samples.filter { $0.bytes > memoryBytes }
        expectAtLeast(disk.count, min(Int(Double(diskGiB) * 1_073_741_824 / Double(memoryBytes)) * MigrationEvents.countersPerPass / 2, MigrationEvents.countersPerPass / 2))
        expectAtMost(disk.count, MigrationEvents.countersPerPass, "\(disk.count) samples of the disk copy")
        for s in disk { #expect(s.remaining == 0 && s.sent == UInt64(c.pages)) }
        // Bytes over time: the link's rate between any two samples of the copy (the run's last
        // sample comes after activation, which sends nothing).
        let linkBytesPerNs = c.bandwidth / 1e9
        let during = disk.dropLast()
        for (a, b) in zip(during, during.dropFirst()) {
            let rate = Double(b.bytes - a.bytes) / Double(b.time - a.time)
            expectLess(abs(rate / linkBytesPerNs - 1), 0.01, "\(rate) bytes/ns")
        }
        let untraced = try MigrationTheoryTests.run(o, seed: 5).0
        expectEqual(metrics.first { $0.name == "total_time_ms" }?.value, untraced.totalTime * 1_000)
    }

    /// The keys' extremes: a 1 MiB VM with the largest disk over the slowest link, and over the
    /// fastest — the samples stay bounded and the run ends.
    @Test(arguments: [1.0, 1_000_000.0])
    func extremeDisksAndLinksStayBounded(_ mbps: Double) throws {
        let (samples, metrics, _) = try Self.samples(["migration.strategy": .text("cold"), "migration.vm.memory_mib": .integer(1),
                                                      "migration.workload.hot_pages": .integer(16), "migration.vm.disk_shared": .text("no"),
                                                      "migration.vm.disk_gib": .integer(65_536), "migration.network.bandwidth_mbps": .real(mbps)])
        expectAtMost(samples.count, 2 * MigrationEvents.countersPerPass + 4, "\(samples.count) samples")
        expectEqual(metrics.first { $0.name == "total_time_ms" }.map { $0.value.isFinite && $0.value > 0 }, true)
    }

    /// With the guest stopped (cold, non-live) or each page moving once (post-copy), what was sent
    /// and what is still to move add up to the VM's memory at every sample.
    @Test(arguments: [MigrationConfig.Strategy.cold, .nonLive, .postCopy])
    func sentAndRemainingAddUpToMemory(_ strategy: MigrationConfig.Strategy) throws {
        let (samples, _, c) = try Self.samples(["migration.strategy": .text(strategy.rawValue), "migration.vm.memory_mib": .integer(300)])
        expectGreater(samples.count, MigrationEvents.countersPerPass / 2)
        for s in samples { expectEqual(s.sent + s.remaining, UInt64(c.pages), "\(strategy) at \(s.time) ns") }
    }

    /// Pre-copy: at each round's end the sample's "remaining" is what the round dirtied (the next
    /// round's set), and between rounds it never exceeds the VM's memory.
    @Test(arguments: [2_000.0, 20_000.0])
    func preCopyRemainingIsTheNextRoundsSetAtEachRoundsEnd(_ dirtyRate: Double) throws {
        var o = MigrationTheoryTests.textbook
        o["migration.vm.memory_mib"] = .integer(256)
        o["migration.workload.dirty_rate"] = .real(dirtyRate)
        let s = try Preset(name: "t", topic: .migration, summary: "t", seed: 5, overrides: o).scenario()
        var dirtiedByRound: [UInt64] = [], afterRound: [UInt64] = [], sawRound = false, over = 0
        let pages = UInt64(MigrationConfig(s).pages)
        _ = try withTracedRun(s) { reader, _ in
            try reader.scan { e in
                if e.kind == MigrationEvents.round { dirtiedByRound.append(e.fields[2]); sawRound = true }
                if e.kind == MigrationEvents.counters {
                    if sawRound { afterRound.append(e.fields[0]); sawRound = false }
                    if e.fields[0] > pages { over += 1 }
                }
            }
        }
        #expect(!dirtiedByRound.isEmpty)
        expectEqual(afterRound, dirtiedByRound)
        expectEqual(over, 0)
    }
}
