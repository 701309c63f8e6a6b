import Foundation
import TraceFormat
import Testing
import TestKit
@testable import Simulation

/// One malformed scenario and what its error must name.
struct BadScenario: CustomStringConvertible, Sendable {
    let label: String
    let text: String
    let keyPath: String
    let mentions: [String]
    var description: String { label }
}

struct ScenarioDecoderTests {
    static let good = """
    name: t
    topic: memory
    seed: 3
    memory:
      levels: 4
      tlb:
        sets: 16
    """

    static let cases: [BadScenario] = [
        BadScenario(label: "unknown top-level key", text: "name: t\ntopic: memory\ncolour: red\n", keyPath: "colour", mentions: ["unknown key", "name, description, topic, seed"]),
        BadScenario(label: "unknown nested key", text: "name: t\ntopic: memory\nmemory:\n  tlb:\n    setz: 4\n", keyPath: "memory.tlb.setz", mentions: ["unknown key", "sets, ways"]),
        BadScenario(label: "wrong type", text: "name: t\ntopic: memory\nmemory:\n  levels: four\n", keyPath: "memory.levels", mentions: ["integer from 2 to 5", "four"]),
        BadScenario(label: "negative size", text: "name: t\ntopic: memory\nmemory:\n  guest_memory_mib: -512\n", keyPath: "memory.guest_memory_mib", mentions: ["from 16 to", "-512"]),
        BadScenario(label: "zero rate (clock)", text: "name: t\ntopic: memory\nmemory:\n  clock_ghz: 0\n", keyPath: "memory.clock_ghz", mentions: ["from 0.1 to 10"]),
        BadScenario(label: "zero size (TLB sets)", text: "name: t\ntopic: memory\nmemory:\n  tlb:\n    sets: 0\n", keyPath: "memory.tlb.sets", mentions: ["power of two"]),
        BadScenario(label: "not a power of two", text: "name: t\ntopic: memory\nmemory:\n  tlb:\n    sets: 12\n", keyPath: "memory.tlb.sets", mentions: ["power of two", "12"]),
        BadScenario(label: "seed not an integer", text: "name: t\ntopic: memory\nseed: abc\n", keyPath: "seed", mentions: ["integer", "abc"]),
        BadScenario(label: "seed fractional", text: "name: t\ntopic: memory\nseed: 1.5\n", keyPath: "seed", mentions: ["whole number"]),
        BadScenario(label: "seed negative", text: "name: t\ntopic: memory\nseed: -1\n", keyPath: "seed", mentions: ["from 0"]),
        BadScenario(label: "missing name", text: "topic: memory\n", keyPath: "name", mentions: ["required"]),
        BadScenario(label: "missing topic", text: "name: t\n", keyPath: "topic", mentions: ["required", "memory"]),
        BadScenario(label: "unknown topic", text: "name: t\ntopic: gpu\n", keyPath: "topic", mentions: ["one of memory, cpu, io, migration", "gpu"]),
        BadScenario(label: "bad choice", text: "name: t\ntopic: memory\nmemory:\n  workload:\n    pattern: zigzag\n", keyPath: "memory.workload.pattern", mentions: ["sequential, strided, random"]),
        BadScenario(label: "section given a scalar", text: "name: t\ntopic: memory\nmemory: 5\n", keyPath: "memory", mentions: ["section of keys", "levels"]),
        BadScenario(label: "scalar given a list", text: "name: t\ntopic: memory\nmemory:\n  levels: [4, 5]\n", keyPath: "memory.levels", mentions: ["single value"]),
        BadScenario(label: "duplicate key", text: "name: t\ntopic: memory\nseed: 1\nseed: 2\n", keyPath: "seed", mentions: ["twice"]),
        BadScenario(label: "empty file", text: "", keyPath: "", mentions: ["empty"]),
        BadScenario(label: "whitespace only", text: "  \n\n", keyPath: "", mentions: ["empty"]),
        BadScenario(label: "top level is a list", text: "- name: t\n", keyPath: "", mentions: ["mapping"]),
        BadScenario(label: "broken YAML", text: "name: t\ntopic: [memory\n", keyPath: "", mentions: ["not valid YAML"]),
        BadScenario(label: "deeply nested flow YAML", text: "name: t\ntopic: memory\nmemory: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n", keyPath: "", mentions: ["deeper than 16"]),
        BadScenario(label: "deeply indented YAML", text: "name: t\n" + (0..<200).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined(), keyPath: "", mentions: ["indented deeper"]),
        BadScenario(label: "cross-key rule", text: "name: t\ntopic: memory\nmemory:\n  guest_memory_mib: 64\n  workload:\n    working_set_mib: 64\n", keyPath: "memory.workload.working_set_mib", mentions: ["half of memory.guest_memory_mib"]),
        BadScenario(label: "section of another topic", text: "name: t\ntopic: memory\nmigration:\n  strategy: cold\n", keyPath: "migration", mentions: ["does not belong to topic memory"]),
        BadScenario(label: "zero bandwidth", text: "name: t\ntopic: migration\nmigration:\n  network:\n    bandwidth_mbps: 0\n", keyPath: "migration.network.bandwidth_mbps", mentions: ["from 1.0 to", "got 0"]),
        BadScenario(label: "negative dirty rate", text: "name: t\ntopic: migration\nmigration:\n  workload:\n    dirty_rate: -5\n", keyPath: "migration.workload.dirty_rate", mentions: ["from 0.0"]),
        BadScenario(label: "hot set larger than memory", text: "name: t\ntopic: migration\nmigration:\n  vm:\n    memory_mib: 16\n  workload:\n    hot_pages: 100000\n", keyPath: "migration.workload.hot_pages", mentions: ["larger than the VM"]),
    ]

