import SafeOutput
import Vocabulary
import Charts
import Reports
import Dispatch
import Simulation
import Synchronization
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// Sweeps: a plan's runs simulated in parallel (or emitted as jobs for a cluster), their
/// results gathered into results.csv, a figure per key metric and axis, and the sweep's page.
package enum Sweeps {
    /// Runs what is not done yet on this machine and writes results.csv, the figures and index.html.
    @discardableResult
    package static func runLocally(_ plan: SweepPlan, dir: String, threads: Int? = nil, quiet: Bool,
                           page: PageContext) throws -> (figures: [FigureRef], results: [[Metric]]) {
        try makeDirectory(dir)
        try writePlan(plan, dir: dir)
        let results = try execute(plan, dir: dir, threads: threads ?? coreCount(), quiet: quiet)
        return (try report(plan, dir: dir, results: results, page: page), results)
    }

    /// The plan for a scenario or preset with `vary`, or for a sweep file (its axes first, then
    /// `vary`); also the sweep file's description and headline metric.
    package static func plan(_ name: String, vary: [String] = [], repeats: Int = 1,
                     maxRuns: Int = SweepPlan.defaultMaxRuns) throws -> (plan: SweepPlan, description: String?, headline: String?) {
        var scenario = name, axesText = vary, repeats = repeats, description: String?, headline: String?
        var sources = vary.map { "--vary \($0)" }
        if let size = regularFileSize(name), size <= ScenarioDecoder.maxBytes, let bytes = readFile(name),
           let text = String(validating: bytes, as: UTF8.self), text.contains("sweep:") {
            let spec = try SweepFile.decode(text: text, source: name)
            scenario = spec.scenario
            // A scenario file named by the sweep file is found next to it.
            if Preset.named(scenario) == nil, !scenario.hasPrefix("/"), regularFileSize(scenario) == nil,
               let slash = name.lastIndex(of: "/"), regularFileSize(String(name[...slash]) + scenario) != nil {
                scenario = String(name[...slash]) + scenario
            }
            axesText = spec.vary + vary
            sources = spec.varySources + sources
            repeats = max(repeats, spec.repeats)
            description = spec.description
            headline = spec.headline
        }
        let base = try ScenarioSource.load(scenario)
        guard !axesText.isEmpty else { throw CourseError.badInput("give at least one --vary KEY=VALUES") }
        let axes = try axesText.map { try SweepPlan.axis($0, topic: base.topic) }
        let keys = FigureCatalog.keyMetrics(base.topic.rawValue).map(\.rawValue)
        if let h = headline, !keys.contains(h) {
            throw CourseError.badInput("\(name): sweep.headline '\(h)' is not one of the \(base.topic.rawValue) topic's key metrics: "
                                        + keys.joined(separator: ", "))
        }
        return (try SweepPlan(base: base, axes: axes, repeats: repeats, maxRuns: maxRuns, sources: sources), description, headline)
    }

    /// Estimates the sweep from pilots of up to 16 of its runs, spread over the plan, and refuses
    /// a large one without `--yes` (see `RunCost`).
    package static func checkCost(_ plan: SweepPlan, dir: String, confirmed: Bool, quiet: Bool) throws {
        let picks = plan.runs.count <= 16 ? Array(plan.runs.indices)
            : Array(Set((0..<16).map { $0 * (plan.runs.count - 1) / 15 })).sorted()
        var total = RunCost(events: 0, bytes: 0, seconds: 0)
        for i in picks {
            let c = try RunCost.estimate(plan.runs[i].scenario, files: Runs.diskReader)
            total.events += c.events
            total.bytes += c.bytes
            total.seconds += c.seconds
        }
        let scale = Double(plan.runs.count) / Double(picks.count)
        total.events *= scale
        total.bytes *= scale
        total.seconds *= scale / Double(max(1, coreCount()))
        guard total.isLarge else { return }
        if confirmed {
            if !quiet { writeStandardError("virtlab: sweep of \(counted(plan.runs.count, "run")): \(total.summary)\n") }
            return
        }
        throw CourseError.badInput("this sweep of \(counted(plan.runs.count, "run")) is large: \(total.summary) (estimated from \(picks.count) of its runs). "
                                    + "Add --yes to run it anyway, or vary fewer or smaller values.")
    }

    /// Runs every run not already done, `threads` at a time; returns each run's metrics.
    package static func execute(_ plan: SweepPlan, dir: String, threads: Int, quiet: Bool) throws -> [[Metric]] {
        let total = plan.runs.count
        let results = ResultBox(count: total)
        let progress = SweepProgress(total: total, quiet: quiet)
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: max(1, threads))
        let queue = DispatchQueue(label: "virtlab.sweep", attributes: .concurrent)
        for run in plan.runs {
            slots.wait()
            group.enter()
            queue.async {
                defer { slots.signal(); group.leave() }
                let path = "\(dir)/\(run.traceName)"
                do {
                    if let done = verified(path, seed: run.seed, text: run.scenario.text) {
                        results.set(run.index, .success(done))
                    } else {
                        results.set(run.index, .success(try Runs.simulate(run.scenario, to: path, durable: false).1))
                    }
                } catch {
                    results.set(run.index, .failure(SweepFailure(message: "run \(run.traceName): \(error)")))
                }
                progress.done()
            }
        }
        group.wait()
        progress.finish()
        return try results.values()
    }

    /// A trace already in place that belongs to this run and reads back whole; its metrics.
    package static func verified(_ path: String, seed: UInt64, text: String) -> [Metric]? {
        guard regularFileSize(path) != nil, let reader = try? TraceReader(path: path), reader.footer != nil,
              reader.header.seed == seed, reader.header[metadata: "scenario"] == text,
              (try? reader.scan { _ in }) != nil else { return nil }
        return reader.summary
    }}

/// A run that failed inside a sweep.
struct SweepFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Per-run results written from many threads.
final class ResultBox: Sendable {
    private let slots: Mutex<[Result<[Metric], SweepFailure>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ i: Int, _ r: Result<[Metric], SweepFailure>) { slots.withLock { $0[i] = r } }

    func values() throws -> [[Metric]] {
        try slots.withLock { $0 }.map { r in
            switch r {
            case let .success(m)?: return m
            case let .failure(e)?: throw CourseError.internalFailure(e.message)
            case nil: throw CourseError.internalFailure("a sweep run did not finish")
            }
        }
    }
}

/// "runs done / total, rate, time left" on standard error when it is a terminal.
final class SweepProgress: Sendable {
    private let total: Int
    private let enabled: Bool
    private let started = monotonicSeconds()
    private let count = Mutex(0)

    init(total: Int, quiet: Bool) {
        self.total = total
        enabled = !quiet && isatty(2) == 1
    }

    func done() {
        let n = count.withLock { $0 += 1; return $0 }
        guard enabled else { return }
        let elapsed = monotonicSeconds() - started
        let rate = Double(n) / max(elapsed, 1e-9)
        let left = Double(total - n) / max(rate, 1e-9)
        writeStandardError("\rsweep \(n)/\(total) runs, \(String(format4: rate, digits: 1)) runs/s, \(Int(left.rounded())) s left ")
    }

    func finish() { if enabled { writeStandardError("\r\u{1B}[K") } }
}
