import Vocabulary
import TraceFormat

/// What a run will cost, estimated before it starts: a short pilot of the same scenario with
/// its size key scaled down (memory accesses, I/O requests, CPU instructions), its events,
/// trace bytes and time scaled back up. Linear in the size key; a pilot over-counts first-touch
/// work, so the estimate errs high. Migration runs are bounded by their rounds and not piloted.
package struct RunCost: Sendable, Equatable {
    package var events: Double
    package var bytes: Double
    package var seconds: Double
    /// The key the run's size follows, and its value.
    package var sizeKey: String?
    package var size: Int64 = 0

    /// Above either of these a run is announced and needs the user's `--yes`.
    package static let largeBytes: Double = 2 * 1_073_741_824
    package static let largeSeconds: Double = 120

    package init(events: Double, bytes: Double, seconds: Double, sizeKey: String? = nil, size: Int64 = 0) {
        (self.events, self.bytes, self.seconds, self.sizeKey, self.size) = (events, bytes, seconds, sizeKey, size)
    }

    package var isLarge: Bool { bytes > Self.largeBytes || seconds > Self.largeSeconds }

    /// The key that sets a topic's run length, and the pilot's value of it.
    static func sizeKey(_ topic: Topic) -> (key: String, pilot: Int64)? { topic.simulation.sizeKey }

    /// Runs the pilot (a few milliseconds) and scales it.
    package static func estimate(_ s: Scenario, files: Runner.FileReader = { _ in nil }) throws -> RunCost {
        guard let (key, pilotSize) = sizeKey(s.topic) else { return RunCost(events: 0, bytes: 0, seconds: 0) }
        let size = s.int(key)
        guard size > pilotSize else { return RunCost(events: 0, bytes: 0, seconds: 0, sizeKey: key, size: size) }
        var pilot = s
        pilot.values[key] = .integer(pilotSize)
        // A memory warm-up touches every page once whatever the run's length: the pilot runs
        // without it and counts its touches as accesses (scaling the warm-up a hundredfold would
        // announce a small run as a large one).
        var extra: Int64 = 0
        if s.topic == .memory, s.text("memory.workload.warmup") == "touch" {
            pilot.values["memory.workload.warmup"] = .text("none")
            let c = MemoryConfig(s)
            extra = Int64((c.workingSetBytes >> (c.largePages ? 21 : 12)) * UInt64(c.shared ? 1 : max(c.processes, 1)))
        }
        let sink = CountingSink()
        let writer = try TraceWriter(sink: sink, header: try Runner.header(for: pilot, files: files))
        let started = monotonicSeconds()
        let metrics = try Runner.run(pilot, writer: writer, files: files)
        let events = Double(writer.eventCount)
        try writer.close(summary: metrics)
        let factor = Double(size + extra) / Double(pilotSize)
        return RunCost(events: events * factor, bytes: Double(sink.bytes) * factor, seconds: (monotonicSeconds() - started) * factor,
                       sizeKey: key, size: size)
    }

    /// "about 6.2 GB and 1.3 billion events, ≈ 10 min"
    package var summary: String {
        func amount(_ v: Double, _ units: [(Double, String)]) -> String {
            for (scale, name) in units where v >= scale { return "\((v / scale * 10).rounded() / 10) \(name)" }
            return String(Int(v.rounded()))
        }
        let b = amount(bytes, [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")])
        let e = amount(events, [(1e9, "billion"), (1e6, "million"), (1e3, "thousand")])
        let t = seconds >= 3_600 ? "\(Int(seconds / 3_600)) h \(Int(seconds.truncatingRemainder(dividingBy: 3_600) / 60)) min"
            : seconds >= 60 ? "\(Int(seconds / 60)) min" : "\(Int(seconds.rounded())) s"
        return "about \(b == "0" ? "0 bytes" : b + (b.hasSuffix("B") ? "" : " bytes")) of trace, \(e) events and \(t) on this machine"
    }
}

/// A trace sink that only counts bytes (for the pilot run).
final class CountingSink: TraceSink {
    let path = "(estimate)"
    private(set) var bytes = 0
    func writeAll(_ p: UnsafeRawPointer, count: Int) throws { bytes += count }
    func finish() throws {}
}
