/// Converts simulated CPU cycles to simulated nanoseconds at a fixed clock rate.
///
/// Simulators count cycles (the unit of the cost models in the literature) and stamp events in
/// nanoseconds (the trace's clock unit). Conversion rounds down, from a running cycle total so
/// rounding never accumulates.
package struct CycleClock: Sendable, Equatable {
    /// Cycles per nanosecond (the clock rate in GHz).
    package let ghz: Double

    package init(ghz: Double) {
        precondition(ghz > 0)
        self.ghz = ghz
    }

    /// The simulated time at a cycle count.
    @inline(__always)
    package func nanoseconds(_ cycles: UInt64) -> UInt64 {
        UInt64(Double(cycles) / ghz)
    }
}
