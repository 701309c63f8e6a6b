/// A log-linear histogram of durations with exact count, sum, min and max, and percentiles within
/// 1/64 (1.6 %) of the true value: bounded memory however many samples (as HdrHistogram does).
/// The first `exactLimit` samples are also kept, so small sets get exact percentiles.
package struct DurationHistogram: Sendable, Equatable {
    /// Values below this are counted exactly, one bucket each.
    static let linear: UInt64 = 128
    /// Sub-buckets per power of two above `linear`.
    static let subBits: UInt64 = 6

    /// Samples kept verbatim while there are at most this many (by default).
    static let defaultExactLimit = 4_096
    /// This histogram's limit.
    private let exactLimit: Int

    private var buckets: [UInt64] = []
    private var exact: [UInt64]? = []
    package private(set) var count: UInt64 = 0
    package private(set) var sum: UInt64 = 0
    package private(set) var min: UInt64 = .max
    package private(set) var max: UInt64 = 0

    package init(exactLimit: Int = defaultExactLimit) { self.exactLimit = exactLimit }

    /// Whether `exact` is already in ascending order (after `sortSamples`).
    private var exactIsSorted = false

    /// Every sample, ascending, while no more than the exact limit were recorded; nil after.
    package var exactSorted: [UInt64]? { exactIsSorted ? exact : exact?.sorted() }

    /// Sorts the kept samples once, so figures drawn from them do not sort again each time.
    package mutating func sortSamples() {
        exact?.sort()
        exactIsSorted = true
    }

    /// Non-empty buckets in ascending order: (lowest value, width, count), for distributions
    /// drawn from more samples than are kept.
    package var occupiedBuckets: [(low: UInt64, width: UInt64, count: UInt64)] {
        buckets.enumerated().compactMap { b, n in
            guard n > 0 else { return nil }
            let r = Self.range(b)
            return (r.low, r.width, n)
        }
    }

    @inline(__always)
    static func bucket(_ v: UInt64) -> Int {
        if v < linear { return Int(v) }
        let e = UInt64(63 - v.leadingZeroBitCount)
        let sub = (v >> (e - subBits)) & ((1 << subBits) - 1)
        return Int(linear) + Int(e - 7) * (1 << Int(subBits)) + Int(sub)
    }

    /// The smallest value of a bucket, and the width of the values it holds.
    static func range(_ b: Int) -> (low: UInt64, width: UInt64) {
        if b < Int(linear) { return (UInt64(b), 1) }
        let rest = b - Int(linear)
        let e = UInt64(rest >> Int(subBits)) + 7
        let sub = UInt64(rest & ((1 << Int(subBits)) - 1))
        let width = UInt64(1) << (e - subBits)
        return ((1 << e) + sub * width, width)
    }

    package mutating func record(_ v: UInt64) {
        let b = Self.bucket(v)
        if b >= buckets.count { buckets.append(contentsOf: repeatElement(0, count: b + 1 - buckets.count)) }
        buckets[b] &+= 1
        if exact != nil {
            if exact!.count < exactLimit { exact!.append(v); exactIsSorted = false } else { exact = nil }
        }
        count &+= 1
        sum &+= v
        if v < min { min = v }
        if v > max { max = v }
    }

    package var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// The value at quantile `q` (0…1): the midpoint of its bucket, clamped to the observed range.
    package func percentile(_ q: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((q * Double(count)).rounded(.up)))
        if let sorted = exactSorted {
            return sorted[Int(Swift.min(rank, UInt64(sorted.count))) - 1]
        }
        var seen: UInt64 = 0
        for (b, n) in buckets.enumerated() where n > 0 {
            seen += n
            if seen >= rank {
                let r = Self.range(b)
                return Swift.min(Swift.max(r.low + r.width / 2, min), max)
            }
        }
        return max
    }
}
