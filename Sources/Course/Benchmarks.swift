import Vocabulary
import Foundation
import SafeOutput
import Reports
import Analysis
import Charts
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// The throughput benchmarks `virtlab bench` runs (release build): the trace format, the
/// simulators, rendering, sweeps and the whole course; one JSON object a line with `json`.
package struct Benchmarks {
    package enum Area: String, CaseIterable, Sendable {
        case trace, sim, render, sweep, report, all
    }

    let json: Bool
    let events: UInt64
    let repeats: Int
    let scratch: String

    package init(json: Bool, events: UInt64, repeats: Int, scratch: String) {
        self.json = json
        self.events = events
        self.repeats = repeats
        self.scratch = scratch
    }

    package func run(_ area: Area) throws {
        if area == .trace || area == .all { try traceBenchmark() }
        if area == .sim || area == .all { try simBenchmarks() }
        if area == .render || area == .all { try renderBenchmarks() }
        if area == .sweep || area == .all { try sweepBenchmark() }
        if area == .report || area == .all { try reportBenchmark() }
    }

    /// `virtlab course` into a scratch folder, the median wall time of --repeats builds.
    func reportBenchmark() throws {
        let dir = "\(scratch)/virtlab-bench-course-\(getpid())"
        defer { removeTree(dir) }
        var walls: [Double] = [], lessons: [Double] = []
        var built = CourseBuilder.Built(pages: 0, figures: 0, claims: 0)
        for _ in 0..<repeats {
            let t0 = monotonicSeconds()
            built = try CourseBuilder.build(output: dir, sweeps: try CourseBuilder.defaultSweeps(templates: nil), force: true)
            walls.append(monotonicSeconds() - t0)
            lessons.append(built.parseSeconds + built.checkSeconds)
        }
        let cores = coreCount()
        let ms = (median(lessons) * 1e4).rounded() / 10
        if json {
            try BenchRecord("report.course", ["wall_s": .real((median(walls) * 100).rounded() / 100), "pages": .int(built.pages),
                                              "figures": .int(built.figures), "claims": .int(built.claims), "lessons_ms": .real(ms), "threads": .int(cores)]).print()
        } else {
            print("report.course: \(String(format4: median(walls), digits: 2)) s for \(built.pages) pages and \(built.figures) figures on \(cores) threads; "
                  + "lessons parsed and \(built.claims) claims checked in \(Format.number(ms)) ms")
        }
    }

    /// A 64-point migration sweep (32 dirty rates × pre-copy/post-copy of a 512 MiB VM) on one
    /// thread and on two; the speed-up of two over one, the median of --repeats.
    func sweepBenchmark() throws {
        let base = try Preset(name: "bench-sweep", topic: .migration, summary: "bench", seed: 1, overrides: [
            "migration.vm.memory_mib": .integer(512), "migration.workload.hot_pages": .integer(8_192),
        ]).scenario()
        let plan = try SweepPlan(base: base, axes: [
            try SweepPlan.axis("migration.workload.dirty_rate=1000:64000:32", topic: .migration),
            try SweepPlan.axis("migration.strategy=pre-copy,post-copy", topic: .migration),
        ], repeats: 1)
        func wall(threads: Int) throws -> Double {
            let dir = "\(scratch)/virtlab-bench-sweep-\(getpid())-\(threads)"
            try makeDirectory(dir)
            defer { for run in plan.runs { unlink("\(dir)/\(run.traceName)") }; rmdir(dir) }
            let t0 = monotonicSeconds()
            _ = try Sweeps.execute(plan, dir: dir, threads: threads, quiet: true)
            return monotonicSeconds() - t0
        }
        var one: [Double] = [], two: [Double] = []
        for _ in 0..<repeats {
            one.append(try wall(threads: 1))
            two.append(try wall(threads: 2))
        }
        let speedup = median(one) / median(two)
        if json {
            try BenchRecord("sweep.migration_64", ["runs": .int(plan.runs.count), "wall_1_thread_s": .real((median(one) * 1_000).rounded() / 1_000),
                                                   "wall_2_threads_s": .real((median(two) * 1_000).rounded() / 1_000),
                                                   "speedup_2_threads": .real((speedup * 100).rounded() / 100)]).print()
        } else {
            print("sweep.migration_64: \(plan.runs.count) runs, \(String(format4: median(one), digits: 2)) s on 1 thread, " +
                  "\(String(format4: median(two), digits: 2)) s on 2: speed-up \(String(format4: speedup, digits: 2))×")
        }
    }

    /// A 10-million-event timeline (trace reading included), a 1-million-point line chart and a
    /// bar chart, each to PNG, SVG and PDF.
    func renderBenchmarks() throws {
        let tracePath = "\(scratch)/virtlab-bench-render-\(getpid()).vlt"
        defer { unlink(tracePath) }
        try TraceBenchmark(events: 10_000_000, path: tracePath).write()
        var walk = SplitMix64(seed: 7)
        var y = 0.0
        let points: [(Double, Double)] = (0..<1_000_000).map { i in
            y += walk.unit() - 0.5
            return (Double(i), y)
        }
        let cases: [(String, () throws -> any Chart)] = [
            ("render.timeline_10m", { TimelineChart(title: "Timeline — 10 M events", timeline: try TimelineReducer.reduce(TraceReader(path: tracePath), buckets: 700)) }),
            ("render.line_1m", { LineChart(title: "A million points", xLabel: "sample", yLabel: "value", series: [("random walk", points)]) }),
            ("render.bars", { BarChart(title: "Bars", categories: ["compute", "fork", "thrash", "switch", "io"],
                                       series: [("native", [1, 2, 3, 4, 5]), ("shadow", [2, 9, 5, 12, 6]), ("nested", [2, 3, 9, 5, 6])],
                                       unit: .count, valueLabel: "time") }),
        ]
        // The explorer's level-of-detail data for the same 10 M events: events per second on one core, and its weight.
        var lod: [Double] = [], bytes = 0
        for _ in 0..<repeats {
            let t0 = monotonicSeconds()
            bytes = try ExplorerData.script(TraceReader(path: tracePath), id: "bench", command: "virtlab report bench.vlt --window").utf8.count
            lod.append(monotonicSeconds() - t0)
        }
        let rate = 10_000_000 / median(lod)
        if json {
            try BenchRecord("render.explorer_10m", ["events_per_s": .int(Int(rate)), "bytes": .int(bytes)]).print()
        } else {
            print("render.explorer_10m: \(Format.number((rate / 1e6 * 10).rounded() / 10)) M events/s, \(bytes) bytes of data")
        }
        for (name, make) in cases {
            var fields: [(String, BenchRecord.Value)] = []
            for format in Charts.FigureFormat.allCases {
                let out = "\(scratch)/virtlab-bench-figure-\(getpid()).\(format.rawValue)"
                defer { unlink(out) }
                var times: [Double] = []
                // Quick figures are timed more often: one run of a 20 ms figure is mostly noise here.
                var runs = repeats
                var i = 0
                while i < runs {
                    let t0 = monotonicSeconds()
                    try FigureRenderer.render(try make(), format: format, theme: .named(.paper), path: out)
                    times.append(monotonicSeconds() - t0)
                    if i == 0, times[0] < 0.1 { runs = max(repeats, 15) }
                    i += 1
                }
                fields.append(("\(format.rawValue)_s", .real((median(times) * 1e4).rounded() / 1e4)))
                fields.append(("\(format.rawValue)_bytes", .int(Int(regularFileSize(out) ?? 0))))
            }
            let record = BenchRecord(name, fields)
            if json {
                try record.print()
            } else {
                print("\(name): " + record.fields.map { "\($0.0): \($0.1.text)" }.joined(separator: ", "))
            }
        }
    }

    func traceBenchmark() throws {
        // The median of three runs: this machine shares its cores, single runs vary by ±15 %.
        var runs: [TraceBenchmark.Result] = []
        for _ in 0..<repeats { runs.append(try TraceBenchmark(events: events, path: "\(scratch)/virtlab-bench-\(getpid()).vlt").runMeasured()) }
        let result = TraceBenchmark.Result(writeRate: median(runs.map(\.writeRate)), readRate: median(runs.map(\.readRate)),
                                           bytesPerEvent: runs[0].bytesPerEvent)
        let name = "trace.mixed_" + (events % 1_000_000 == 0 ? "\(events / 1_000_000)m" : "\(events)")
        if json {
            try BenchRecord(name, ["events": .int(Int(events)), "write_events_per_s": .int(Int(result.writeRate)), "read_events_per_s": .int(Int(result.readRate)),
                                   "bytes_per_event": .real((result.bytesPerEvent * 1000).rounded() / 1000)]).print()
        } else {
            print("\(name): write \(Format.number((result.writeRate / 1e6).rounded())) M events/s, "
                  + "read \(Format.number((result.readRate / 1e6).rounded())) M events/s, "
                  + "\(String(format4: result.bytesPerEvent, digits: 3)) bytes/event")
        }
    }

    /// The memory simulator's two paths: TLB hits (a 1 MiB working set) and 2-D walks (tlb-thrash, nested).
    func simBenchmarks() throws {
        let cases: [(String, PresetName, [String: ScenarioValue])] = [
            ("memory.tlb_hit", .tlbThrashNative, ["memory.workload.working_set_mib": .integer(1), "memory.workload.pattern": .text("sequential"),
                                                   "memory.workload.accesses": .integer(50_000_000)]),
            ("memory.nested_walk", .tlbThrashNested, ["memory.workload.accesses": .integer(10_000_000)]),
        ]
        for (name, presetName, overrides) in cases {
            let preset = Preset.named(presetName)
            var merged = preset.overrides
            for (k, v) in overrides { merged[k] = v }
            let s = try Preset(name: name, topic: .memory, summary: preset.summary, seed: preset.seed, overrides: merged).scenario()
            var rates: [Double] = []
            var rss = 0
            for _ in 0..<repeats {
                let path = "\(scratch)/virtlab-bench-sim-\(getpid()).vlt"
                defer { unlink(path) }
                let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
                let t0 = monotonicSeconds()
                let accesses = try MemorySimulator.benchmarkPass(MemoryConfig(s), seed: s.seed, writer: writer)
                let t1 = monotonicSeconds()
                try writer.close(summary: [])
                rates.append(Double(accesses) / (t1 - t0))
                rss = max(rss, peakResidentBytes())
            }
            let rate = median(rates)
            if json {
                try BenchRecord(name, ["accesses_per_s": .int(Int(rate)), "peak_rss_bytes": .int(rss)]).print()
            } else {
                print("\(name): \(Format.number((rate / 1e6 * 10).rounded() / 10)) M accesses/s")
            }
        }
        try cpuBenchmarks()
        try ioBenchmarks()
        try migrationBenchmark()
    }

    /// Simulated I/O operations per second under each approach (one VM, NIC, closed loop). The
    /// simulation alone: an emulated request writes ten events, which at trace speed alone caps
    /// a traced run near 4 M requests/s; `traced_ops_per_s` reports that figure too.
    func ioBenchmarks() throws {
        for approach in IOConfig.Approach.allCases {
            let s = try Preset(name: "bench-io", topic: .io, summary: "bench", seed: 1, overrides: [
                "io.approach": .text(approach.rawValue), "io.requests": .integer(2_000_000),
            ]).scenario()
            var rates: [Double] = [], traced: [Double] = []
            for _ in 0..<repeats {
                let t0 = monotonicSeconds()
                let n = try IOSimulator.benchmarkPass(IOConfig(s), seed: s.seed, writer: nil)
                rates.append(Double(n) / (monotonicSeconds() - t0))
                let path = "\(scratch)/virtlab-bench-io-\(getpid()).vlt"
                defer { unlink(path) }
                let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
                let t1 = monotonicSeconds()
                let m = try IOSimulator.benchmarkPass(IOConfig(s), seed: s.seed, writer: writer)
                traced.append(Double(m) / (monotonicSeconds() - t1))
                try writer.close(summary: [])
            }
            let rate = median(rates), tracedRate = median(traced)
            if json {
                try BenchRecord("io.\(approach.rawValue)", ["ops_per_s": .int(Int(rate)), "traced_ops_per_s": .int(Int(tracedRate))]).print()
            } else {
                print("io.\(approach.rawValue): \(Format.number((rate / 1e6 * 100).rounded() / 100)) M operations/s "
                      + "(\(Format.number((tracedRate / 1e6 * 100).rounded() / 100)) M with the trace)")
            }
        }
    }

    /// A 16 GiB VM (4 Mi pages) under pre-copy with a hot working set: wall time and peak memory.
    func migrationBenchmark() throws {
        let s = try Preset(name: "bench-migration", topic: .migration, summary: "bench", seed: 1, overrides: [
            "migration.vm.memory_mib": .integer(16_384), "migration.workload.hot_pages": .integer(65_536),
            "migration.workload.dirty_rate": .real(20_000), "migration.network.bandwidth_mbps": .real(10_000),
        ]).scenario()
        var walls: [Double] = []
        for _ in 0..<repeats {
            let path = "\(scratch)/virtlab-bench-mig-\(getpid()).vlt"
            defer { unlink(path) }
            let t0 = monotonicSeconds()
            let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
            let metrics = try Runner.run(s, writer: writer)
            try writer.close(summary: metrics)
            walls.append(monotonicSeconds() - t0)
        }
        let wall = median(walls)
        let rss = peakResidentBytes()
        if json {
            try BenchRecord("migration.precopy_16g", ["wall_s": .real((wall * 1_000).rounded() / 1_000), "peak_rss_bytes": .int(rss)]).print()
        } else {
            print("migration.precopy_16g: \(String(format4: wall, digits: 3)) s wall, peak RSS \(rss / 1_048_576) MiB")
        }
    }

    /// Simulated instructions per second under each CPU strategy (syscall-heavy mix on x86-legacy, trace on).
    func cpuBenchmarks() throws {
        for strategy in CPUConfig.Strategy.allCases {
            let s = try Preset(name: "bench-cpu", topic: .cpu, summary: "bench", seed: 1, overrides: [
                "cpu.strategy": .text(strategy.rawValue), "cpu.workload.instructions": .integer(50_000_000),
            ]).scenario()
            let config = CPUConfig(s)
            let isa = try CPUSimulator.loadProfile(config.profile, readFile: { _ in nil })
            var rates: [Double] = []
            for _ in 0..<repeats {
                let path = "\(scratch)/virtlab-bench-cpu-\(getpid()).vlt"
                defer { unlink(path) }
                let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
                let t0 = monotonicSeconds()
                let n = try CPUSimulator.benchmarkPass(config, isa: isa, seed: s.seed, writer: writer)
                let t1 = monotonicSeconds()
                try writer.close(summary: [])
                rates.append(Double(n) / (t1 - t0))
            }
            let rate = median(rates)
            if json {
                try BenchRecord("cpu.\(strategy.rawValue)", ["instructions_per_s": .int(Int(rate))]).print()
            } else {
                print("cpu.\(strategy.rawValue): \(Format.number((rate / 1e6 * 10).rounded() / 10)) M instructions/s")
            }
        }
    }
}

