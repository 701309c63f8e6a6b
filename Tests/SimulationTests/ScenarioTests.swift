import Testing
import TestKit
@testable import Simulation
import Vocabulary

struct ScenarioTests {
    /// A decoded scenario has every key of its topic, typed as the key says; reals read
    /// integers too; the common keys come first in `scenarios show` order.
    @Test(arguments: Topic.allCases)
    func everyKeyIsPresentWithItsType(topic: Topic) throws {
        let preset = try #require(Preset.all.first { $0.topic == topic })
        let s = try preset.scenario()
        expectEqual(Set(s.values.keys), Set(topic.keys.map(\.path)))
        for key in topic.keys {
            switch key.kind {
            case .integer: _ = s.int(key.path); _ = s.real(key.path)
            case .real: #expect(s.real(key.path).isFinite)
            case .choice, .text: _ = s.text(key.path)
            }
        }
        expectEqual(Scenario.commonKeys.map(\.path), ["name", "description", "topic", "seed"])
    }
}
