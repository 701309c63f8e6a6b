/// The seeded generator behind every random choice in a simulation: SplitMix64
/// (Steele, Lea and Flood, OOPSLA 2014). Same seed → same sequence on every machine.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    @inline(__always)
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `0..<bound` (Lemire's multiply-shift; `bound` > 0).
    @inline(__always)
    package mutating func below(_ bound: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: bound).high
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    package mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// An independent stream for a sub-model, derived from this seed and a label.
    package static func derived(seed: UInt64, stream: UInt64) -> SplitMix64 {
        var g = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }
}
