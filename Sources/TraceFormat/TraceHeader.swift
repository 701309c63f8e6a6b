/// Everything a trace says about itself before its first event.
package struct TraceHeader: Equatable, Sendable {
    /// The VirtLab version that wrote the file.
    package var writerVersion: String
    /// The unit of timestamps and durations; always "ns" (simulated nanoseconds) in v1.
    package var clockUnit: String
    /// The seed of the run.
    package var seed: UInt64
    /// Ordered key/value pairs: `scenario` (full text), `scenario_name`, `topic`, `command`, …
    package var metadata: [(key: String, value: String)]
    /// Strings that `string` fields point into, by index.
    package var strings: [String]
    package var schema: Schema

    package init(writerVersion: String, clockUnit: String = "ns", seed: UInt64,
                 metadata: [(key: String, value: String)] = [], strings: [String] = [], schema: Schema) {
        self.writerVersion = writerVersion
        self.clockUnit = clockUnit
        self.seed = seed
        self.metadata = metadata
        self.strings = strings
        self.schema = schema
    }

    /// The first metadata value under `key`.
    package subscript(metadata key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }

    package static func == (a: TraceHeader, b: TraceHeader) -> Bool {
        a.writerVersion == b.writerVersion && a.clockUnit == b.clockUnit && a.seed == b.seed
            && a.metadata.map(\.key) == b.metadata.map(\.key) && a.metadata.map(\.value) == b.metadata.map(\.value)
            && a.strings == b.strings && a.schema == b.schema
    }

    /// The complete header: fixed prefix plus body.
    /// - Throws: `TraceError.invalidEvent` when a limit of the spec would be broken.
    package func encoded() throws -> [UInt8] {
        guard metadata.count <= TraceLimits.maxMetadataEntries, strings.count <= TraceLimits.maxStrings else {
            throw TraceError.invalidEvent("too many metadata entries or strings for the header")
        }
        var body = ByteSink()
        body.string(writerVersion)
        body.string(clockUnit)
        body.varint(seed)
        body.varint(UInt64(metadata.count))
        for (k, v) in metadata {
            guard Schema.isName(k) else { throw TraceError.invalidEvent("metadata key '\(k)' must be 1–64 of [a-z0-9_]") }
            guard v.utf8.count <= TraceLimits.maxStringBytes else { throw TraceError.invalidEvent("metadata \(k) is longer than \(TraceLimits.maxStringBytes) bytes") }
            body.string(k)
            body.string(v)
        }
        body.varint(UInt64(strings.count))
        for s in strings {
            guard s.utf8.count <= TraceLimits.maxStringBytes else { throw TraceError.invalidEvent("a table string is too long") }
            body.string(s)
        }
        body.varint(UInt64(schema.kinds.count))
        for k in schema.kinds {
            body.varint(UInt64(k.id))
            body.string(k.name)
            body.bytes.append(k.category.rawValue)
            body.bytes.append(k.shape.rawValue)
            body.varint(UInt64(k.fields.count))
            for f in k.fields {
                body.string(f.name)
                body.bytes.append(f.type.code | (f.delta ? 0x10 : 0) | (f.isPacked ? 0x20 : 0))
                if case let .enumeration(values) = f.type {
                    body.varint(UInt64(values.count))
                    for v in values { body.string(v) }
                } else if f.isPacked {
                    body.bytes.append(UInt8(f.packedBits))
                }
            }
        }
        guard body.bytes.count <= TraceLimits.maxHeaderBytes else {
            throw TraceError.invalidEvent("the header would be \(body.bytes.count) bytes; at most \(TraceLimits.maxHeaderBytes)")
        }
        var out = ByteSink()
        out.bytes = TraceLayout.magic
        out.le(TraceLayout.formatVersion)
        out.le(UInt16(0))
        out.le(UInt32(body.bytes.count))
        out.le(CRC32C.checksum(body.bytes))
        out.bytes += body.bytes
        return out.bytes
    }

    /// Decodes a header body (the bytes after the fixed prefix).
    /// - Parameter base: the file offset of the body, for error messages.
    package static func decodeBody(_ bytes: [UInt8], base: UInt64) throws -> TraceHeader {
        var c = ByteCursor(bytes, base: base)
        let writer = try c.string("writer version", limit: TraceLimits.maxNameBytes * 4)
        let unit = try c.string("clock unit", limit: TraceLimits.maxNameBytes)
        guard unit == "ns" else { throw TraceError.malformed(what: "clock unit '\(unit)' is not ns", offset: base) }
        let seed = try c.varint("seed")
        let nMeta = try c.count("metadata count", limit: TraceLimits.maxMetadataEntries)
        var metadata: [(key: String, value: String)] = []
        for _ in 0..<nMeta {
            let k = try c.name("metadata key")
            let v = try c.string("metadata \(k)", limit: TraceLimits.maxStringBytes)
            metadata.append((k, v))
        }
        let nStrings = try c.count("string table size", limit: TraceLimits.maxStrings)
        var strings: [String] = []
        for i in 0..<nStrings { strings.append(try c.string("string \(i)", limit: TraceLimits.maxStringBytes)) }
        let nKinds = try c.count("kind count", limit: TraceLimits.maxKinds)
        var kinds: [EventKind] = []
        for _ in 0..<nKinds {
            let at = c.offset
            let id = try c.count("kind id", limit: TraceLimits.maxKinds - 1)
            let name = try c.name("kind name")
            guard let category = EventCategory(rawValue: try c.byte("category")) else {
                throw TraceError.malformed(what: "kind \(name) has an unknown category", offset: c.offset - 1)
            }
            guard let shape = EventShape(rawValue: try c.byte("shape")) else {
                throw TraceError.malformed(what: "kind \(name) has an unknown shape", offset: c.offset - 1)
            }
            let nFields = try c.count("field count of \(name)", limit: TraceLimits.maxFields)
            var fields: [FieldSpec] = []
            for _ in 0..<nFields {
                let fname = try c.name("field name")
                let code = try c.byte("field type")
                let type: FieldType
                switch code & 0x0F {
                case 0: type = .unsigned
                case 1: type = .signed
                case 2:
                    let n = try c.count("value count of \(name).\(fname)", limit: TraceLimits.maxEnumValues)
                    var values: [String] = []
                    for _ in 0..<n { values.append(try c.name("enum value")) }
                    type = .enumeration(values)
                case 3: type = .string
                case 4: type = .duration
                default: throw TraceError.malformed(what: "field \(name).\(fname) has unknown type code \(code)", offset: c.offset - 1)
                }
                guard code & 0xC0 == 0 else { throw TraceError.malformed(what: "field \(name).\(fname) sets reserved type bits", offset: c.offset - 1) }
                let packed = code & 0x20 != 0
                var bits = 0
                if packed, case .unsigned = type { bits = Int(try c.byte("packed width of \(name).\(fname)")) }
                let field = FieldSpec(fname, type, delta: code & 0x10 != 0, packed: packed, bits: bits)
                if packed, !field.isPacked {
                    throw TraceError.malformed(what: "field \(name).\(fname) is packed with no width", offset: c.offset - 1)
                }
                fields.append(field)
            }
            let kind = EventKind(id: UInt16(id), name: name, category: category, shape: shape, fields: fields)
            do { try Schema.check(kind) } catch let TraceError.invalidEvent(why) { throw TraceError.malformed(what: why, offset: at) }
            kinds.append(kind)
        }
        guard c.isAtEnd else { throw TraceError.malformed(what: "extra bytes after the schema", offset: c.offset) }
        let schema: Schema
        do { schema = try Schema(kinds) } catch let TraceError.invalidEvent(why) { throw TraceError.malformed(what: why, offset: base) }
        return TraceHeader(writerVersion: writer, clockUnit: unit, seed: seed, metadata: metadata, strings: strings, schema: schema)
    }
}

/// One result of a run, stored in the trace's summary section.
package struct Metric: Equatable, Sendable {
    /// Stable snake_case name, e.g. `downtime_ns`.
    package var name: String
    package var value: Double
    /// Unit text: `ns`, `pages`, `bytes`, `ratio`, `count`, `%`, …
    package var unit: String

    package init(_ name: String, _ value: Double, _ unit: String) {
        self.name = name
        self.value = value
        self.unit = unit
    }
}
