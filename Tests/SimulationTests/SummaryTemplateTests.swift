import Testing
import TestKit
@testable import Simulation

/// Preset descriptions are filled from the preset's values; each format reads as a person
/// would write the number.
struct SummaryTemplateTests {
    static func fill(_ template: String, _ values: [String: ScenarioValue]) -> String {
        SummaryTemplate.render(template) { values[$0] }
    }

    @Test(arguments: [
        ("{k:mib}", ScenarioValue.integer(2_048), "2 GiB"),
        ("{k:mib}", .integer(96), "96 MiB"),
        ("{k:mib}", .integer(1_536), "1,536 MiB"),
        ("{k:pages}", .integer(16_384), "64 MiB"),
        ("{k:pages}", .integer(3), "12 KiB"),
        ("{k:bytes}", .integer(1_500), "1,500 bytes"),
        ("{k:bytes}", .integer(4_096), "4 KiB"),
        ("{k:gbps}", .real(1), "1 Gbit/s"),
        ("{k:gbps}", .real(0.5), "500 Mbit/s"),
        ("{k:mbps}", .real(2_500), "2,500 Mbit/s"),
        ("{k:mbps}", .real(10_000), "10 Gbit/s"),
        ("{k:ms}", .real(300), "300 ms"),
        ("{k:ms}", .real(1_500), "1.5 s"),
        ("{k:ms}", .real(3_000), "3 s"),
        ("{k}", .real(0.5), "0.5"),
        ("{k:%}", .real(0.01), "1 %"),
        ("{k:%}", .real(0.125), "12.5 %"),
        ("{k}", .integer(2_000_000), "2,000,000"),
        ("{k}", .integer(-1_234), "-1,234"),
        ("{k}", .real(0.333_333), "0.333"),
        ("{k}", .text("pre-copy"), "pre-copy"),
    ])
    func formats(_ template: String, _ value: ScenarioValue, _ expected: String) {
        expectEqual(Self.fill(template, ["k": value]), expected)
    }

    /// What cannot be filled is left as written, so the presets' test finds it: an unknown key,
    /// an unknown format, a number format on text; text around and between tokens is kept.
    @Test func whatCannotBeFilledStaysVisible() {
        let values: [String: ScenarioValue] = ["a": .integer(4), "t": .text("x")]
        expectEqual(Self.fill("{nope} and {a:furlongs} and {t:mib}", values), "{nope} and {a:furlongs} and {t:mib}")
        expectEqual(Self.fill("a {a} b {t} c", values), "a 4 b x c")
        expectEqual(Self.fill("{unclosed", values), "{unclosed")
        expectEqual(Self.fill("", values), "")
    }
}
