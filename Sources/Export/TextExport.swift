import TraceFormat
import Vocabulary

/// A trace as text, streamed: CSV (one column per field name), JSON Lines, or Chrome
/// trace-event JSON (Perfetto UI). Memory stays bounded whatever the trace size.
package enum TextExport {
    package enum Format: String, CaseIterable, Sendable { case csv, jsonl, chrome }

    /// Writes every event, or only those of the kinds at `positions` (schema positions).
    package static func export(_ reader: TraceReader, format: Format, to out: FileHandleOutput, positions: Set<Int>? = nil) throws {
        let t = ExportTables(reader.header)
        let keep = reader.header.schema.kinds.indices.map { positions?.contains($0) ?? true }
        switch format {
        case .csv:
            out.append((["time_ns", "kind", "category"] + t.columns).map(ExportText.csv).joined(separator: ",") + "\n")
            try reader.scan { e in
                guard keep[e.position] else { return }
                out.append(decimal: e.time)
                out.append(bytes: t.csvPrefix[e.position])
                let cells = t.csvCells[e.position]
                for c in 0..<cells.count {
                    if c > 0 { out.append(byte: 0x2C) }
                    let f = cells[c]
                    if f >= 0 { t.write(e.fields[f], e.position, f, csv: true, to: out) }
                }
                out.append(byte: 0x0A)
                try out.flushIfFull()
            }
        case .jsonl:
            try reader.scan { e in
                guard keep[e.position] else { return }
                out.append(bytes: t.jsonTime)
                out.append(decimal: e.time)
                out.append(bytes: t.jsonPrefix[e.position])
                for (i, v) in e.fields.enumerated() {
                    out.append(bytes: t.jsonKey[e.position][i])
                    t.write(v, e.position, i, csv: false, to: out)
                }
                out.append(bytes: t.jsonEnd)
                try out.flushIfFull()
            }
        case .chrome:
            try chrome(reader, t, keep, out)
        }
    }

    /// Chrome trace-event JSON: `X` complete events, `i` instants, `C` counters; ts in µs.
    static func chrome(_ reader: TraceReader, _ t: ExportTables, _ keep: [Bool], _ out: FileHandleOutput) throws {
        let title = reader.header[metadata: "scenario_name"] ?? "virtlab"
        out.append("{\"displayTimeUnit\": \"ns\", \"otherData\": {\"scenario\": \(ExportText.json(title)), \"seed\": \"\(reader.header.seed)\"},\n\"traceEvents\": [\n")
        out.append("{\"ph\": \"M\", \"pid\": 1, \"name\": \"process_name\", \"args\": {\"name\": \(ExportText.json("VM: " + title))}}")
        var namedTracks = Set<Int>()
        let kinds = reader.header.schema.kinds
        try reader.scan { e in
            guard keep[e.position] else { return }
            let kind = kinds[e.position]
            let vcpu = t.vcpuField[e.position]
            let track = vcpu.map { Int(e.fields[$0]) + 1 } ?? (1_000 + Int(kind.category.rawValue))
            if namedTracks.insert(track).inserted {
                let label = vcpu != nil ? "vCPU \(track - 1)" : kind.category.name
                out.append(",\n{\"ph\": \"M\", \"pid\": 1, \"tid\": \(track), \"name\": \"thread_name\", \"args\": {\"name\": \"\(label)\"}}")
            }
            out.append(bytes: t.chromePrefix[e.position])
            switch kind.shape {
            case .interval:
                let d = t.durationField[e.position].map { e.fields[$0] } ?? 0
                let start = e.time >= d ? e.time - d : 0
                out.append(bytes: t.chromeTid)
                out.append(decimal: UInt64(track))
                out.append(bytes: t.chromeTs)
                out.append(micros: start)
                out.append(bytes: t.chromeDur)
                out.append(micros: e.time - start)
            case .instant:
                out.append(bytes: t.chromeTid)
                out.append(decimal: UInt64(track))
                out.append(bytes: t.chromeTs)
                out.append(micros: e.time)
            case .counter:
                out.append(bytes: t.chromeTs)
                out.append(micros: e.time)
            }
            out.append(bytes: t.chromeArgs)
            for (i, v) in e.fields.enumerated() {
                out.append(bytes: t.chromeKey[e.position][i])
                t.write(v, e.position, i, csv: false, to: out)
            }
            out.append(bytes: t.chromeEnd)
            try out.flushIfFull()
        }
        out.append("\n]}\n")
    }
}

