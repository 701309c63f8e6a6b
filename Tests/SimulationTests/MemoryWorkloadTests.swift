import Foundation
import Testing
import TestKit
@testable import Simulation

struct MemoryWorkloadTests {
    /// The Zipf sampler against the exact distribution P(k) = k^−s / H(n, s), away from any
    /// preset's parameters: every rank in 1…n, and the share of the ten hottest ranks and of
    /// rank 1 within a few standard errors of the truth over 200,000 draws.
    @Test(arguments: [(1, 1.0), (10, 0.5), (10, 1.0), (1_000, 0.8), (1_000, 1.0), (1_000, 1.2), (100_000, 2.0), (50, 0.01)])
    func zipfFollowsTheExactDistribution(n: Int, s: Double) {
        var sampler = ZipfSampler(count: n, exponent: s)
        var rng = SplitMix64(seed: UInt64(n) &* 31 &+ UInt64(s * 100))
        let draws = 200_000
        var counts = [Int](repeating: 0, count: min(n, 10) + 1)
        for _ in 0..<draws {
            let k = sampler.sample(&rng)
            expectAtLeast(k, 1)
            expectAtMost(k, n)
            if k <= 10 { counts[k] += 1 }
        }
        var norm: Double = 0
        for k in 1...n { norm += pow(Double(k), -s) }
        func check(_ observed: Int, _ p: Double, _ what: String) {
            let expected: Double = p * Double(draws)
            let sd: Double = (Double(draws) * p * max(0, 1 - p)).squareRoot()
            let off: Double = abs(Double(observed) - expected)
            expectAtMost(off, 5 * sd + 1, "n \(n) s \(s) \(what): \(observed) vs \(expected)")
        }
        check(counts[1], pow(1, -s) / norm, "rank 1")
        var top: Double = 0
        for k in 1...min(n, 10) { top += pow(Double(k), -s) / norm }
        check(counts.reduce(0, +), top, "top 10")
    }

    static func config(_ pattern: String, workingSetMiB: Int64 = 1, stride: Int64? = nil, large: Bool = false) throws -> MemoryConfig {
        var s = try Preset.named(.tlbThrashNative).scenario()
        s.values["memory.workload.pattern"] = .text(pattern)
        s.values["memory.workload.working_set_mib"] = .integer(workingSetMiB)
        if let stride { s.values["memory.workload.stride_bytes"] = .integer(stride) }
        if large { s.values["memory.page_size"] = .text("2MiB") }
        return MemoryConfig(s)
    }

    /// Every pattern stays inside the working set and on access boundaries; sequential walks it
    /// in order and wraps; strided steps by its stride; random reaches every page.
    @Test(arguments: ["sequential", "strided", "random", "zipf"])
    func offsetsStayInTheWorkingSet(pattern: String) throws {
        let c = try Self.config(pattern, stride: 4_096 * 3)
        var w = MemoryWorkload(c)
        var rng = SplitMix64(seed: 5)
        var pages = Set<UInt64>()
        var previous: UInt64?
        for i in 0..<100_000 {
            let o = w.next(&rng)
            expectLess(o, c.workingSetBytes)
            expectEqual(o % c.accessBytes, 0)
            pages.insert(o / 4_096)
            if let p = previous {
                switch pattern {
                case "sequential": expectEqual(o, (p + c.accessBytes) % c.workingSetBytes, "step \(i)")
                case "strided": expectEqual(o, (p + c.strideBytes) % c.workingSetBytes, "step \(i)")
                default: break
                }
            }
            previous = o
        }
        if pattern == "random" { expectEqual(pages.count, Int(c.workingSetBytes / 4_096)) }
        if pattern == "zipf" { #expect(pages.count > 1 && pages.count <= Int(c.workingSetBytes / 4_096)) }
    }
}
