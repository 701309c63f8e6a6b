import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Charts

struct CanvasTests {
    func draw(_ format: FigureFormat, to path: String) throws {
        let c = try Canvas(width: 200, height: 100, format: format, path: path)
        c.fill(x: 0, y: 0, width: 200, height: 100, color: RGB(1, 1, 1))
        c.fill(x: 10, y: 10, width: 50, height: 50, color: RGB(hex: 0x0072B2))
        c.text("vm_exit", x: 80, y: 40, size: 14, color: RGB(0, 0, 0))
        try c.finish()
    }

    @Test(arguments: FigureFormat.allCases)
    func sameDrawingGivesIdenticalBytes(_ format: FigureFormat) throws {
        let dir = FileManager.default.temporaryDirectory.path
        let a = "\(dir)/virtlab-canvas-a-\(UUID().uuidString).\(format)", b = "\(dir)/virtlab-canvas-b-\(UUID().uuidString).\(format)"
        defer { unlink(a); unlink(b) }
        try draw(format, to: a)
        try draw(format, to: b)
        let da = try Data(contentsOf: URL(fileURLWithPath: a)), db = try Data(contentsOf: URL(fileURLWithPath: b))
        expectEqual(da, db)
        switch format {
        case .pdf: #expect(da.starts(with: Array("%PDF".utf8)))
        case .svg:
            let text = String(decoding: da, as: UTF8.self)
            expectContains(text, "<svg")
            expectContains(text, "width=\"200\"")
            expectContains(text, ">vm_exit</text>")
        case .png: #expect(da.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test func zeroSizeIsRefused() {
        #expect(throws: ChartError.badSize(width: 0, height: 10)) {
            try Canvas(width: 0, height: 10, format: .png, path: "/tmp/never.png")
        }
    }

    @Test func unwritablePathIsATypedError() throws {
        let c = try Canvas(width: 10, height: 10, format: .png, path: "/nonexistent-dir/x.png")
        #expect(throws: OutputError.self) { try c.finish() }
    }

    @Test func fitKeepsTheLongestPrefixThatFits() throws {
        let c = try Canvas(width: 400, height: 100, format: .png, path: "/tmp/never-written.png")
        expectEqual(c.fit("short", width: 300, size: 12), "short")
        let long = String(repeating: "abcdefghij", count: 8_000)
        let fitted = c.fit(long, width: 300, size: 12)
        #expect(fitted.hasSuffix("…"))
        expectAtMost(c.measure(fitted, size: 12).width, 300)
        // One more character would not fit: the prefix is the longest.
        let n = fitted.count - 1
        expectGreater(c.measure(String(long.prefix(n + 1)) + "…", size: 12).width, 300)
        expectEqual(c.fit(long, width: 1, size: 12, keep: 3), "abc…")
    }
}
