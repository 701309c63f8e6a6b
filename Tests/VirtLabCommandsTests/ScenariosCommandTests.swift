import Foundation
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
@testable import VirtLabCommands

struct ScenariosCommandTests {
    /// `list` has one line per preset, in the presets' order, with its topic and its filled-in description.
    @Test func theListHasEveryPresetWithItsTopicAndDescription() throws {
        let r = try Fixtures.cli(["scenarios", "list"])
        expectEqual(r.status, 0)
        let lines = r.stdout.split(separator: "\n")
        expectEqual(lines.count, Preset.all.count)
        for (line, p) in zip(lines, Preset.all) {
            #expect(line.hasPrefix(p.name + " "), "\(line)")
            expectContains(line, "  \(p.topic.rawValue)  ", "\(line)")
            #expect(line.hasSuffix(p.summary), "\(line)")
            #expect(!line.contains("{"), "a description with an unfilled value: \(line)")
        }
    }

    /// `show` prints exactly the preset's YAML, which runs; an unknown name lists the presets.
    @Test func showPrintsTheYAMLAndUnknownNamesListThePresets() throws {
        let r = try Fixtures.cli(["scenarios", "show", "precopy-busy"])
        expectEqual(r.status, 0)
        expectEqual(r.stdout, Preset.named(.precopyBusy).yaml)
        let bad = try Fixtures.cli(["scenarios", "show", "precopy-bsy"])
        expectEqual(bad.status, 2)
        expectContains(bad.stderr, "no preset named 'precopy-bsy'")
        expectContains(bad.stderr, "precopy-busy")
        #expect(bad.stdout.isEmpty)
    }
}
