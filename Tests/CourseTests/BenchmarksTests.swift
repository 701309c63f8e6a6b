import Foundation
import Testing
import TestKit
@testable import Course

/// `virtlab bench --json` lines come from an encoder, not string pasting: valid JSON, every
/// field with its number, keys sorted so the same result prints the same line.
struct BenchRecordTests {
    @Test func aRecordIsOneSortedJSONObjectWithItsNumbers() throws {
        let r = BenchRecord("report.course", ["wall_s": .real(6.47), "pages": .int(64), "claims": .int(81), "name_like \"quote\"": .real(0.5)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(r), as: UTF8.self)
        expectLacks(text, "\n")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        expectEqual(parsed["name"] as? String, "report.course")
        expectEqual(parsed["wall_s"] as? Double, 6.47)
        expectEqual(parsed["pages"] as? Int, 64)
        expectEqual(parsed["claims"] as? Int, 81)
        expectEqual(parsed["name_like \"quote\""] as? Double, 0.5)
        // Sorted keys: claims, name, name_like…, pages, wall_s.
        let order = ["\"claims\"", "\"name\"", "\"name_like", "\"pages\"", "\"wall_s\""].map { text.range(of: $0)!.lowerBound }
        expectEqual(order, order.sorted())
        expectEqual(r.fields.map { "\($0.0)=\($0.1.text)" }, ["wall_s=6.47", "pages=64", "claims=81", "name_like \"quote\"=0.5"])
    }
}
