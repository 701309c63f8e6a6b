import Testing
import TestKit
@testable import TraceFormat

/// Every rule of the schema section of the spec (docs/trace-format.md), refused with a sentence
/// that names the kind and field.
struct SchemaTests {
    static func kind(_ fields: [FieldSpec], name: String = "k", id: UInt16 = 1, shape: EventShape = .instant) -> EventKind {
        EventKind(id: id, name: name, category: .memory, shape: shape, fields: fields)
    }

    /// A signed field marked packed (the initialiser packs only enums and unsigned fields; a
    /// decoded header can say anything).
    static let packedSigned: FieldSpec = {
        var f = FieldSpec("s", .signed)
        f.packedBits = 3
        return f
    }()

    static func refusal(_ kinds: [EventKind]) -> String? {
        do { _ = try Schema(kinds); return nil } catch { return "\(error)" }
    }

    @Test(arguments: [
        ([kind([]), kind([], name: "other", id: 1)], "kind id 1 is used twice"),
        ([kind([], id: 1), kind([], id: 2)], "kind name k is used twice"),
        ([kind([], name: "Bad-Name")], "kind name 'Bad-Name' must be 1–64 of [a-z0-9_]"),
        ([kind([], name: String(repeating: "a", count: 65))], "must be 1–64 of [a-z0-9_]"),
        ([kind([FieldSpec("a", .unsigned), FieldSpec("a", .unsigned)])], "kind k: field name 'a' is invalid or repeated"),
        ([kind([FieldSpec("e", .enumeration(["x"]), delta: true)])], "k.e: only unsigned and signed fields can be delta-coded"),
        ([kind([FieldSpec("u", .unsigned, bits: 33)])], "k.u: a packed unsigned field takes 1–32 bits"),
        ([kind([packedSigned])], "k.s: only enum and unsigned fields can be packed"),
        ([kind([FieldSpec("e", .enumeration([]))])], "k.e: enum values must be"),
        ([kind([FieldSpec("e", .enumeration(["x", "x"]))])], "k.e: enum values must be"),
        ([kind((0..<3).map { FieldSpec("u\($0)", .unsigned, bits: 32) })], "kind k: packed fields take more than 63 bits"),
        ([kind([FieldSpec("u", .unsigned)], shape: .interval)], "interval kind k needs a duration field"),
    ])
    func rulesAreRefusedByName(_ kinds: [EventKind], _ message: String) {
        let r = Self.refusal(kinds)
        expectEqual(r?.contains(message), true, "\(r ?? "accepted")")
    }

    /// Limits are inclusive: the largest id, field count and packed width the spec allows pass.
    @Test func theLimitsThemselvesAreAllowed() throws {
        let top = UInt16(TraceLimits.maxKinds - 1)
        let fields = (0..<TraceLimits.maxFields).map { FieldSpec("f\($0)", .unsigned) }
        let packed = [FieldSpec("a", .unsigned, bits: 32), FieldSpec("b", .unsigned, bits: 31)]
        let schema = try Schema([Self.kind(fields, name: "wide", id: top), Self.kind(packed, name: "packed", id: 0)])
        expectEqual(schema.kind(id: top)?.name, "wide")
        expectEqual(schema.kind(named: "packed")?.id, 0)
        expectEqual(schema.kind(id: 5), nil)
        expectEqual(schema.kind(named: "nope"), nil)
        expectEqual(Self.refusal([Self.kind([], id: UInt16(TraceLimits.maxKinds))])?.contains("is not below"), true)
        expectEqual(Self.refusal([Self.kind((0...TraceLimits.maxFields).map { FieldSpec("f\($0)", .unsigned) })])?.contains("at most"), true)
    }

    @Test func fieldsAreFoundByNameAndTheDurationMarksAnInterval() throws {
        let k = Self.kind([FieldSpec("reason", .enumeration(["io"]), packed: true), FieldSpec("duration", .duration)], shape: .interval)
        expectEqual(k.fieldIndex("duration"), 1)
        expectEqual(k.durationIndex, 1)
        expectEqual(k.fieldIndex("nope"), nil)
        #expect(k.fields[0].isPacked && k.fields[0].packedBits == 1)
        #expect(!k.fields[1].isPacked)
    }
}
