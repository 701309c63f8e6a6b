import TestKit
import Testing

/// The `#expect` functions of `Tests/TestKit` (kept here, in the test target that depends
/// on least, rather than in a test target of their own): each passes when its `#expect` would,
/// and a failure is recorded at the caller's line, as `#expect`'s own would be.
struct ExpectationsTests {
    @Test func eachPassesWhereItsExpectWould() {
        expectEqual([1, 2], [1, 2])
        expectLess(1, 2)
        expectAtMost(2, 2)
        expectGreater(2.5, 2)
        expectAtLeast("b", "b")
        expectContains("a page of text", "page")
        expectLacks("a page of text", "figure")
        expectContains([3, 5], 5)
        expectLacks(Set(["a"]), "b")
    }

    @Test func eachFailsAtTheCallersLine() {
        // Each failing call must record its own issue at its own line: a call that recorded
        // none, or recorded it elsewhere, fails this test.
        let failing: [(line: Int, check: () -> Void)] = [
            (#line, { expectEqual(1, 2) }),
            (#line, { expectLess(2, 2) }),
            (#line, { expectAtMost(3, 2) }),
            (#line, { expectGreater(2, 2) }),
            (#line, { expectAtLeast(1, 2) }),
            (#line, { expectContains("a page", "figure") }),
            (#line, { expectLacks("a page", "page") }),
            (#line, { expectContains([3, 5], 4) }),
            (#line, { expectLacks([3, 5], 5) }),
        ]
        for (line, check) in failing {
            withKnownIssue { check() } matching: { $0.sourceLocation?.line == line }
        }
    }
}
