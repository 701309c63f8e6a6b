import Simulation
import Testing
import TestKit
import TraceFormat
@testable import Export

/// The resolved scenario of a trace: every key with its effective value, from the header alone.
struct ResolvedScenarioTests {
    @Test func everyKeyWithItsValueAndWhetherItIsTheDefault() throws {
        var s = try Preset.named(.precopyBusy).scenario()
        s.seed = 1_234
        let rows = ResolvedScenario.rows(try Runner.header(for: s))
        expectEqual(rows.prefix(Scenario.commonKeys.count).map(\.key), Scenario.commonKeys.map(\.path))
        #expect(rows.map(\.key).dropFirst(Scenario.commonKeys.count).elementsEqual(s.topic.keys.map(\.path)))
        let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) })
        expectEqual(byKey["name"]?.value, .text("precopy-busy"))
        expectEqual(byKey["topic"]?.value, .text("migration"))
        expectEqual(byKey["seed"]?.value, .integer(1_234), "the header's seed, which `run --seed` sets")
        for key in s.topic.keys {
            let row = try #require(byKey[key.path])
            expectEqual(row.value, s.values[key.path])
            expectEqual(row.isDefault, row.value == key.defaultValue, "\(key.path)")
            switch row.value {
            case .integer: expectEqual(row.type, "integer")
            case .real: expectEqual(row.type, "real")
            case .text: expectEqual(row.type, "text")
            }
        }
        // The preset sets the dirty rate and the writer; the memory size is the default's.
        expectEqual(byKey["migration.workload.dirty_rate"]?.value, .real(15_000))
        expectEqual(byKey["migration.workload.dirty_rate"]?.isDefault, false)
        expectEqual(byKey["migration.workload.writer"]?.value, .text("uniform"))
        expectEqual(byKey["migration.vm.memory_mib"]?.isDefault, true)
    }

    @Test func aHeaderWithoutAScenarioHasNoRows() throws {
        let empty = TraceHeader(writerVersion: "x", seed: 1, metadata: [], strings: [], schema: try Schema([]))
        #expect(ResolvedScenario.rows(empty).isEmpty)
        let foreign = TraceHeader(writerVersion: "x", seed: 1, metadata: [("scenario", "topic: teleportation\n")], strings: [], schema: try Schema([]))
        #expect(ResolvedScenario.rows(foreign).isEmpty)
    }
}
