/// A built-in scenario: a name, a line of description, and the keys that differ from the defaults.
package struct Preset: Sendable {
    package let name: String
    package let topic: Topic
    package let summary: String
    package let seed: UInt64
    package let overrides: [String: ScenarioValue]

    /// The preset as the YAML that `scenarios show` prints and `run` reads.
    package var yaml: String {
        var values: [String: ScenarioValue] = [:]
        for key in topic.keys { values[key.path] = overrides[key.path] ?? key.defaultValue }
        return ScenarioYAML.render(name: name, description: summary, topic: topic, seed: seed, values: values)
    }

    /// The preset decoded exactly as a file with its YAML would be.
    package func scenario() throws -> Scenario {
        try ScenarioDecoder.decode(text: yaml, source: "preset \(name)")
    }

    /// Every built-in preset, in course order.
    package static let all: [Preset] = [
        Preset(name: "native-sequential", topic: .memory,
               summary: "Native 4-level paging, sequential scan of 64 MiB: one TLB miss per 64 accesses, each a 4-reference walk",
               seed: 1, overrides: ["memory.workload.pattern": .text("sequential")]),
        Preset(name: "native-random", topic: .memory,
               summary: "Native 4-level paging, uniform random accesses over 64 MiB: the 64-entry TLB misses almost always",
               seed: 1, overrides: ["memory.workload.pattern": .text("random")]),
        Preset(name: "native-random-2m", topic: .memory,
               summary: "The same random accesses on 2 MiB pages: 32 large pages fit the TLB and each walk is one level shorter",
               seed: 1, overrides: ["memory.workload.pattern": .text("random"), "memory.page_size": .text("2MiB")]),
        Preset(name: "native-strided", topic: .memory,
               summary: "Native paging, a 4 KiB stride: every access lands on a new page, the TLB's worst sequential case",
               seed: 1, overrides: ["memory.workload.pattern": .text("strided"), "memory.workload.stride_bytes": .integer(4_096)]),
    ]

    /// The preset with this name.
    package static func named(_ name: String) -> Preset? { all.first { $0.name == name } }
}
