import Vocabulary
import Foundation
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

/// Every valid scenario runs to completion: scenarios drawn at random from each topic's key
/// table (every key anywhere in its allowed range, choices uniformly, integers and reals
/// log-uniformly so the ends are reached), with the run's length and the migrated memory kept
/// small so the test stays quick (the run-cost guard handles large runs). Each one that the
/// decoder accepts must run, write a trace that reads back strictly, and report finite results.
struct RandomScenarioTests {
    /// Keys that set how long a run is, and the most this test lets them be.
    static let caps: [String: Double] = [
        "memory.workload.accesses": 20_000, "memory.os.fork_child_accesses": 2_000, "memory.guest_memory_mib": 4_096,
        "memory.workload.working_set_mib": 256,
        "io.requests": 3_000, "cpu.workload.instructions": 200_000,
        "migration.vm.memory_mib": 256, "migration.vm.disk_gib": 2, "migration.precopy.max_rounds": 40,
    ]

    static func draw(_ key: ScenarioKey, _ g: inout SplitMix64) -> ScenarioValue? {
        let cap = caps[key.path]
        switch key.kind {
        case let .integer(range, powerOfTwo):
            let hi = cap.map { min(range.upperBound, Int64($0)) } ?? range.upperBound
            let lo = range.lowerBound
            guard hi >= lo else { return key.defaultValue }
            // Log-uniform over [lo, hi] (shifted to start at 1), so 1, 2 and the top all come up.
            let span = Double(hi - lo) + 1
            var v = lo + Int64(min(span - 1, floor(exp(g.unit() * log(span)) - 1)))
            if g.unit() < 0.1 { v = g.unit() < 0.5 ? lo : hi }
            if powerOfTwo { v = Int64(1) << Int64(max(0, Int(log2(Double(max(v, 1)))))) ; v = min(max(v, lo), hi) }
            return .integer(v)
        case let .real(range):
            let hi = cap.map { min(range.upperBound, $0) } ?? range.upperBound
            let lo = range.lowerBound
            if g.unit() < 0.1 { return .real(g.unit() < 0.5 ? lo : hi) }
            let u = g.unit()
            return .real(lo >= 0 && hi > 1 ? lo + (exp(u * log(hi - lo + 1)) - 1) : lo + u * (hi - lo))
        case let .choice(values):
            return .text(values[Int(g.next() % UInt64(values.count))])
        case .text:
            return key.defaultValue
        }
    }

    /// Moves a draw inside the rules that tie keys together (each is documented with its key).
    static func satisfyCrossRules(_ v: inout [String: ScenarioValue], _ g: inout SplitMix64) {
        func int(_ k: String) -> Int64? { if case let .integer(x)? = v[k] { x } else { nil } }
        func real(_ k: String) -> Double? { if case let .real(x)? = v[k] { x } else { nil } }
        // The walk cache and the nested TLB are 4-way: their sizes are multiples of 4.
        for key in ["memory.tlb.walk_cache_entries", "memory.tlb.nested_tlb_entries"] {
            if let n = int(key) { v[key] = .integer(key.hasSuffix("walk_cache_entries") ? max(4, n / 4 * 4) : n / 4 * 4) }
        }
        if let sets = int("memory.tlb.l2_sets") {
            let none = g.unit() < 0.3
            v["memory.tlb.l2_sets"] = .integer(none ? 0 : Int64(1) << Int64(max(0, Int(log2(Double(max(sets, 1)))))))
            if none { v["memory.tlb.l2_ways"] = .integer(0) } else if int("memory.tlb.l2_ways") == 0 { v["memory.tlb.l2_ways"] = .integer(8) }
        }
        if let ws = int("memory.workload.working_set_mib"), let mem = int("memory.guest_memory_mib"), let procs = int("memory.os.processes") {
            let fit = max(1, mem / 2 / max(procs, 1))
            v["memory.workload.working_set_mib"] = .integer(max(min(ws, fit), 1))
            if case .text("2MiB")? = v["memory.page_size"], min(ws, fit) < 2 { v["memory.page_size"] = .text("4KiB") }
        }
        if let text = real("migration.vm.text_fraction"), let zero = real("migration.vm.zero_fraction"), text + zero > 1 {
            v["migration.vm.text_fraction"] = .real(text / (text + zero))
            v["migration.vm.zero_fraction"] = .real(zero / (text + zero) * 0.999)
        }
        if let initial = real("migration.precopy.throttle_initial"), let most = real("migration.precopy.throttle_max"), initial > most {
            v["migration.precopy.throttle_initial"] = .real(most)
            v["migration.precopy.throttle_max"] = .real(initial)
        }
        // Posted interrupts are delivered through APIC virtualization.
        if case .text("no")? = v["io.apic_virtualization"] { v["io.passthrough.posted_interrupts"] = .text("no") }
        if int("cpu.guest_ring") == 2 { v["cpu.guest_ring"] = .integer(g.unit() < 0.5 ? 1 : 3) }
        if let hot = int("migration.workload.hot_pages"), let mib = int("migration.vm.memory_mib") {
            v["migration.workload.hot_pages"] = .integer(max(1, min(hot, mib * 256)))
        }
    }

    /// A result is a vocabulary name with its unit, or a member of a family with the family's unit.
    static func inVocabulary(_ m: Metric) -> Bool {
        if let n = MetricName(rawValue: m.name) { return n.unit.rawValue == m.unit }
        return MetricFamily.allCases.contains { f in
            let parts = f.pattern.split(separator: "*", omittingEmptySubsequences: false)
            return m.name.hasPrefix(parts[0]) && m.name.hasSuffix(parts[1]) && m.name.count > parts[0].count + parts[1].count
                && f.unit.rawValue == m.unit
        }
    }

    @Test(arguments: Topic.allCases)
    func randomValidScenariosRunToTheEnd(_ topic: Topic) throws {
        var g = SplitMix64(seed: 0x5EED_0000 &+ UInt64(topic.rawValue.count))
        var ran = 0, refused = 0, outOfMemory = 0, reasons: [String: Int] = [:]
        for i in 0..<60 {
            var values: [String: ScenarioValue] = [:]
            for key in topic.keys { values[key.path] = Self.draw(key, &g) }
            Self.satisfyCrossRules(&values, &g)
            let text = ScenarioYAML.render(name: "random-\(i)", description: "", topic: topic, seed: g.next() >> 1, values: values)
            let s: Scenario
            do { s = try ScenarioDecoder.decode(text: text, source: "random \(topic.rawValue) \(i)") } catch let e as ScenarioError {
                refused += 1
                reasons[e.keyPath + ": " + e.message.prefix(60), default: 0] += 1
                continue
            }
            do {
                try withTracedRun(s) { reader, metrics in
                    try reader.scan { _ in }
                    #expect(metrics.allSatisfy { $0.value.isFinite }, "\(text)")
                    for m in metrics where !Self.inVocabulary(m) {
                        Issue.record("\(topic.rawValue) wrote the result \(m.name) [\(m.unit)], which the vocabulary does not define with that unit")
                    }
                }
            } catch is SimulationError {
                // A located refusal found while running (the guest's memory ran out): fine, not a crash.
                outOfMemory += 1
                continue
            }
            ran += 1
        }
        print("\(topic.rawValue): \(ran) random scenarios ran, \(refused) refused, \(outOfMemory) out of guest memory")
        // Most drawn scenarios are valid (cross-checks refuse a few combinations).
        expectAtLeast(ran, 40, "\(topic): \(ran) ran, \(refused) refused: \(reasons)")
    }
}
