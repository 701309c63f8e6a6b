import Foundation
import Testing
import TestKit
@testable import TraceFormat

struct JSONTextTests {
    @Test func escapesWhatJSONRequires() {
        expectEqual(JSONText.quoted("plain"), "\"plain\"")
        expectEqual(JSONText.quoted("a\"b\\c\n\r\t"), #""a\"b\\c\n\r\t""#)
        expectEqual(JSONText.quoted("\u{0}\u{1F}\u{7F}"), #""\u0000\u001f\u007f""#)
        expectEqual(JSONText.quoted("ünï ✓ \u{202E}"), "\"ünï ✓ \u{202E}\"")
    }

    /// Any string, quoted, parses back as JSON to itself.
    @Test func everyStringRoundTripsThroughAJSONParser() throws {
        var samples = ["", "\"", "\\", "</script>", "a\u{2028}b", "😀", "tab\there"]
        samples += (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        for s in samples {
            let parsed = try JSONSerialization.jsonObject(with: Data(JSONText.quoted(s).utf8), options: .fragmentsAllowed) as? String
            expectEqual(parsed, s, "\(s.unicodeScalars.map(\.value))")
        }
    }
}