/// Everything about a schema that export writes again and again, rendered to bytes once.
package struct ExportTables {
    enum Value { case unsigned, signed, text(csv: [[UInt8]], json: [[UInt8]]) }

    /// The union of field names, in order of first appearance in the schema.
    let columns: [String]
    /// `[position]` → for each CSV column, the field index or -1.
    let csvCells: [[Int]]
    /// `[position]` → ",kind,category,".
    let csvPrefix: [[UInt8]]
    let jsonTime = Array("{\"time_ns\": ".utf8)
    /// `[position]` → `, "kind": "…", "category": "…"`.
    let jsonPrefix: [[UInt8]]
    /// `[position][field]` → `, "name": `.
    let jsonKey: [[[UInt8]]]
    let jsonEnd = Array("}\n".utf8)
    /// `[position]` → `,\n{"ph": "X", "pid": 1, "name": "…", "cat": "…"`.
    let chromePrefix: [[UInt8]]
    let chromeTid = Array(", \"tid\": ".utf8)
    let chromeTs = Array(", \"ts\": ".utf8)
    let chromeDur = Array(", \"dur\": ".utf8)
    let chromeArgs = Array(", \"args\": {".utf8)
    /// `[position][field]` → `"name": ` with a leading `, ` after the first.
    let chromeKey: [[[UInt8]]]
    let chromeEnd = Array("}}".utf8)
    let values: [[Value]]
    let vcpuField: [Int?]
    let durationField: [Int?]

    package init(_ header: TraceHeader) {
        let kinds = header.schema.kinds
        var columns: [String] = []
        var fieldColumn: [[Int]] = []
        for k in kinds {
            fieldColumn.append(k.fields.map { f in
                if let i = columns.firstIndex(of: f.name) { return i }
                columns.append(f.name)
                return columns.count - 1
            })
        }
        self.columns = columns
        csvCells = fieldColumn.map { map in
            var cells = [Int](repeating: -1, count: columns.count)
            for (f, c) in map.enumerated() { cells[c] = f }
            return cells
        }
        csvPrefix = kinds.map { Array(",\(ExportText.csv($0.name)),\($0.category.name),".utf8) }
        jsonPrefix = kinds.map { Array(", \"kind\": \(ExportText.json($0.name)), \"category\": \"\($0.category.name)\"".utf8) }
        jsonKey = kinds.map { $0.fields.map { Array(", \(ExportText.json($0.name)): ".utf8) } }
        chromePrefix = kinds.map { k in
            let ph: String
            switch k.shape {
            case .interval: ph = "\"ph\": \"X\""
            case .instant: ph = "\"ph\": \"i\", \"s\": \"t\""
            case .counter: ph = "\"ph\": \"C\""
            }
            return Array(",\n{\(ph), \"pid\": 1, \"name\": \(ExportText.json(k.name)), \"cat\": \"\(k.category.name)\"".utf8)
        }
        chromeKey = kinds.map { k in k.fields.enumerated().map { i, f in Array(((i > 0 ? ", " : "") + ExportText.json(f.name) + ": ").utf8) } }
        values = kinds.map { k in
            k.fields.map { f in
                switch f.type {
                case .unsigned, .duration: return Value.unsigned
                case .signed: return Value.signed
                case let .enumeration(names):
                    return Value.text(csv: names.map { Array(ExportText.csv($0).utf8) }, json: names.map { Array(ExportText.json($0).utf8) })
                case .string:
                    return Value.text(csv: header.strings.map { Array(ExportText.csv($0).utf8) }, json: header.strings.map { Array(ExportText.json($0).utf8) })
                }
            }
        }
        vcpuField = kinds.map { $0.fieldIndex(FieldName.vcpu) }
        durationField = kinds.map { $0.durationIndex }
    }

    /// Writes one field value as CSV cell text or as a JSON value.
    @inline(__always)
    func write(_ v: UInt64, _ position: Int, _ field: Int, csv: Bool, to out: FileHandleOutput) {
        switch values[position][field] {
        case .unsigned: out.append(decimal: v)
        case .signed: out.append(signed: Int64(bitPattern: v))
        case let .text(c, j): out.append(bytes: csv ? c[Int(v)] : j[Int(v)])
        }
    }
}
