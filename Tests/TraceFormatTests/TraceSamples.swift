import Foundation
@testable import TraceFormat

/// Builders shared by the trace-format tests.
enum TraceSamples {
    /// A schema with every field type, delta coding, and an interval kind.
    static func schema() throws -> Schema {
        try Schema([
            EventKind(id: 1, name: "page_fault", category: .memory, fields: [
                FieldSpec("page", .unsigned, delta: true), FieldSpec("fault", .enumeration(["not_present", "protection", "copy_on_write"])),
            ]),
            EventKind(id: 7, name: "vm_exit", category: .cpu, shape: .interval, fields: [
                FieldSpec("reason", .enumeration(["pt_write", "hidden_fault", "cr3_write"])), FieldSpec("duration", .duration),
                FieldSpec("vcpu", .unsigned),
            ]),
            EventKind(id: 8, name: "packed", category: .io, fields: [
                FieldSpec("op", .enumeration(["read", "write", "flush"]), packed: true), FieldSpec("bytes", .unsigned),
                FieldSpec("vm", .unsigned, bits: 32), FieldSpec("device", .enumeration(["nic"]), packed: true),
                FieldSpec("queue", .unsigned, bits: 28),
            ]),
            EventKind(id: 9, name: "balance", category: .counter, shape: .counter, fields: [
                FieldSpec("delta", .signed, delta: true), FieldSpec("level", .signed),
            ]),
            EventKind(id: 12, name: "label", category: .run, fields: [FieldSpec("text", .string)]),
            EventKind(id: 13, name: "tick", category: .run, fields: []),
        ])
    }

    static func header(seed: UInt64 = 7, strings: [String] = ["", "alpha", "βeta ✓", String(repeating: "x", count: 300)]) throws -> TraceHeader {
        TraceHeader(writerVersion: "test", seed: seed,
                    metadata: [(key: "scenario", value: "name: t\ntopic: memory\n"), (key: "empty", value: "")],
                    strings: strings, schema: try schema())
    }

    /// A random, valid event stream for `header`: extreme values, zero and huge time steps.
    static func events(count: Int, seed: UInt64, header: TraceHeader) -> [Event] {
        var rng = SeededGenerator(seed: seed)
        var time: UInt64 = 0
        let extremes: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, UInt64(Int64.max), UInt64.max - 1, UInt64.max]
        func value() -> UInt64 { rng.next() % 4 == 0 ? extremes[Int(rng.next() % UInt64(extremes.count))] : rng.next() >> (rng.next() % 64) }
        var out: [Event] = []
        for _ in 0..<count {
            switch rng.next() % 10 {
            case 0: time = time &+ 0
            case 1:
                let step = rng.next() >> 8
                if time < UInt64.max / 2 { time += step }
            default: time = time &+ rng.next() % 500
            }
            let kind = header.schema.kinds[Int(rng.next() % UInt64(header.schema.kinds.count))]
            let fields: [UInt64] = kind.fields.map { f in
                switch f.type {
                case let .enumeration(values): return rng.next() % UInt64(values.count)
                case .unsigned where f.isPacked: return [0, (1 << UInt64(f.packedBits)) - 1, rng.next() >> UInt64(64 - f.packedBits)][Int(rng.next() % 3)]
                case .string: return rng.next() % UInt64(header.strings.count)
                case .unsigned, .signed, .duration: return value()
                }
            }
            out.append(Event(kind: kind.id, time: time, fields: fields))
        }
        return out
    }

    /// Writes events to a new temporary file and returns its path.
    static func write(_ events: [Event], header: TraceHeader, blockSize: Int = 256, close: Bool = true,
                      summary: [Metric] = [Metric("answer", 42, "count"), Metric("ratio", 0.25, "ratio")]) throws -> String {
        let path = temporaryPath("trace")
        let w = try TraceWriter(path: path, header: header, blockSize: blockSize)
        for e in events { try w.append(e) }
        if close { try w.close(summary: summary) } else { try w.flush() }
        return path
    }

    static func temporaryPath(_ stem: String) -> String {
        let dir = FileManager.default.temporaryDirectory.path
        return "\(dir)/virtlab-test-\(stem)-\(UUID().uuidString).vlt"
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func store(_ bytes: [UInt8]) throws -> String {
        let path = temporaryPath("bytes")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Offsets of every block, from the index of a closed file.
    static func blockOffsets(_ path: String) throws -> [BlockIndexEntry] {
        try TraceReader(path: path).footer!.blocks
    }
}

/// A small deterministic generator for test data (independent of the simulator's).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var x = state
        x ^= x >> 33
        x = x &* 0xFF51_AFD7_ED55_8CCD
        return x ^ (x >> 33)
    }
}
