import Foundation
@testable import Export
import SafeOutput
@testable import Simulation
@testable import TraceFormat

/// Small traces of every topic for the export tests, written once per process into a private folder.
enum SampleTraces {
    static let folder: String = {
        let d = FileManager.default.temporaryDirectory.path + "/virtlab-export-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    /// One preset per topic, chosen to cover every field type: enums, strings, packed and
    /// delta fields, intervals, counters.
    static let presets = ["fork-heavy-shadow", "tlb-thrash-nested", "x86-red-pill", "net-paravirtual", "iommu-on",
                          "precopy-busy", "precopy-auto-converge", "postcopy-prepaging"]

    /// Settings beyond the preset's, so that every event kind of every topic occurs in some sample.
    static let extras: [String: [String: ScenarioValue]] = [
        "tlb-thrash-nested": ["memory.trace.detail": .text("walks")], // page_walk events
        "postcopy-prepaging": ["migration.postcopy.source_failure_ms": .real(200)], // source_failure
        "fork-heavy-shadow": ["memory.workload.accesses": .integer(210_000)], // two forks: process, context_switch, tlb_flush
        "precopy-auto-converge": ["migration.vm.memory_mib": .integer(2_048), "migration.workload.hot_pages": .integer(16_384)], // throttle
    ]

    /// A finished trace of preset `name` made small, with `seed`; the same path for the same arguments.
    /// `large` makes an I/O run of several blocks.
    static func trace(_ name: String, seed: UInt64? = nil, large: Bool = false, in dir: String = folder) throws -> String {
        let path = "\(dir)/\(name)\(seed.map { "-s\($0)" } ?? "")\(large ? "-large" : "").vlt"
        if FileManager.default.fileExists(atPath: path) { return path }
        let preset = Preset.named(name)!
        var o = preset.overrides
        switch preset.topic {
        case .memory: o["memory.workload.accesses"] = .integer(30_000)
        case .cpu: o["cpu.workload.instructions"] = .integer(200_000)
        case .io: o["io.requests"] = .integer(large ? 60_000 : 3_000)
        case .migration: o["migration.vm.memory_mib"] = .integer(64); o["migration.workload.hot_pages"] = .integer(1_024)
        }
        o.merge(extras[name] ?? [:]) { $1 }
        var s = try Preset(name: name, topic: preset.topic, summary: preset.summary, seed: preset.seed, overrides: o).scenario()
        if let seed { s.seed = seed }
        let out = try OutputFile.open(path)
        let writer = try TraceWriter(sink: out, header: try Runner.header(for: s))
        let metrics = try Runner.run(s, writer: writer)
        try writer.close(summary: metrics)
        return path
    }

    /// A fresh path in the private folder.
    static func scratch(_ ext: String) -> String { "\(folder)/\(UUID().uuidString).\(ext)" }

    /// `virtlab export --format jsonl` of a trace, as parsed JSON objects.
    static func jsonl(_ path: String) throws -> [[String: Any]] {
        let out = scratch("jsonl")
        defer { unlink(out) }
        try OutputFile.writing(out) { f in
            let o = FileHandleOutput(f)
            try TextExport.export(try TraceReader(path: path), format: .jsonl, to: o)
            try o.flush()
        }
        let text = try String(contentsOfFile: out, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
    }
}
