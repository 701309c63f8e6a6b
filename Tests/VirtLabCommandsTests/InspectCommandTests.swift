import Course
import Foundation
import SafeOutput
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import TraceFormat
@testable import VirtLabCommands
import Reports

struct InspectCommandTests {
    @Test func inspectEscapesControlCharactersFromASharedTrace() throws {
        let dir = TestFixtures.folder("escape")
        defer { removeTree(dir) }
        let source = try TraceReader(path: try Fixtures.smallTrace(in: dir))
        var header = source.header
        header.metadata = header.metadata.map { $0.key == "scenario_name" ? (key: $0.key, value: "evil\u{1B}]0;pwned\u{07}\u{202E}") : $0 }
        let path = "\(dir)/evil.vlt"
        let w = try TraceWriter(path: path, header: header)
        try source.scan { try w.append($0.owned) }
        try w.close(summary: source.summary ?? [])
        let r = try Fixtures.cli(["inspect", path])
        expectEqual(r.status, 0)
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(r.stdout.contains("evil\\u{1B}]0;pwned\\u{7}\\u{202E}"), "\(r.stdout.prefix(300))")
    }
}
