import Foundation
import Testing

// `#expect` as functions for the shapes the tests use most: one comparison or one
// `contains`. Each runs the same `#expect` on its two operands, so a failure prints the
// same message — both values, at the caller's line (`sourceLocation`) — but the macro is
// expanded and type-checked once here instead of at every call: in a debug build an
// `expectEqual(x, 3)` costs the compiler about 11 ms, a call to one of these under 1 ms
// (docs/architecture.md, "What the build costs"). Anything else stays an `#expect`.

/// `expectEqual(actual, expected)`.
package func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ comment: @autoclosure () -> Comment? = nil,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual == expected, comment(), sourceLocation: sourceLocation)
}

/// `expectLess(a, b)`.
package func expectLess<T: Comparable>(_ a: T, _ b: T, _ comment: @autoclosure () -> Comment? = nil,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a < b, comment(), sourceLocation: sourceLocation)
}

/// `expectAtMost(a, b)`.
package func expectAtMost<T: Comparable>(_ a: T, _ b: T, _ comment: @autoclosure () -> Comment? = nil,
                                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a <= b, comment(), sourceLocation: sourceLocation)
}

/// `expectGreater(a, b)`.
package func expectGreater<T: Comparable>(_ a: T, _ b: T, _ comment: @autoclosure () -> Comment? = nil,
                                          sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a > b, comment(), sourceLocation: sourceLocation)
}

/// `expectAtLeast(a, b)`.
package func expectAtLeast<T: Comparable>(_ a: T, _ b: T, _ comment: @autoclosure () -> Comment? = nil,
                                          sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a >= b, comment(), sourceLocation: sourceLocation)
}

/// `expectContains(text, part)` for text.
package func expectContains<Text: StringProtocol, Part: StringProtocol>(_ text: Text, _ part: Part, _ comment: @autoclosure () -> Comment? = nil,
                                                                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(text.contains(part), comment(), sourceLocation: sourceLocation)
}

/// `expectLacks(text, part)` for text.
package func expectLacks<Text: StringProtocol, Part: StringProtocol>(_ text: Text, _ part: Part, _ comment: @autoclosure () -> Comment? = nil,
                                                                    sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!text.contains(part), comment(), sourceLocation: sourceLocation)
}

/// `expectContains(items, item)` for any sequence of equatable elements.
package func expectContains<Items: Sequence>(_ items: Items, _ item: Items.Element, _ comment: @autoclosure () -> Comment? = nil,
                                             sourceLocation: SourceLocation = #_sourceLocation) where Items.Element: Equatable {
    #expect(items.contains(item), comment(), sourceLocation: sourceLocation)
}

/// `expectLacks(items, item)` for any sequence of equatable elements.
package func expectLacks<Items: Sequence>(_ items: Items, _ item: Items.Element, _ comment: @autoclosure () -> Comment? = nil,
                                          sourceLocation: SourceLocation = #_sourceLocation) where Items.Element: Equatable {
    #expect(!items.contains(item), comment(), sourceLocation: sourceLocation)
}
