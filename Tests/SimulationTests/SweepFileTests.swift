import Testing
import TestKit
@testable import Simulation

struct SweepFileTests {
    @Test func sweepFilesAreReadAndCheckedWithLines() throws {
        let spec = try SweepFile.decode(text: "name: x\nsweep:\n  scenario: precopy-moderate\n  vary:\n    - migration.strategy=pre-copy,post-copy\n  repeat: 2\n", source: "s.yaml")
        expectEqual(spec.scenario, "precopy-moderate")
        expectEqual(spec.vary, ["migration.strategy=pre-copy,post-copy"])
        expectEqual(spec.repeats, 2)
        #expect(throws: ScenarioError.self) { try SweepFile.decode(text: "sweep:\n  scenario: x\n  vary:\n  - a=1\n  colour: red\n", source: "s") }
        #expect(throws: ScenarioError.self) { try SweepFile.decode(text: "sweep:\n  scenario: x\n", source: "s") }
        #expect(throws: ScenarioError.self) { try SweepFile.decode(text: "sweep:\n  scenario: x\n  vary:\n    - a=1\n  repeat: 0\n", source: "s") }
        let headed = try SweepFile.decode(text: "sweep:\n  scenario: x\n  headline: latency_p99_ns\n  vary:\n    - a=1\n", source: "s")
        expectEqual(headed.headline, "latency_p99_ns")
    }
}
