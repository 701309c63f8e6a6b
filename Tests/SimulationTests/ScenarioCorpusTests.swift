import Vocabulary
import Foundation
import Testing
import TestKit
@testable import Simulation

/// Every input kept in ScenarioCorpus/ (past crashers of the scenario, sweep-file and sweep-axis
/// parsers) and every shipped scenario in Traces/scenarios/ must parse or fail with a `ScenarioError` — never trap.
struct ScenarioCorpusTests {
    /// The kept inputs, and the shipped scenarios and sweeps (read where they live, not copied).
    static var files: [URL] {
        let kept = Bundle.module.resourceURL!.appendingPathComponent("ScenarioCorpus")
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Traces/scenarios")
        return [kept, shipped].flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted().map { dir.appendingPathComponent($0) }
        }
    }

    @Test func corpusIsPresent() { expectAtLeast(Self.files.count, 10) }

    @Test(arguments: files)
    func replays(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        func onlyScenarioErrors(_ body: () throws -> Void) {
            do { try body() } catch is ScenarioError {} catch { Issue.record("\(url.lastPathComponent): \(error)") }
        }
        if text.contains("sweep:") { onlyScenarioErrors { _ = try SweepFile.decode(text: text, source: url.path) } }
        else if url.pathExtension == "yaml" { onlyScenarioErrors { _ = try ScenarioDecoder.decode(text: text, source: url.path) } }
        for line in text.split(separator: "\n") where line.contains("=") {
            for topic in Topic.allCases { onlyScenarioErrors { _ = try SweepPlan.axis(String(line), topic: topic) } }
        }
    }

    @Test func hostileRangesAreErrors() throws {
        for bad in ["memory.levels=nan:5:3", "memory.levels=inf:5:3", "memory.levels=1e300:5:3", "memory.levels=-1e19:5:3",
                    "memory.workload.accesses=1:1e19:3"] {
            #expect(throws: ScenarioError.self, "\(bad)") { _ = try SweepPlan.axis(bad, topic: .memory) }
        }
        let base = try Preset.named("tlb-thrash-native")!.scenario()
        let axis = try SweepPlan.axis("memory.levels=2,3", topic: .memory)
        #expect(throws: ScenarioError.self) { _ = try SweepPlan(base: base, axes: [axis], repeats: Int.max) }
        // Four 100,000-value axes: 10^20 points overflow Int; refused before any work, not trapped.
        let wide = ["memory.levels", "memory.vcpus", "memory.workload.accesses", "memory.tlb.sets"].map {
            SweepPlan.Axis(key: $0, values: (0..<100_000).map { ScenarioValue.integer(Int64($0)) })
        }
        do {
            _ = try SweepPlan(base: base, axes: wide, repeats: 1, maxRuns: .max)
            Issue.record("10^20 runs were accepted")
        } catch let e as ScenarioError {
            expectContains(e.message, "runs", "\(e)")
        }
        #expect(throws: ScenarioError.self) { _ = try SweepPlan(base: base, axes: [axis, axis], repeats: 1) }
    }
}
