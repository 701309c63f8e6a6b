import Foundation
import TraceFormat
import Testing
import Vocabulary
@testable import Simulation

@Suite struct ScenarioYAMLTests {
    @Test(arguments: Preset.all.map(\.name))
    func presetYAMLReadsBackToItsValues(_ name: String) throws {
        let preset = try #require(Preset.named(name))
        let s = try preset.scenario()
        #expect(s.name == name)
        for (key, value) in preset.overrides { #expect(s.values[key] == value, "\(key)") }
        // Printing the decoded scenario again gives the same text.
        #expect(ScenarioYAML.render(name: s.name, description: s.description, topic: s.topic, seed: s.seed, values: s.values) == preset.yaml)
    }

    @Test func quotingSurvivesAwkwardText() throws {
        let awkward = "say \"hi\": <script>alert(1)</script> # not a comment\n\ttab"
        let yaml = ScenarioYAML.render(name: "yes", description: awkward, topic: .memory, seed: 1, values: [:])
        let s = try ScenarioDecoder.decode(text: yaml, source: "q.yaml")
        #expect(s.description == awkward)
        #expect(s.name == "yes")
    }

    /// Any values the keys allow, written and read back, are the same values: random integers
    /// (powers of two where asked), reals, every choice and text, for every key of every topic.
    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func anyAllowedValuesRoundTrip(seed: UInt64) throws {
        var g = SplitMix64(seed: seed)
        for topic in Topic.allCases {
            var values: [String: ScenarioValue] = [:]
            for key in topic.keys {
                switch key.kind {
                case let .integer(r, pow2):
                    if pow2 {
                        let lo = r.lowerBound.trailingZeroBitCount, hi = 63 - r.upperBound.leadingZeroBitCount
                        values[key.path] = .integer(Int64(1) << (lo + Int(g.below(UInt64(hi - lo + 1)))))
                    } else {
                        let span = UInt64(r.upperBound - r.lowerBound)
                        values[key.path] = .integer(r.lowerBound + Int64(span == .max ? g.next() >> 1 : g.below(span + 1)))
                    }
                case let .real(r):
                    values[key.path] = .real(r.lowerBound + g.unit() * (r.upperBound - r.lowerBound))
                case let .choice(options):
                    values[key.path] = .text(options[Int(g.below(UInt64(options.count)))])
                case let .text(maxBytes):
                    values[key.path] = .text(String(repeating: "é: #x\"", count: min(3, maxBytes / 8)))
                }
            }
            let yaml = ScenarioYAML.render(name: "r\(seed)", description: "any values", topic: topic, seed: seed, values: values)
            // Cross-key rules (a cache larger than its table, say) may refuse a random mix; a
            // refusal must name a key, and what decodes must be what was written.
            do {
                let s = try ScenarioDecoder.decode(text: yaml, source: "r.yaml")
                for key in topic.keys { #expect(s.values[key.path] == values[key.path], "\(key.path)") }
                #expect(s.seed == seed && s.topic == topic)
            } catch let e as ScenarioError {
                #expect("\(e)".contains("."), "\(e)")
            }
        }
    }
}
