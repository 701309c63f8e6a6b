import Foundation
@testable import Simulation
@testable import TraceFormat

/// Runs a scenario of any topic into a temporary trace (removed afterwards), hands `inspect` a
/// strict reader of it, and returns the results summary.
func withTracedRun<T>(_ s: Scenario, _ inspect: (TraceReader, [Metric]) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.path + "/virtlab-sim-\(UUID().uuidString).vlt"
    defer { unlink(path) }
    let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
    let metrics = try Runner.run(s, writer: writer)
    try writer.close(summary: metrics)
    return try inspect(try TraceReader(path: path), metrics)
}
