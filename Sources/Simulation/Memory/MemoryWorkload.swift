#if canImport(Glibc)
import Glibc
#endif

/// The seeded stream of addresses a workload touches: offsets into one working set.
struct MemoryWorkload {
    let pattern: MemoryConfig.Pattern
    let accessBytes: UInt64
    let workingSet: UInt64
    let stride: UInt64
    let lines: UInt64
    let pageBytes: UInt64
    let linesPerPage: UInt64
    private var cursor: UInt64 = 0
    private var zipf: ZipfSampler?

    init(_ c: MemoryConfig) {
        pattern = c.pattern
        accessBytes = c.accessBytes
        workingSet = c.workingSetBytes
        stride = c.strideBytes
        lines = max(1, c.workingSetBytes / c.accessBytes)
        pageBytes = min(c.pageBytes, c.workingSetBytes)
        linesPerPage = max(1, pageBytes / c.accessBytes)
        if c.pattern == .zipf {
            zipf = ZipfSampler(count: Int(max(1, c.workingSetBytes / pageBytes)), exponent: c.zipfExponent)
        }
    }

    /// The next offset into the working set.
    @inline(__always)
    mutating func next(_ rng: inout SplitMix64) -> UInt64 {
        switch pattern {
        case .sequential:
            let o = cursor
            cursor = cursor &+ accessBytes
            if cursor >= lines &* accessBytes { cursor = 0 }
            return o
        case .strided:
            let o = cursor
            cursor = (cursor &+ stride) % workingSet
            return o
        case .random:
            return rng.below(lines) &* accessBytes
        case .zipf:
            // Page ranked k (1 = hottest) is page k−1; a random line within it.
            let page = UInt64(zipf!.sample(&rng) - 1)
            return page &* pageBytes &+ rng.below(linesPerPage) &* accessBytes
        }
    }
}

/// Zipf-distributed ranks 1…n with P(k) ∝ k^−s, by rejection-inversion (Hörmann and
/// Derflinger, ACM TOMACS 1996), as in Apache Commons' RejectionInversionZipfSampler:
/// constant time per sample whatever n.
struct ZipfSampler {
    let n: Int
    let s: Double
    let hIntegralX1: Double
    let hIntegralN: Double
    let threshold: Double

    init(count: Int, exponent: Double) {
        n = count
        s = exponent
        hIntegralX1 = Self.hIntegral(1.5, exponent) - 1
        hIntegralN = Self.hIntegral(Double(count) + 0.5, exponent)
        threshold = 2 - Self.hIntegralInverse(Self.hIntegral(2.5, exponent) - Self.h(2, exponent), exponent)
    }

    mutating func sample(_ rng: inout SplitMix64) -> Int {
        while true {
            let u = hIntegralN + rng.unit() * (hIntegralX1 - hIntegralN)
            let x = Self.hIntegralInverse(u, s)
            var k = Int(x + 0.5)
            if k < 1 { k = 1 } else if k > n { k = n }
            if Double(k) - x <= threshold || u >= Self.hIntegral(Double(k) + 0.5, s) - Self.h(Double(k), s) { return k }
        }
    }

    static func h(_ x: Double, _ s: Double) -> Double { exp(-s * log(x)) }

    static func hIntegral(_ x: Double, _ s: Double) -> Double {
        let logX = log(x)
        return helper2((1 - s) * logX) * logX
    }

    static func hIntegralInverse(_ x: Double, _ s: Double) -> Double {
        var t = x * (1 - s)
        if t < -1 { t = -1 }
        return exp(helper1(t) * x)
    }

    /// log(1 + x) / x, accurate near 0.
    static func helper1(_ x: Double) -> Double {
        abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x))
    }

    /// (exp(x) − 1) / x, accurate near 0.
    static func helper2(_ x: Double) -> Double {
        abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x))
    }
}
