import Testing
import TestKit
@testable import Simulation
import Vocabulary

/// One key's rule, as every scenario file, sweep axis and `scenarios show` applies it.
struct ScenarioKeyTests {
    static func problem(_ key: ScenarioKey, _ raw: String) -> String? {
        if case let .failure(p) = key.parse(raw) { return p.message }
        return nil
    }

    @Test func integersAreWholeInRangeAndPowersOfTwoWhenAsked() throws {
        let k = ScenarioKey("t.sets", .integer(1...1_024, powerOfTwo: true), default: .integer(64), "sets")
        try expectEqual(k.parse("1_024").get(), .integer(1_024))
        try expectEqual(k.parse("1").get(), .integer(1))
        expectEqual(Self.problem(k, "2048"), "must be a power of two from 1 to 1024, got 2048")
        #expect(Self.problem(k, "0") != nil)
        expectEqual(Self.problem(k, "48"), "must be a power of two from 1 to 1024, got 48")
        expectEqual(Self.problem(k, "2.5"), "must be a whole number (a power of two from 1 to 1024), got 2.5")
        expectEqual(Self.problem(k, "many"), "must be a power of two from 1 to 1024, got 'many'")
        #expect(Self.problem(k, "99999999999999999999") != nil, "an overflow is a mistake, not a trap")
    }

    @Test func realsAreFiniteAndInRange() throws {
        let k = ScenarioKey("t.rate", .real(0...1), default: .real(0.5), "rate")
        try expectEqual(k.parse("0").get(), .real(0))
        try expectEqual(k.parse("1").get(), .real(1))
        try expectEqual(k.parse("0.25").get(), .real(0.25))
        for bad in ["nan", "inf", "-inf", "1.0000001", "-0.1", "half", ""] { #expect(Self.problem(k, bad) != nil, "\(bad)") }
        expectEqual(k.allowed, "a number from 0.0 to 1.0")
    }

    @Test func choicesAndTextSayWhatIsAllowed() throws {
        let c = ScenarioKey("t.mode", .choice(["shadow", "nested"]), default: .text("nested"), "mode")
        try expectEqual(c.parse("shadow").get(), .text("shadow"))
        expectEqual(Self.problem(c, "Shadow"), "must be one of shadow, nested, got 'Shadow'")
        let t = ScenarioKey("t.name", .text(maxBytes: 4), default: nil, "name")
        try expectEqual(t.parse("abcd").get(), .text("abcd"))
        expectEqual(Self.problem(t, "abcdé"), "must be text of at most 4 bytes, got 6 bytes")
    }

    /// Every key of every topic accepts its own default, and says what it allows.
    @Test func everyDefaultPassesItsOwnRule() {
        for topic in Topic.allCases {
            for key in topic.simulation.keys {
                #expect(!key.allowed.isEmpty)
                guard let d = key.defaultValue else { continue }
                let text: String
                switch d {
                case let .integer(i): text = String(i)
                case let .real(r): text = String(r)
                case let .text(s): text = s
                }
                expectEqual(try? key.parse(text).get(), d, "\(key.path) default \(d)")
            }
        }
    }
}
