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

/// scripts/vlt.py is a reader written from docs/trace-format.md alone: if it decodes what the
/// writer wrote exactly as `virtlab export --format jsonl` does, the specification is complete.
struct SpecificationReaderTests {

    /// Runs scripts/vlt.py on a trace; its standard output.
    static func pythonExport(_ trace: String) throws -> Data {
        let result = try Python.run(TestFixtures.repoRoot + "/scripts/vlt.py", script: true, [trace])
        #expect(result.succeeded, "\(result.problems)")
        return result.output
    }

    static func swiftExport(_ trace: String) throws -> Data {
        let out = trace + ".jsonl"
        defer { unlink(out) }
        let cmd = try ExportCommand.parse([trace, "--format", "jsonl", "-o", out])
        try cmd.run()
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// Every field type and flag, with hostile strings, over several blocks.
    @Test(.enabled(if: Python.path != nil, "needs python3"))
    func aReaderWrittenFromTheSpecAgreesOnEveryFieldType() throws {
        let kinds = [
            EventKind(id: 3, name: "everything", category: .memory, fields: [
                FieldSpec("u", .unsigned), FieldSpec("s", .signed), FieldSpec("du", .unsigned, delta: true), FieldSpec("ds", .signed, delta: true),
                FieldSpec("e", .enumeration(["zero", "one", "two"])), FieldSpec("pe", .enumeration(["a", "b", "c", "d", "e"]), packed: true),
                FieldSpec("pu", .unsigned, bits: 12), FieldSpec("text", .string), FieldSpec("duration", .duration),
            ]),
            EventKind(id: 900, name: "tick", category: .run, fields: []),
            EventKind(id: 17, name: "span", category: .io, shape: .interval, fields: [FieldSpec("duration", .duration), FieldSpec("vcpu", .unsigned, bits: 6)]),
        ]
        let strings = ["", "plain", "quote \" and \\ backslash", "tab\tnewline\ncontrol\u{1}", "βeta ✓ 🚀"]
        let header = TraceHeader(writerVersion: "test", seed: 9, metadata: [(key: "scenario_name", value: "spec \"reader\"")],
                                 strings: strings, schema: try Schema(kinds))
        let trace = Fixtures.tracePath("spec-reader")
        defer { unlink(trace) }
        let w = try TraceWriter(path: trace, header: header, blockSize: 512)
        var rng = SplitMix64(seed: 5)
        var time: UInt64 = 0
        for i in 0..<3_000 {
            time &+= rng.below(4) == 0 ? 0 : rng.below(1_000_000)
            switch i % 3 {
            case 0:
                let big = rng.below(2) == 0 ? UInt64.max - rng.below(1_000) : rng.below(300)
                try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 9) { f in
                    f[0] = big; f[1] = UInt64(bitPattern: Int64(rng.below(2_000)) - 1_000); f[2] = rng.below(1 << 40)
                    f[3] = UInt64(bitPattern: Int64.min + Int64(rng.below(10))); f[4] = rng.below(3); f[5] = rng.below(5)
                    f[6] = rng.below(4_096); f[7] = rng.below(UInt64(strings.count)); f[8] = rng.below(5_000)
                    try w.append(3, at: time, UnsafeBufferPointer(f))
                }
            case 1: try w.append(900, at: time)
            default: try w.append(17, at: time, rng.below(10_000), rng.below(64))
            }
        }
        try w.close(summary: [Metric("events", 3_000, "count"), Metric("pi", 3.14159, "")])
        let expected = try Self.swiftExport(trace)
        expectGreater(expected.count, 100_000)
        try expectEqual(Self.pythonExport(trace), expected)
    }

    /// Real traces of every topic.
    @Test(.enabled(if: Python.path != nil, "needs python3"), arguments: ["tlb-thrash-nested", "x86-syscall-heavy-binary-translation", "net-paravirtual", "postcopy-prepaging"])
    func aReaderWrittenFromTheSpecAgreesOnEachTopic(_ name: String) throws {
        let trace = Fixtures.tracePath("spec-\(name)")
        defer { unlink(trace) }
        let preset = Preset.named(name)!
        var o = preset.overrides
        switch preset.topic {
        case .memory: o["memory.workload.accesses"] = .integer(20_000)
        case .cpu: o["cpu.workload.instructions"] = .integer(200_000)
        case .io: o["io.requests"] = .integer(2_000)
        case .migration: o["migration.vm.memory_mib"] = .integer(64); o["migration.workload.hot_pages"] = .integer(1_024)
        }
        let s = try Preset(name: name, topic: preset.topic, summary: preset.summary, seed: preset.seed, overrides: o).scenario()
        _ = try Runs.simulate(s, to: trace)
        try expectEqual(Self.pythonExport(trace), try Self.swiftExport(trace))
    }
}
