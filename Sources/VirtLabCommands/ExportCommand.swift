import ArgumentParser
import TraceFormat

/// `virtlab export`: a trace as CSV, JSON Lines or Chrome trace-event JSON.
struct ExportCommand: ParsableCommand {
    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl, chrome
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a trace to CSV (pandas, spreadsheets), JSON Lines, or Chrome trace JSON (Perfetto UI).",
        discussion: """
        Streams: memory stays bounded whatever the trace size. CSV has one row per event and one \
        column per field name in the schema (empty where a kind lacks the field). Chrome JSON \
        opens in https://ui.perfetto.dev: intervals are complete events on one track per vCPU \
        (or per category), instants are instant events, counters are counter tracks.

        Example:
          virtlab export t.vlt --format csv -o t.csv
        """
    )

    @Argument(help: "A .vlt trace.")
    var trace: String

    @Option(help: "Output format.")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: "File to write (default: standard output).")
    var output: String?

    func run() throws {
        let reader = try TraceReader(path: trace)
        if let output {
            try AtomicFile.write(output) { temp in
                let out = try FileHandleOutput.create(temp)
                try Self.export(reader, format: format, to: out)
                try out.flush()
            }
        } else {
            let out = FileHandleOutput(fd: 1, path: "standard output")
            try Self.export(reader, format: format, to: out)
            try out.flush()
        }
    }

    static func export(_ reader: TraceReader, format: ExportFormat, to out: FileHandleOutput) throws {
        let names = FieldNames(reader.header)
        switch format {
        case .csv:
            out.append((["time_ns", "kind", "category"] + names.columns).map(Format.csv).joined(separator: ",") + "\n")
            try reader.scan { e in
                let kind = names.kinds[e.position]
                var cells = [String](repeating: "", count: names.columns.count)
                for (i, v) in e.fields.enumerated() { cells[names.column[e.position][i]] = Format.csv(names.text(v, e.position, i)) }
                out.append("\(e.time),\(kind.name),\(kind.category.name)," + cells.joined(separator: ",") + "\n")
                try out.flushIfFull()
            }
        case .jsonl:
            try reader.scan { e in
                let kind = names.kinds[e.position]
                var line = "{\"time_ns\": \(e.time), \"kind\": \"\(kind.name)\", \"category\": \"\(kind.category.name)\""
                for (i, v) in e.fields.enumerated() { line += ", \"\(kind.fields[i].name)\": " + names.json(v, e.position, i) }
                out.append(line + "}\n")
                try out.flushIfFull()
            }
        case .chrome:
            try chrome(reader, names, out)
        }
    }

    /// Chrome trace-event JSON: `X` complete events, `i` instants, `C` counters; ts in µs.
    static func chrome(_ reader: TraceReader, _ names: FieldNames, _ out: FileHandleOutput) throws {
        let title = reader.header[metadata: "scenario_name"] ?? "virtlab"
        out.append("{\"displayTimeUnit\": \"ns\", \"otherData\": {\"scenario\": \(Format.json(title)), \"seed\": \"\(reader.header.seed)\"},\n\"traceEvents\": [\n")
        out.append("{\"ph\": \"M\", \"pid\": 1, \"name\": \"process_name\", \"args\": {\"name\": \(Format.json("VM: " + title))}}")
        var namedTracks = Set<Int>()
        try reader.scan { e in
            let kind = names.kinds[e.position]
            let vcpu = names.vcpuField[e.position]
            let track = vcpu.map { Int(e.fields[$0]) + 1 } ?? (1_000 + Int(kind.category.rawValue))
            if namedTracks.insert(track).inserted {
                let label = vcpu != nil ? "vCPU \(track - 1)" : kind.category.name
                out.append(",\n{\"ph\": \"M\", \"pid\": 1, \"tid\": \(track), \"name\": \"thread_name\", \"args\": {\"name\": \"\(label)\"}}")
            }
            var args: [String] = []
            for (i, v) in e.fields.enumerated() { args.append("\"\(kind.fields[i].name)\": " + names.json(v, e.position, i)) }
            let argText = "{" + args.joined(separator: ", ") + "}"
            switch kind.shape {
            case .interval:
                let d = names.durationField[e.position].map { e.fields[$0] } ?? 0
                let start = e.time >= d ? e.time - d : 0
                out.append(",\n{\"ph\": \"X\", \"pid\": 1, \"tid\": \(track), \"name\": \"\(kind.name)\", \"cat\": \"\(kind.category.name)\", "
                           + "\"ts\": \(Format.micros(start)), \"dur\": \(Format.micros(e.time - start)), \"args\": \(argText)}")
            case .instant:
                out.append(",\n{\"ph\": \"i\", \"s\": \"t\", \"pid\": 1, \"tid\": \(track), \"name\": \"\(kind.name)\", \"cat\": \"\(kind.category.name)\", "
                           + "\"ts\": \(Format.micros(e.time)), \"args\": \(argText)}")
            case .counter:
                out.append(",\n{\"ph\": \"C\", \"pid\": 1, \"name\": \"\(kind.name)\", \"ts\": \(Format.micros(e.time)), \"args\": \(argText)}")
            }
            try out.flushIfFull()
        }
        out.append("\n]}\n")
    }
}

/// Per-kind lookup tables for turning raw field values into text.
struct FieldNames {
    let header: TraceHeader
    let kinds: [EventKind]
    /// The union of field names, in order of first appearance in the schema.
    let columns: [String]
    /// `[position][field]` → column index.
    let column: [[Int]]
    let vcpuField: [Int?]
    let durationField: [Int?]

    init(_ header: TraceHeader) {
        self.header = header
        kinds = header.schema.kinds
        var columns: [String] = []
        var column: [[Int]] = []
        for k in kinds {
            column.append(k.fields.map { f in
                if let i = columns.firstIndex(of: f.name) { return i }
                columns.append(f.name)
                return columns.count - 1
            })
        }
        self.columns = columns
        self.column = column
        vcpuField = kinds.map { $0.fieldIndex("vcpu") }
        durationField = kinds.map { $0.durationIndex }
    }

    /// A field value as plain text: enum value names, table strings, signed numbers.
    func text(_ v: UInt64, _ position: Int, _ i: Int) -> String {
        switch kinds[position].fields[i].type {
        case .unsigned, .duration: String(v)
        case .signed: String(Int64(bitPattern: v))
        case let .enumeration(values): values[Int(v)]
        case .string: header.strings[Int(v)]
        }
    }

    /// A field value as a JSON value.
    func json(_ v: UInt64, _ position: Int, _ i: Int) -> String {
        switch kinds[position].fields[i].type {
        case .unsigned, .duration, .signed: text(v, position, i)
        case .enumeration, .string: Format.json(text(v, position, i))
        }
    }
}
