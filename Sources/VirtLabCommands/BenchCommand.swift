import Course
import Vocabulary
import Foundation
import SafeOutput
import Reports
import Analysis
import ArgumentParser
import Charts
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab bench`: throughput figures, one JSON object a line with `--json`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (build with `swift build -c release` first).",
        discussion: """
        trace: writes then reads a realistic mixed stream of 50 million events (page faults, \
        page walks, VM exits, I/O requests, migration batches and counters with simulated \
        timestamp gaps) and reports events per second and bytes per event, the median of \
        --repeats runs. sim: simulated memory accesses per second on the TLB-hit path and on \
        the 2-D-walk path (tlb-thrash under nested paging), and simulated instructions per second \
        under each CPU strategy (syscall-heavy mix on x86-legacy); one core, trace writing on; \
        and the wall time and peak memory of pre-copying a 16 GiB VM with a hot working set. \
        sweep: a 64-point migration sweep on one thread and on two, and the speed-up. report: \
        the whole course site (every preset simulated, every run page, topic page, sweep and \
        figure written) on all cores, wall time and counts.

        Example:
          .build/release/virtlab bench trace --json
        """
    )

    @Argument(help: "Which benchmarks to run.")
    var area: Benchmarks.Area = .all

    @Flag(help: "Print one JSON object a line.")
    var json = false

    @Option(help: "Events in the trace benchmark.")
    var events: UInt64 = 50_000_000

    @Option(help: "Runs of each benchmark; the median is reported.")
    var repeats = 3

    @Option(help: "Folder for the benchmark's temporary trace.")
    var scratch = "/tmp"

    func run() throws {
        try Benchmarks(json: json, events: events, repeats: repeats, scratch: scratch).run(area)
    }
}

extension Benchmarks.Area: ExpressibleByArgument {}