    @Test(arguments: cases)
    func malformedScenarioNamesTheProblem(_ bad: BadScenario) {
        do {
            _ = try ScenarioDecoder.decode(text: bad.text, source: "bad.yaml")
            Issue.record("\(bad.label) was accepted")
        } catch let e as ScenarioError {
            expectEqual(e.keyPath, bad.keyPath, "\(bad.label): \(e)")
            expectEqual(e.source, "bad.yaml")
            for m in bad.mentions { expectContains(e.description, m, "\(bad.label): '\(m)' not in \(e)") }
        } catch {
            Issue.record("\(bad.label): unexpected \(error)")
        }
    }

    @Test func errorsCarryLineAndColumn() throws {
        let e = #expect(throws: ScenarioError.self) {
            try ScenarioDecoder.decode(text: "name: t\ntopic: memory\nmemory:\n  tlb:\n    sets: 7\n", source: "s.yaml")
        }
        expectEqual(e?.line, 5)
        expectEqual(e?.column, 11)
        expectEqual(e?.description.hasPrefix("s.yaml:5:11: memory.tlb.sets:"), true)
    }

    @Test func binaryGarbageIsNotText() {
        var rng = SplitMix64(seed: 5)
        let bytes = (0..<4_096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let e = #expect(throws: ScenarioError.self) { try ScenarioDecoder.decode(bytes: bytes, source: "garbage.bin") }
        expectEqual(e?.description.contains("not UTF-8 text"), true)
    }

    @Test func fiftyMegabyteFileIsRefusedBeforeParsing() {
        let bytes = [UInt8](repeating: 0x61, count: 50 << 20)
        let e = #expect(throws: ScenarioError.self) { try ScenarioDecoder.decode(bytes: bytes, source: "big.yaml") }
        expectEqual(e?.description.contains("at most 1048576 bytes"), true)
    }

    @Test func validScenarioFillsDefaults() throws {
        let s = try ScenarioDecoder.decode(text: Self.good, source: "good.yaml")
        expectEqual(s.name, "t")
        expectEqual(s.seed, 3)
        expectEqual(s.int("memory.tlb.sets"), 16)
        expectEqual(s.int("memory.tlb.ways"), 4)
        expectEqual(s.text("memory.workload.pattern"), "random")
        expectEqual(s.values.count, MemoryConfig.keys.count)
    }

    @Test func jsonIsAcceptedToo() throws {
        let s = try ScenarioDecoder.decode(text: #"{"name": "j", "topic": "memory", "seed": 9, "memory": {"levels": 5}}"#, source: "j.json")
        expectEqual(s.int("memory.levels"), 5)
        expectEqual(s.seed, 9)
    }

}

/// Every example shipped in Traces/scenarios must stay valid as the keys evolve.
struct ShippedScenarioTests {
    static var files: [String] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Traces/scenarios").standardized
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        // sweep-*.yaml are sweep files, checked by SweepTests.
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("sweep-") }.sorted().map { dir.appendingPathComponent($0).path }
    }

    @Test func examplesExist() { expectAtLeast(Self.files.count, 5) }

    @Test(arguments: files)
    func exampleDecodes(_ path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let s = try ScenarioDecoder.decode(bytes: bytes, source: path)
        #expect(!s.name.isEmpty)
    }

    @Test func quarterOfRandomAccessesHitA64EntryTLBOver256Pages() throws {
        let path = Self.files.first { $0.hasSuffix("tlb-quarter-hits.yaml") }!
        let s = try ScenarioDecoder.decode(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), source: path)
        let trace = FileManager.default.temporaryDirectory.path + "/virtlab-quarter-\(UUID().uuidString).vlt"
        defer { unlink(trace) }
        let writer = try TraceWriter(path: trace, header: try Runner.header(for: s))
        let sim = MemorySimulator(config: MemoryConfig(s), seed: s.seed)
        let t = try sim.run(writer: writer)
        try writer.close(summary: [])
        let rate = Double(t.tlbHits) / Double(t.accesses)
        expectLess(abs(rate - 0.25), 0.005)
    }
}
