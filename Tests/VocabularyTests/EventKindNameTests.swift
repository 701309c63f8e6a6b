import Testing
import TestKit
@testable import TraceFormat
@testable import Vocabulary

struct EventKindNameTests {
    /// Names are the trace's, SQL's and `--kind`'s: unique, lower snake_case, usable as SQL table names.
    @Test func namesAreUniqueSnakeCaseIdentifiers() {
        let names = EventKindName.allCases.map(\.rawValue)
        expectEqual(Set(names).count, names.count)
        for n in names { #expect(n.wholeMatch(of: /[a-z][a-z0-9_]*/) != nil, "\(n)") }
    }

    @Test func aSchemaFindsItsKindsByVocabularyName() throws {
        let schema = try Schema([EventKind(id: 4, .round, category: .migration, fields: [FieldSpec("round", .unsigned)])])
        expectEqual(schema.kind(.round)?.id, 4)
        expectEqual(schema.kind(.vmExit), nil)
    }
}
