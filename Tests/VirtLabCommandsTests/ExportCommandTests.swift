import Course
import Analysis
import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
import SafeOutput
import TraceFormat
import Charts
@testable import VirtLabCommands
import Reports

struct ExportCommandTests {
    @Test func exportsStreamEveryEvent() throws {
        let trace = Fixtures.tracePath("export")
        defer { unlink(trace) }
        let (events, _) = try Runs.simulate(try TestFixtures.smallMemory(), to: trace)
        for format in ExportCommand.ExportFormat.allCases where format != .sqlite && format != .npz {
            let out = "\(Fixtures.dir)/virtlab-export-\(UUID().uuidString).\(format)"
            defer { unlink(out) }
            let cmd = try ExportCommand.parse([trace, "--format", format.rawValue, "-o", out])
            try cmd.run()
            let text = try String(contentsOfFile: out, encoding: .utf8)
            let lines = text.split(separator: "\n")
            switch format {
            case .csv:
                expectEqual(lines.count, Int(events) + 1)
                #expect(lines[0].hasPrefix("time_ns,kind,category,page,fault,vcpu,accesses,tlb_hits,tlb_misses,walk_refs,page_faults,exits,refs,reason,duration"))
                expectContains(lines[1], ",page_fault,memory,")
                expectContains(lines[1], "not_present")
            case .jsonl:
                expectEqual(lines.count, Int(events))
                for line in lines.prefix(50) { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
            case .chrome:
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                let list = try #require(object["traceEvents"] as? [[String: Any]])
                expectEqual(list.filter { $0["ph"] as? String != "M" }.count, Int(events))
                #expect(list.contains { $0["ph"] as? String == "C" })
                #expect(list.contains { $0["ph"] as? String == "i" })
            case .sqlite, .npz:
                Issue.record("binary formats are tested in ExportTests and below")
            }
        }
    }

    @Test func chromeIntervalsStartDurationBeforeTheirStamp() throws {
        let schema = try Schema([EventKind(id: 1, name: "vm_exit", category: .cpu, shape: .interval, fields: [
            FieldSpec("reason", .enumeration(["io"])), FieldSpec("duration", .duration), FieldSpec("vcpu", .unsigned),
        ])])
        let trace = Fixtures.tracePath("chrome")
        let out = trace + ".json"
        defer { unlink(trace); unlink(out) }
        let w = try TraceWriter(path: trace, header: TraceHeader(writerVersion: "t", seed: 1, schema: schema))
        try w.append(1, at: 5_500, 0, 1_500, 1)
        try w.close(summary: [])
        let cmd = try ExportCommand.parse([trace, "--format", "chrome", "-o", out])
        try cmd.run()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let x = (object["traceEvents"] as! [[String: Any]]).first { $0["ph"] as? String == "X" }!
        expectEqual(x["ts"] as? Double, 4.0)
        expectEqual(x["dur"] as? Double, 1.5)
        expectEqual(x["tid"] as? Int, 2)
    }

    @Test func exportSQLiteIsAFileAndNothingIsHalfWritten() throws {
        let dir = TestFixtures.folder("export-sqlite")
        defer { removeTree(dir) }
        let trace = try QueryCommandTests.trace(dir)
        let toStdout = try Fixtures.cli(["export", trace, "--format", "sqlite"])
        expectEqual(toStdout.status, 2)
        expectContains(toStdout.stderr, "-o FILE.db")
        let db = "\(dir)/run.db"
        try expectEqual(Fixtures.cli(["export", trace, "--format", "sqlite", "-o", db]).status, 0)
        #expect(fileExists(db))
        // A trace cut short: the reader's offset error, and no database.
        let bytes = readFile(trace)!
        try OutputFile.write(Array(bytes.prefix(bytes.count / 2)), to: "\(dir)/cut.vlt")
        let cut = try Fixtures.cli(["export", "\(dir)/cut.vlt", "--format", "sqlite", "-o", "\(dir)/cut.db"])
        expectEqual(cut.status, 2)
        #expect(cut.stderr.contains("byte") || cut.stderr.contains("offset"), "\(cut.stderr)")
        #expect(!fileExists("\(dir)/cut.db"))
        #expect(!directoryNames(dir).contains { $0.hasSuffix(".partial") })
        // --salvage exports what is intact.
        try expectEqual(Fixtures.cli(["export", "\(dir)/cut.vlt", "--format", "sqlite", "--salvage", "-o", "\(dir)/cut.db"]).status, 0)
        let unknown = try Fixtures.cli(["export", trace, "--format", "npz", "--kind", "page_fault", "-o", "\(dir)/x.npz"])
        expectEqual(unknown.status, 2)
        expectContains(unknown.stderr, "vm_exit", "the message lists the kinds there are")
    }

    @Test func exportIntoADeviceAFIFOAndALinkWritesThrough() throws {
        let dir = TestFixtures.folder("special")
        defer { removeTree(dir) }
        let trace = try Fixtures.smallTrace(in: dir)
        if mknod("\(dir)/null", S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 {
            let r = try Fixtures.cli(["export", trace, "--format", "csv", "-o", "\(dir)/null"])
            expectEqual(r.status, 0, "\(r.stderr)")
            expectEqual(Fixtures.fileType("\(dir)/null"), S_IFCHR, "the device node was replaced")
        } else {
            print("skipped the device part: cannot mknod here")
        }
        // A symbolic link: its target gets the CSV, the link stays.
        try OutputFile.write(text: "old", to: "\(dir)/target.csv")
        symlink("\(dir)/target.csv", "\(dir)/link.csv")
        let l = try Fixtures.cli(["export", trace, "--format", "csv", "-o", "\(dir)/link.csv"])
        expectEqual(l.status, 0, "\(l.stderr)")
        expectEqual(Fixtures.fileType("\(dir)/link.csv"), S_IFLNK)
        #expect(String(decoding: readFile("\(dir)/target.csv") ?? [], as: UTF8.self).hasPrefix("time_ns,kind"))
        // /dev/stdout is standard output.
        let s = try Fixtures.cli(["export", trace, "--format", "jsonl", "-o", "/dev/stdout"])
        expectEqual(s.status, 0)
        #expect(s.stdout.hasPrefix("{\"time_ns\":"))
    }

    @Test func swappedDroppedRepeatedAndForeignBlocksAreCaught() throws {
        let dir = TestFixtures.folder("blocks")
        defer { removeTree(dir) }
        let trace = try Fixtures.smallTrace(in: dir)
        let (head, blocks, tail) = try ReliabilityTests.blocks(trace)
        try #require(blocks.count >= 3, "the sample trace needs three blocks")
        let foreignPath = try Fixtures.smallTrace(in: dir, seed: 99, name: "other")
        let foreign = try ReliabilityTests.blocks(foreignPath).blocks
        let cases: [(String, [UInt8])] = [
            ("swapped", head + blocks[0] + blocks[2] + blocks[1] + blocks[3...].flatMap { $0 } + tail),
            ("dropped", head + blocks[0] + blocks[2...].flatMap { $0 } + tail),
            ("repeated", head + blocks[0] + blocks[1] + blocks[1...].flatMap { $0 } + tail),
            ("foreign", head + blocks[0] + foreign[1] + blocks[2...].flatMap { $0 } + tail),
            ("concatenated", readFile(trace)! + readFile(foreignPath)!),
            ("cut at a block boundary", head + blocks[0] + blocks[1]),
        ]
        for (what, bytes) in cases {
            let path = "\(dir)/\(what.replacingOccurrences(of: " ", with: "-")).vlt"
            try OutputFile.write(bytes, to: path)
            let strict = try Fixtures.cli(["export", path, "--format", "jsonl", "-o", "\(dir)/out.jsonl"])
            expectEqual(strict.status, 2, "\(what): strict export exited \(strict.status)")
            expectContains(strict.stderr, "byte", "\(what): \(strict.stderr)")
            #expect(!fileExists("\(dir)/out.jsonl"), "\(what): a failed export left its output")
            for args in [["inspect", path, "--salvage"], ["report", path, "--salvage", "-o", "\(dir)/salvaged-\(what.count)"]] {
                let r = try Fixtures.cli(args)
                #expect(r.status == 0 || r.status == 2, "\(what) \(args[0]) --salvage: status \(r.status) \(r.stderr)")
            }
        }
    }

    @Test func aFullStandardOutputIsAFailure() throws {
        guard Fixtures.fileType("/dev/full") == S_IFCHR else { return }
        for args in [["scenarios", "show", "fork-heavy-shadow"], ["scenarios", "list"], ["isa", "list"]] {
            let r = try Fixtures.cli(args, stdoutPath: "/dev/full")
            expectEqual(r.status, 1, "\(args): \(r.status) \(r.stderr)")
            expectContains(r.stderr, "No space left", "\(r.stderr)")
        }
        let dir = TestFixtures.folder("full")
        defer { removeTree(dir) }
        let trace = try Fixtures.smallTrace(in: dir)
        let e = try Fixtures.cli(["export", trace, "--format", "csv", "-o", "/dev/full"])
        expectEqual(e.status, 1, "\(e.stderr)")
        expectEqual(Fixtures.fileType("/dev/full"), S_IFCHR)
    }
}
