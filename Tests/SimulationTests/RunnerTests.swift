import Foundation
import Testing
import TestKit
import TraceFormat
@testable import Simulation
import Vocabulary

/// The one entry point for runs: the header says what was run (the scenario's whole text, its
/// name, topic and seed) with the topic's schema, and a run into it closes as a valid trace.
struct RunnerTests {
    @Test(arguments: Topic.allCases)
    func theHeaderSaysWhatWasRun(topic: Topic) throws {
        let preset = try #require(Preset.all.first { $0.topic == topic })
        var s = try preset.scenario()
        s.seed = 77
        let h = try Runner.header(for: s)
        expectEqual(h.seed, 77)
        expectEqual(h.writerVersion, "virtlab \(Runner.version)")
        expectEqual(h[metadata: "scenario"], s.text)
        expectEqual(h[metadata: "scenario_name"], preset.name)
        expectEqual(h[metadata: "topic"], topic.rawValue)
        expectEqual(h.schema, try Runner.schema(for: topic))
        #expect(h.schema.kinds.map(\.name).allSatisfy { EventKindName(rawValue: $0) != nil }, "every kind is named in the vocabulary")
        // Same scenario, same header bytes.
        try expectEqual(h.encoded(), (try Runner.header(for: s)).encoded())
    }
}

/// Every topic's counter lanes begin with the run: a sample where it starts (before, the first
/// came one counter interval in, so every timeline's counter lines started late), and samples
/// never go back in time.
struct CounterLaneTests {
    static let small: [Topic: [String: ScenarioValue]] = [
        .memory: ["memory.workload.accesses": .integer(300_000)],
        .cpu: ["cpu.workload.instructions": .integer(3_000_000)],
        .io: ["io.requests": .integer(20_000)],
        .migration: ["migration.vm.memory_mib": .integer(64)],
    ]

    @Test(arguments: Topic.allCases)
    func theFirstCounterSampleIsAtTheStart(topic: Topic) throws {
        let preset = try #require(Preset.all.first { $0.topic == topic })
        let s = try Preset(name: "t", topic: topic, summary: "t", seed: 3, overrides: preset.overrides.merging(Self.small[topic]!) { $1 }).scenario()
        let counters = try Runner.schema(for: topic).kinds.filter { $0.category == .counter }.map(\.id)
        var times: [UInt64] = [], last: UInt64 = 0
        _ = try withTracedRun(s) { reader, _ in
            try reader.scan { e in
                last = max(last, e.time)
                if counters.contains(e.kind) { times.append(e.time) }
            }
        }
        let first = try #require(times.first)
        expectAtLeast(times.count, 3, "\(topic): \(times.count) samples")
        expectAtMost(Double(first), 0.01 * Double(last), "\(topic): the first sample at \(first) ns of \(last) ns")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
