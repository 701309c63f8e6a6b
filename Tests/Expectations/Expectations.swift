import Testing

/// `expectEqual(actual, expected)` as a function: the same check and the same failure message
/// (both values, at the caller's line), type-checked once here instead of at every call.
/// Each `#expect` costs the compiler about 11 ms in a debug build, a plain call under 1 ms
/// (docs/architecture.md, "What the build costs").
package func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ comment: @autoclosure () -> Comment? = nil,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual == expected, comment(), sourceLocation: sourceLocation)
}
