#if canImport(Glibc)
import Glibc
#endif

/// Receives how far a run has come; the command line draws it, tests ignore it.
///
/// Simulators call `update` every few thousand steps, never per step, so a no-op costs nothing.
package struct RunProgress: Sendable {
    private let report: @Sendable (_ done: UInt64, _ total: UInt64) -> Void

    package init(_ report: @escaping @Sendable (_ done: UInt64, _ total: UInt64) -> Void) {
        self.report = report
    }

    /// Reports nothing.
    package static let silent = RunProgress { _, _ in }

    package func update(_ done: UInt64, of total: UInt64) { report(done, total) }
}

/// Monotonic seconds, for benchmarks, progress and run-cost estimates only (never in outputs).
package func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
