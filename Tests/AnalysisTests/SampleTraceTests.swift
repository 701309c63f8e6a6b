import Foundation
import Testing
import TestKit
@testable import Analysis
@testable import TraceFormat

/// The committed sample traces (`Traces/samples/`, one per topic, kept fresh by
/// SimulationTests.SampleTracesTests): the analysis of a real run without running a simulator.
enum Samples {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Traces/samples").path
    static let topics = ["memory", "cpu", "io", "migration"]
    static func reader(_ topic: String) throws -> TraceReader { try TraceReader(path: "\(folder)/\(topic)-sample.vlt") }
}

struct SampleTraceTests {
    /// The exit table adds up to the run's own count of exits, and the kinds' counts to every event.
    @Test(arguments: Samples.topics)
    func statisticsAgreeWithTheRunsOwnSummary(_ topic: String) throws {
        let reader = try Samples.reader(topic)
        let (stats, report) = try TraceStatistics.gather(reader)
        #expect(report.damage.isEmpty)
        let exits = reader.summary?.first { $0.name == "vm_exits" }?.value
        let tallied = stats.exitReasons.map(\.count).reduce(0, +)
        if let exits { expectEqual(Double(tallied), exits, "\(topic): table \(tallied), summary \(exits)") } else { expectEqual(tallied, 0) }
        let byKind = stats.countsByKind.map(\.count).reduce(0, +)
        let byCategory = stats.countsByCategory.map(\.count).reduce(0, +)
        expectEqual(byKind, byCategory)
        expectGreater(byKind, 0)
        var scanned: UInt64 = 0
        try Samples.reader(topic).scan { _ in scanned += 1 }
        expectEqual(scanned, byKind)
    }

    /// A timeline of a real run: every event lands in exactly one bucket of its lane, the lanes
    /// have the requested width, and the span is the trace's own.
    @Test(arguments: Samples.topics)
    func timelineOfARealRunCountsEveryEvent(_ topic: String) throws {
        let t = try TimelineReducer.reduce(try Samples.reader(topic), buckets: 200)
        var scanned: UInt64 = 0, first = UInt64.max, last: UInt64 = 0
        try Samples.reader(topic).scan { e in scanned += 1; first = min(first, e.time); last = max(last, e.time) }
        expectEqual(t.events, scanned)
        expectAtMost(t.start, first)
        expectAtLeast(t.end, last)
        let events = t.lanes.filter { $0.kind == .events }
        #expect(!events.isEmpty, "\(topic)")
        for lane in t.lanes { expectEqual(lane.count.count, 200, "\(lane.name)") }
    }
}
