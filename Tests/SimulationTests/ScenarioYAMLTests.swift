import Foundation
import TraceFormat
import Testing
import TestKit
import Vocabulary
@testable import Simulation

struct ScenarioYAMLTests {
    @Test(arguments: Preset.all.map(\.name))
    func presetYAMLReadsBackToItsValues(_ name: String) throws {
        let preset = try #require(Preset.named(name))
        let s = try preset.scenario()
        expectEqual(s.name, name)
        for (key, value) in preset.overrides { expectEqual(s.values[key], value, "\(key)") }
        // Printing the decoded scenario again gives the same text.
        expectEqual(ScenarioYAML.render(name: s.name, description: s.description, topic: s.topic, seed: s.seed, values: s.values), preset.yaml)
    }

    @Test func quotingSurvivesAwkwardText() throws {
        let awkward = "say \"hi\": <script>alert(1)</script> # not a comment\n\ttab"
        let yaml = ScenarioYAML.render(name: "yes", description: awkward, topic: .memory, seed: 1, values: [:])
        let s = try ScenarioDecoder.decode(text: yaml, source: "q.yaml")
        expectEqual(s.description, awkward)
        expectEqual(s.name, "yes")
    }

    /// Any values the keys allow, written and read back, are the same values: random integers
    /// (powers of two where asked), reals, every choice, for every key of every topic, with an
    /// awkward description. A random mix may break a rule across keys (a working set larger than
    /// memory, say): the refusal must name one of the topic's keys, which is then put back to its
    /// default and the rest tried again — so every topic decodes, mostly with random values.
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
                case .text:
                    values[key.path] = key.defaultValue  // a file name (a CPU profile): the default's
                }
            }
            let paths = topic.keys.map(\.path)
            var repaired: [String] = []
            var decoded: Scenario?
            for _ in 0..<paths.count {
                let yaml = ScenarioYAML.render(name: "r\(seed)", description: "say \"hi\": # not a comment\n\tü", topic: topic, seed: seed, values: values)
                do {
                    decoded = try ScenarioDecoder.decode(text: yaml, source: "r.yaml")
                    break
                } catch let e as ScenarioError {
                    // Every key the refusal names goes back to its default (a rule may name two:
                    // "set posted_interrupts: no, or apic_virtualization: yes").
                    let named = topic.keys.filter { "\(e)".contains($0.path) && values[$0.path] != $0.defaultValue }
                    guard !named.isEmpty else {
                        Issue.record("\(topic): a refusal that names no key still off its default: \(e)")
                        break
                    }
                    for spec in named { values[spec.path] = spec.defaultValue; repaired.append(spec.path) }
                }
            }
            let s = try #require(decoded, "\(topic) never decoded; reset \(repaired)")
            for key in topic.keys { expectEqual(s.values[key.path], values[key.path], "\(key.path)") }
            expectEqual(s.seed, seed)
            expectEqual(s.topic, topic)
            expectEqual(s.description, "say \"hi\": # not a comment\n\tü")
            expectLess(repaired.count * 2, paths.count, "\(topic): most values stay random (reset \(repaired))")
        }
    }
}
