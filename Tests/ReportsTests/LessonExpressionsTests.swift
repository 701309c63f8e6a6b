import Foundation
import Testing
import TestKit
@testable import Reports

struct LessonExpressionTests {
    static func q(_ v: Double, _ unit: String = "") -> Quantity {
        let u = QuantityUnit.metric(unit)
        return Quantity(v * u.scale, dimension: u.dimension)
    }

    static let table: [String: Quantity] = [
        "down_ms": q(245, "ms"), "limit_ms": q(0.3, "s"), "bytes": q(2_048, "bytes"), "rate": q(15_000), "link": q(1_000, "Mbit/s"),
        "rounds": Quantity(series: [427_840, 158_148, 68_658, 31_553]), "pct": q(12.5, "%"),
    ]

    static func check(_ text: String) throws -> (Bool, String) {
        try LessonExpressionParser.claim(text).check { name in
            guard let v = table[name] else { throw LessonError("no value '\(name)'") }
            return v
        }
    }

    @Test func claimsCompareWithUnitsConverted() throws {
        #expect(try Self.check("down_ms < limit_ms").0, "245 ms < 0.3 s")
        #expect(try !Self.check("down_ms > limit_ms").0)
        #expect(try Self.check("rate / (link / 8 / 4096) < 0.5").0, "15,000 ÷ 30,518 pages/s")
        #expect(try Self.check("down_ms ~= 250000000 within 3%").0 && !Self.check("down_ms ~= 250000000 within 1%").0)
        #expect(try Self.check("pct > 10").0 && Self.check("pct < 12.6").0)
        #expect(try Self.check("-rate < 0").0 && Self.check("2e3 == 2000").0 && Self.check("50% == 0.5").0)
    }

    @Test func seriesHoldForEveryElementAndSayWhichFailed() throws {
        #expect(try Self.check("ratios(rounds) < 0.5").0)
        let (holds, detail) = try Self.check("ratios(rounds) < 0.44")
        #expect(!holds)
        expectContains(detail, "(element 3)")
        expectContains(detail, "0.4596")
        #expect(try Self.check("max(rounds) == first(rounds)").0 && Self.check("count(rounds) == 4").0 && Self.check("last(rounds) < min(rounds) + 1").0)
        #expect(try Self.check("sum(rounds) > mean(rounds) * 3.9").0)
    }

    /// A failure names the values that made it, not the numbers the claim itself wrote.
    @Test func aFailureShowsTheRunsValuesNotTheClaimsNumbers() throws {
        let (holds, detail) = try Self.check("count(rounds) < 2")
        #expect(!holds)
        expectEqual(detail, "not 4 < 2 — count(rounds) = 4")
        expectEqual(try Self.check("2 < 3").1, "2 = 2; 3 = 3")
    }

    @Test func incompatibleUnitsAndBadSyntaxAreErrorsNotFalseClaims() {
        func error(_ t: String) -> String {
            do { _ = try Self.check(t); return "no error" } catch { return "\(error)" }
        }
        expectContains(error("down_ms < bytes"), "compares a time with bytes")
        expectContains(error("down_ms + bytes > 0"), "cannot add bytes and a time")
        expectContains(error("max(down_ms, bytes) > 0"), "mixes")
        expectContains(error("down_ms"), "a claim compares two expressions")
        expectContains(error("down_ms ~= limit_ms"), "~= needs a tolerance")
        expectContains(error("down_ms < limit_ms within 5%"), "'within' goes with ~= only")
        expectContains(error("nope < 1"), "no value 'nope'")
        expectContains(error("median(rounds) < 1"), "unknown function 'median'")
        #expect(error("(down_ms < 1").contains("not closed") || error("(down_ms < 1").contains("'(' is not closed"))
    }

    @Test func valuesPrintInTheirNaturalFormat() {
        expectEqual(ValueFormat.natural("time").text(245_479_300, dimension: "time", digits: nil), "245.48 ms")
        expectEqual(ValueFormat.natural("bytes").text(67_108_864, dimension: "bytes", digits: nil), "64 MiB")
        expectEqual(ValueFormat.natural("%").text(218.38, dimension: "%", digits: nil), "218.4 %")
        expectEqual(ValueFormat.percent.text(0.0303, dimension: "", digits: nil), "3 %")
        expectEqual(ValueFormat.natural("bit/s").text(1e9, dimension: "bit/s", digits: nil), "1 Gbit/s")
        expectEqual(ValueFormat.natural("bit/s").text(839.5e6, dimension: "bit/s", digits: nil), "840 Mbit/s")
        expectEqual(ValueFormat.number.text(30_517.578, dimension: "", digits: nil), "30,518")
        expectEqual(ValueFormat.number.text(0.4915, dimension: "", digits: 2), "0.49")
        expectEqual(ValueFormat.number.text(3.14159, dimension: "", digits: nil), "3.14")
        expectEqual(ValueFormat.count.text(1_000_000, dimension: "", digits: nil), "1,000,000")
        expectEqual(ValueFormat.count.text(-12_345, dimension: "", digits: nil), "-12,345")
        expectEqual(ValueFormat.times.text(11.94, dimension: "", digits: nil), "11.9×")
        expectEqual(ValueFormat.time.text(17_561_802_000, dimension: "time", digits: 1), "17.6 s")
        expectEqual(QuantityUnit.parameter("migration.vm.memory_mib"), QuantityUnit.metric("MiB"))
        expectEqual(QuantityUnit.parameter("migration.workload.dirty_rate"), .none)
    }
}

enum CourseFiles {
    /// The checkout (this file is Tests/ReportsTests/LessonTests.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