/// The process's peak resident set (VmHWM), in bytes.
package func peakResidentBytes() -> Int {
    guard let bytes = readFile("/proc/self/status"), let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        return (Int(digits) ?? 0) * 1_024
    }
    return 0
}

/// The middle value (the mean of the two middle ones for an even count).
package func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Writes and reads a mixed stream shaped like what the simulators emit.
package struct TraceBenchmark {
    let events: UInt64
    let path: String

    struct Result { var writeRate: Double; var readRate: Double; var bytesPerEvent: Double }

    /// The simulators' own kinds (memory's, I/O requests, migration batches), so the benchmark
    /// measures the encoding the traces use, not a copy that can drift from it.
    static let schema: [EventKind] = MemoryEvents.kinds + IOEvents.kinds.filter { $0.id == IOEvents.request }
        + MigrationEvents.kinds.filter { $0.id == MigrationEvents.pageBatch }

    /// One pre-drawn event: up to five fields, gap since the previous event, kind, and which
    /// `append` takes it (48 bytes: the loop streams 3 MiB of them through the cache).
    struct Template {
        enum Call: UInt8 { case two, three, five, counters }
        var f: (UInt64, UInt64, UInt64, UInt64, UInt64)
        var gap: UInt32
        var kind: UInt16
        var call: Call

        init(kind: UInt16, gap: UInt64, n: Int, f: (UInt64, UInt64, UInt64, UInt64, UInt64)) {
            self.f = f
            self.gap = UInt32(gap)
            self.kind = kind
            call = kind == MemoryEvents.counters ? .counters : n == 2 ? .two : n == 3 ? .three : .five
        }
    }

    /// 64 Ki events drawn once with a fixed seed; the benchmark cycles through them.
    static func templates() -> [Template] {
        var rng = SplitMix64(seed: 2026)
        var page: UInt64 = 0x7F00_0000
        var counters: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        return (0..<65_536).map { _ in
            // Gaps: a quarter of events share their instant with the one before (a fault and the walk
            // that follows it, an exit and the interrupt it injects); the rest are 20–420 ns apart.
            let gap = rng.below(4) == 0 ? 0 : 20 + rng.below(400)
            let r = rng.below(100)
            switch r {
            case 0..<40: // page walks at the detailed level: nearby pages, 4 or 24 refs
                page &+= rng.below(8)
                return Template(kind: MemoryEvents.pageWalk, gap: gap, n: 3, f: (page, rng.below(4) == 0 ? 24 : 4, rng.below(2), 0, 0))
            case 40..<70: // VM exits: 0.3–2 µs of handling
                return Template(kind: MemoryEvents.vmExit, gap: gap, n: 3, f: (rng.below(UInt64(MemoryEvents.ExitReason.allCases.count)), 300 + rng.below(1_700), rng.below(2), 0, 0))
            case 70..<85: // demand faults on fresh pages
                page &+= 1
                return Template(kind: MemoryEvents.pageFault, gap: gap, n: 3, f: (page, 0, rng.below(2), 0, 0))
            case 85..<93:
                return Template(kind: IOEvents.request, gap: gap, n: 5, f: (rng.below(4), rng.below(2), rng.below(4), 1_500, 2_000 + rng.below(20_000)))
            case 93..<98:
                let pages = 1 + rng.below(64)
                return Template(kind: MigrationEvents.pageBatch, gap: gap, n: 3,
                                f: (pages, pages * 4_096, rng.below(UInt64(MigrationEvents.Why.allCases.count)), 0, 0))
            default:
                counters.0 &+= 4_096; counters.1 &+= 4_000; counters.2 &+= 96; counters.3 &+= 400; counters.4 &+= rng.below(4)
                return Template(kind: MemoryEvents.counters, gap: gap, n: 5, f: counters)
            }
        }
    }

    func runMeasured() throws -> Result {
        defer { unlink(path) }
        let t0 = monotonicSeconds()
        try write()
        let t1 = monotonicSeconds()
        let reader = try TraceReader(path: path)
        var check: UInt64 = 0
        let report = try reader.scan { check &+= $0.time &+ $0.fields[0] }
        let t2 = monotonicSeconds()
        guard report.events == events else {
            throw CourseError.internalFailure("benchmark read \(report.events) events, wrote \(events)")
        }
        if check == 42 { print("") } // keeps the read loop from being optimised away
        return Result(writeRate: Double(events) / (t1 - t0), readRate: Double(events) / (t2 - t1),
                      bytesPerEvent: Double(reader.fileSize) / Double(events))
    }

    /// Writes the mixed stream to `path` (kept; the caller removes it).
    func write() throws {
        let header = TraceHeader(writerVersion: "virtlab \(Runner.version)", seed: 2026,
                                 metadata: [(key: "scenario_name", value: "bench-mixed")], schema: try Schema(Self.schema))
        let pattern = Self.templates()
        let writer = try TraceWriter(path: path, header: header)
        var time: UInt64 = 0
        var written: UInt64 = 0
        var counterBase: UInt64 = 0
        try pattern.withUnsafeBufferPointer { p in
            while written < events {
                let n = Int(min(UInt64(p.count), events - written))
                for i in 0..<n {
                    let t = p[i]
                    time &+= UInt64(t.gap)
                    // Tests rather than a switch, commonest first: a jump table's indirect
                    // branch mispredicts more than a compare that is usually true.
                    if t.call == .three {
                        try writer.append(t.kind, at: time, t.f.0, t.f.1, t.f.2)
                    } else if t.call == .five {
                        try writer.append(t.kind, at: time, t.f.0, t.f.1, t.f.2, t.f.3, t.f.4)
                    } else if t.call == .two {
                        try writer.append(t.kind, at: time, t.f.0, t.f.1)
                    } else {
                        // Counters keep rising across passes over the pattern, as real ones do (six fields).
                        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 6) { b in
                            b[0] = t.f.0 &+ counterBase; b[1] = t.f.1 &+ counterBase; b[2] = t.f.2; b[3] = t.f.3; b[4] = t.f.4; b[5] = t.f.4
                            try writer.append(t.kind, at: time, UnsafeBufferPointer(b))
                        }
                    }
                }
                written &+= UInt64(n)
                counterBase &+= 1 << 30
            }
        }
        try writer.close(summary: [Metric("events", Double(events), "count")])
    }
}


/// One benchmark's result: its name and its numbers, printed as one JSON object a line by
/// `--json` (through `JSONEncoder`, keys sorted: the same result gives the same line).
package struct BenchRecord: Encodable {
    enum Value: Encodable {
        case int(Int)
        case real(Double)

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .int(v): try c.encode(v)
            case let .real(v): try c.encode(v)
            }
        }

        /// As the text output shows it.
        var text: String {
            switch self {
            case let .int(v): String(v)
            case let .real(v): Format.json(v)
            }
        }
    }

    let name: String
    let fields: [(String, Value)]

    init(_ name: String, _ fields: KeyValuePairs<String, Value>) {
        self.name = name
        self.fields = fields.map { ($0.key, $0.value) }
    }

    init(_ name: String, _ fields: [(String, Value)]) {
        self.name = name
        self.fields = fields
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(name, forKey: Key(stringValue: "name"))
        for (key, value) in fields { try c.encode(value, forKey: Key(stringValue: key)) }
    }

    /// Prints the record as one line of JSON.
    func print() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(self), as: UTF8.self))
    }
}
