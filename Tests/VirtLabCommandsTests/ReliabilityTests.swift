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

/// Every reproducer of the reliability review, kept as a regression test: the built `virtlab`
/// run as a user would, in a scratch folder (special files made there — never the real /dev/null).
@Suite(.serialized) struct ReliabilityTests {
    // MARK: 1 — `-o` never replaces a special file

    // MARK: 2 — a folder VirtLab did not make is never deleted

    final class StatusBox: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int32] = []
        func add(_ v: Int32) { lock.lock(); values.append(v); lock.unlock() }
        var all: [Int32] { lock.lock(); defer { lock.unlock() }; return values }
    }

    // MARK: 3 — sweeps

    // MARK: 4 — numbers from users

    // MARK: 5 — traces are untrusted input

    /// A trace whose summary holds extreme finite values and whose events end at 2^64 − 1.
    static func hostileTrace(in dir: String) throws -> String {
        let source = try TraceReader(path: try Fixtures.smallTrace(in: dir))
        let events = try source.events()
        let shift = UInt64.max - events.last!.time
        let extremes: [Double] = [1e300, -1.7e308, .leastNonzeroMagnitude, 1e19, -1e19, 1.7976931348623157e308]
        let metrics = (source.summary ?? []).enumerated().map { i, m in Metric(m.name, extremes[i % extremes.count], m.unit) }
        let path = "\(dir)/hostile.vlt"
        let w = try TraceWriter(path: path, header: source.header)
        for e in events { try w.append(Event(kind: e.kind, time: e.time + shift, fields: e.fields)) }
        try w.close(summary: metrics)
        return path
    }

    @Test func extremeValuesAndTimesNeverCrashAReader() throws {
        let dir = TestFixtures.folder("hostile")
        defer { removeTree(dir) }
        let trace = try Self.hostileTrace(in: dir)
        for args in [["inspect", trace], ["inspect", trace, "--json"], ["report", trace, "-o", "\(dir)/r"],
                     ["render", trace, "--chart", "timeline", "-o", "\(dir)/t.png"], ["export", trace, "--format", "chrome", "-o", "\(dir)/c.json"]] {
            let r = try Fixtures.cli(args)
            #expect(r.status == 0 || r.status == 2, "\(args[0]): status \(r.status) \(r.stderr)")
        }
    }

    @Test func nonFiniteResultsAreRefusedByTheWriterAndTheReader() throws {
        let dir = TestFixtures.folder("nan")
        defer { removeTree(dir) }
        let source = try TraceReader(path: try Fixtures.smallTrace(in: dir))
        let w = try TraceWriter(path: "\(dir)/nan.vlt", header: source.header)
        #expect(throws: TraceError.self) { try w.close(summary: [Metric("x", .nan, "count")]) }
    }

    // MARK: 6 — damage the CRC cannot see

    /// The bytes of each block of a closed trace, and what is before and after them.
    static func blocks(_ path: String) throws -> (head: [UInt8], blocks: [[UInt8]], tail: [UInt8]) {
        let reader = try TraceReader(path: path)
        let bytes = readFile(path)!
        let footer = try #require(reader.footer)
        let end = Int(footer.summaryOffset != 0 ? footer.summaryOffset : footer.indexOffset)
        let offsets = footer.blocks.map { Int($0.offset) } + [end]
        return (Array(bytes[..<offsets[0]]), (0..<footer.blocks.count).map { Array(bytes[offsets[$0]..<offsets[$0 + 1]]) }, Array(bytes[end...]))
    }

    // MARK: 7 — write errors are failures

    // MARK: 8 — names

    @Test func controlCharactersAreRefusedInNamesAndEscapedOnTerminals() throws {
        for bad in ["a\u{1B}[31mred", "bell\u{07}", "rtl\u{202E}gnp.exe"] {
            let yaml = "name: \"\(bad.unicodeScalars.map { $0.value < 0x20 ? "\\x" + String($0.value, radix: 16) : String($0) }.joined())\"\ntopic: memory\n"
            #expect(throws: ScenarioError.self, "\(bad)") { try ScenarioDecoder.decode(text: yaml, source: "t") }
        }
        expectEqual(Format.terminalSafe("a\u{1B}[31m\u{0}b\u{202E}c"), "a\\u{1B}[31m\\u{0}b\\u{202E}c")
        expectEqual(Format.terminalSafe("plain – ünïcode ✓"), "plain – ünïcode ✓")
    }

    @Test func aSweepFileNamedDotsIsRefusedNotBuiltIntoTheSiteRoot() throws {
        let dir = TestFixtures.folder("dots")
        defer { removeTree(dir) }
        try makeDirectory("\(dir)/sweeps")
        try OutputFile.write(text: "sweep:\n  scenario: net-native\n  vary:\n    - io.requests=200,400\n", to: "\(dir)/sweeps/sweep-...yaml")
        #expect(throws: CourseError.self) {
            _ = try CourseBuilder.build(output: "\(dir)/site", sweeps: "\(dir)/sweeps", presets: Array(TestFixtures.tinyPresets.prefix(1)))
        }
        #expect(!fileExists("\(dir)/site"))
    }

    // MARK: 9 — resources

}

/// Wherever round 1 of pre-copy is drawn short, the figure says why.
struct FirstRoundNoteTests {
    @Test func aShortFirstRoundIsExplained() throws {
        let dir = TestFixtures.folder("round1")
        defer { removeTree(dir) }
        for (skip, explained) in [("yes", true), ("no", false)] {
            let yaml = Preset.named("precopy-busy")!.yaml.replacingOccurrences(of: "skip_redirtied: \"yes\"", with: "skip_redirtied: \"\(skip)\"")
            let s = try ScenarioDecoder.decode(text: yaml, source: "busy")
            let path = "\(dir)/busy-\(skip).vlt"
            _ = try Runs.simulate(s, to: path)
            let caption = try FigureCatalog.chart(.rounds, TraceReader(path: path)).caption()
            expectEqual(caption.contains("Round 1 sent"), explained, "skip_redirtied \(skip): \(caption)")
        }
    }
}
