import Foundation
import SafeOutput
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import TraceFormat
@testable import Course

struct RunsTests {
    @Test func runTwiceGivesIdenticalTraces() throws {
        let dir = TestFixtures.folder("twice")
        defer { removeTree(dir) }
        let s = try TestFixtures.smallMemory()
        let (eventsA, metricsA) = try Runs.simulate(s, to: dir + "/a.vlt")
        let (eventsB, _) = try Runs.simulate(s, to: dir + "/b.vlt")
        expectEqual(eventsA, eventsB)
        expectGreater(eventsA, 0)
        expectEqual(readFile(dir + "/a.vlt"), readFile(dir + "/b.vlt"))
        // What `simulate` returns is what the trace holds: its events and its summary.
        let reader = try TraceReader(path: dir + "/a.vlt")
        expectEqual(reader.footer?.totalEvents, eventsA)
        expectEqual(reader.summary?.map(\.name), metricsA.map(\.name))
        expectEqual(reader.header.seed, s.seed)
    }

    /// A run that fails writes nothing under its name: the partial file is abandoned.
    @Test func aFailedRunLeavesNoTrace() throws {
        let dir = TestFixtures.folder("failed")
        defer { removeTree(dir) }
        let s = try TestFixtures.smallMemory()
        #expect(throws: (any Error).self) { try Runs.simulate(s, to: dir + "/missing-folder/t.vlt") }
        #expect(directoryNames(dir).isEmpty)
    }

    /// A small run passes without `--yes`; a large one is refused with what it would cost and
    /// which key to lower, and passes once confirmed.
    @Test func aLargeRunNeedsConfirmation() throws {
        let dir = TestFixtures.folder("cost")
        defer { removeTree(dir) }
        try Runs.checkCost(try TestFixtures.smallMemory(), writingTo: dir + "/t.vlt", confirmed: false, quiet: true)
        let big = try ScenarioDecoder.decode(text: Preset.named(.tlbThrashNative).yaml
            .replacingOccurrences(of: "accesses: 2000000", with: "accesses: 2000000000"), source: "big")
        do {
            try Runs.checkCost(big, writingTo: dir + "/t.vlt", confirmed: false, quiet: true)
            Issue.record("a two-billion-access run passed without --yes")
        } catch let e as CourseError {
            expectContains("\(e)", "--yes", "\(e)")
            expectContains("\(e)", "memory.workload.accesses", "\(e)")
        }
        try Runs.checkCost(big, writingTo: dir + "/t.vlt", confirmed: true, quiet: true)
        #expect(directoryNames(dir).isEmpty, "checking the cost writes nothing")
    }

    @Test func defaultPathsAreSafeFileNames() {
        #expect(Runs.defaultPath(for: "a/b c").hasSuffix("a-b-c.vlt"))
        #expect(Runs.defaultPath(for: "").hasSuffix("run.vlt"))
        expectLacks(Runs.defaultPath(for: "../../etc/passwd"), "/..")
        expectGreater(Runs.freeBytes(near: NSTemporaryDirectory() + "x.vlt") ?? 0, 0)
    }
}
