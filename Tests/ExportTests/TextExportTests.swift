import Foundation
import SafeOutput
import Testing
import TestKit
import TraceFormat
@testable import Export

/// Each topic's sample trace as CSV, JSON Lines and Chrome JSON: one row or object per event,
/// every field with its name, enumerations by name, and a kind filter that keeps only its kinds.
struct TextExportTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Traces/samples").path

    static func export(_ topic: String, _ format: TextExport.Format, positions: Set<Int>? = nil) throws -> (TraceReader, String) {
        let reader = try TraceReader(path: "\(samples)/\(topic)-sample.vlt")
        let path = NSTemporaryDirectory() + "virtlab-text-\(UUID().uuidString)"
        defer { unlink(path) }
        try OutputFile.writing(path) { f in
            let out = FileHandleOutput(f)
            try TextExport.export(reader, format: format, to: out, positions: positions)
            try out.flush()
        }
        return (reader, String(decoding: readFile(path) ?? [], as: UTF8.self))
    }

    @Test(arguments: ["memory", "cpu", "io", "migration"])
    func jsonLinesHaveEveryEventWithItsFields(topic: String) throws {
        let (reader, text) = try Self.export(topic, .jsonl)
        let events = try reader.events()
        let lines = text.split(separator: "\n")
        expectEqual(lines.count, events.count)
        for (line, e) in zip(lines, events).prefix(2_000) {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let kind = try #require(reader.header.schema.kind(id: e.kind))
            expectEqual(o["time_ns"] as? UInt64, e.time)
            expectEqual(o["kind"] as? String, kind.name)
            for (i, f) in kind.fields.enumerated() {
                if case let .enumeration(names) = f.type {
                    expectEqual(o[f.name] as? String, names[Int(e.fields[i])], "\(kind.name).\(f.name)")
                } else if case .unsigned = f.type {
                    expectEqual(o[f.name] as? UInt64, e.fields[i], "\(kind.name).\(f.name)")
                } else {
                    #expect(o[f.name] != nil, "\(kind.name).\(f.name)")
                }
            }
        }
    }

    @Test(arguments: ["memory", "migration"])
    func csvHasAHeaderAndARowPerEventWithTheSameColumns(topic: String) throws {
        let (reader, text) = try Self.export(topic, .csv)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        expectEqual(lines.count, (try reader.events().count) + 1)
        let header = lines.first!.split(separator: ",", omittingEmptySubsequences: false)
        expectEqual(header.prefix(3), ["time_ns", "kind", "category"])
        for line in lines.dropFirst().prefix(2_000) {
            expectEqual(line.split(separator: ",", omittingEmptySubsequences: false).count, header.count, "\(line)")
        }
    }

    /// Chrome JSON parses; complete events carry a duration, counters their values; metadata names the run.
    @Test func chromeJSONParsesWithEveryEvent() throws {
        let (reader, text) = try Self.export("io", .chrome)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let list = try #require(o["traceEvents"] as? [[String: Any]])
        expectEqual(list.filter { $0["ph"] as? String != "M" }.count, try reader.events().count)
        #expect(list.contains { $0["ph"] as? String == "X" && $0["dur"] != nil })
        expectEqual((o["otherData"] as? [String: Any])?["seed"] as? String, String(reader.header.seed))
    }

    @Test func aKindFilterKeepsOnlyItsKinds() throws {
        let reader = try TraceReader(path: "\(Self.samples)/cpu-sample.vlt")
        let position = try #require(reader.header.schema.kinds.firstIndex { $0.name == "vm_exit" })
        let (_, text) = try Self.export("cpu", .jsonl, positions: [position])
        let lines = text.split(separator: "\n")
        #expect(lines.count == (try reader.events().filter { $0.kind == reader.header.schema.kinds[position].id }.count) && !lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains("\"kind\": \"vm_exit\"") || $0.contains("\"kind\":\"vm_exit\"") })
    }
}
