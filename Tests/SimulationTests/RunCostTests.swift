import Foundation
import Testing
import TestKit
import TraceFormat
@testable import Simulation
import Vocabulary

struct RunCostTests {
    /// Runs a scenario into a scratch trace: its events and its size in bytes.
    static func run(_ s: Scenario) throws -> (UInt64, Double) {
        let path = NSTemporaryDirectory() + "virtlab-cost-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: try Runner.header(for: s))
        let metrics = try Runner.run(s, writer: w)
        let events = w.eventCount
        try w.close(summary: metrics)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        return (events, Double(size))
    }

    @Test func theEstimateFollowsTheRun() throws {
        for (preset, key, value) in [(PresetName.tlbThrashNested, "accesses: 2000000", "accesses: 200000"), (.netParavirtual, "requests: 200000", "requests: 100000")] {
            let yaml = Preset.named(preset).yaml.replacingOccurrences(of: key, with: value)
            let s = try ScenarioDecoder.decode(text: yaml, source: preset.rawValue)
            let cost = try RunCost.estimate(s)
            let (events, bytes) = try Self.run(s)
            expectAtLeast(cost.events, Double(events) * 0.7, "\(preset): estimated \(cost.events), ran \(events)")
            expectAtMost(cost.events, Double(events) * 3, "\(preset): estimated \(cost.events), ran \(events)")
            expectAtLeast(cost.bytes, bytes * 0.7, "\(preset): estimated \(cost.bytes) bytes, wrote \(bytes)")
            expectAtMost(cost.bytes, bytes * 3, "\(preset): estimated \(cost.bytes) bytes, wrote \(bytes)")
        }
    }

    /// The summary a user reads before `--yes`: sizes in their units, counts in words, the time.
    @Test func theSummaryReadsAsAPersonWouldSayIt() {
        let c = RunCost(events: 1.3e9, bytes: 6.2e9, seconds: 600, sizeKey: "memory.workload.accesses", size: 2_000_000)
        #expect(c.isLarge)
        expectEqual(c.summary, "about 6.2 GB of trace, 1.3 billion events and 10 min on this machine", "\(c.summary)")
        #expect(!RunCost(events: 1e6, bytes: 5e6, seconds: 1).isLarge)
        #expect(RunCost(events: 1e6, bytes: 5e6, seconds: RunCost.largeSeconds + 1).isLarge)
    }

    /// Every preset is estimated: a positive estimate where the topic has a size key and the run
    /// is longer than the pilot; otherwise (migration, bounded by its rounds; a run no longer
    /// than its pilot) zero, which is never announced as large.
    @Test func everyPresetHasAnEstimate() throws {
        var piloted = 0
        for p in Preset.all {
            let s = try p.scenario()
            let c = try RunCost.estimate(s)
            if let (key, pilot) = RunCost.sizeKey(s.topic), s.int(key) > pilot {
                piloted += 1
                expectGreater(c.events, 0, "\(p.name)")
                expectGreater(c.bytes, 0, "\(p.name)")
                expectEqual(c.sizeKey, key, "\(p.name)")
            } else {
                expectEqual(c.events, 0, "\(p.name)")
                expectEqual(c.bytes, 0, "\(p.name)")
                #expect(!c.isLarge, "\(p.name)")
            }
        }
        expectGreater(piloted, 20, "the memory, CPU and I/O presets are piloted")
    }
}
