import Foundation
import Testing
import TraceFormat
@testable import Simulation
import Vocabulary

/// The one entry point for runs: the header says what was run (the scenario's whole text, its
/// name, topic and seed) with the topic's schema, and a run into it closes as a valid trace.
@Suite struct RunnerTests {
    @Test(arguments: Topic.allCases)
    func theHeaderSaysWhatWasRun(topic: Topic) throws {
        let preset = try #require(Preset.all.first { $0.topic == topic })
        var s = try preset.scenario()
        s.seed = 77
        let h = try Runner.header(for: s)
        #expect(h.seed == 77 && h.writerVersion == "virtlab \(Runner.version)")
        #expect(h[metadata: "scenario"] == s.text && h[metadata: "scenario_name"] == preset.name && h[metadata: "topic"] == topic.rawValue)
        #expect(h.schema == (try Runner.schema(for: topic)))
        #expect(h.schema.kinds.map(\.name).allSatisfy { EventKindName(rawValue: $0) != nil }, "every kind is named in the vocabulary")
        // Same scenario, same header bytes.
        #expect(try h.encoded() == (try Runner.header(for: s)).encoded())
    }
}
