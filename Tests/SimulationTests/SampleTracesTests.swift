import Foundation
import Vocabulary
import Testing
import TestKit
@testable import Simulation
@testable import TraceFormat

/// `Traces/samples/*.vlt` are small traces the Analysis and Reports tests read instead of
/// running a simulator. Each is made from the scenario file beside it (`make samples`), and
/// must still be exactly what that file gives: a model or format change that alters a sample
/// fails here until `make samples` is run and the new bytes are committed.
struct SampleTracesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Traces/samples").path

    static var scenarios: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func oneSamplePerTopic() throws {
        var topics: [String] = []
        for file in Self.scenarios {
            let s = try ScenarioDecoder.decode(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/\(file)"))), source: file)
            topics.append(s.topic.rawValue)
        }
        expectEqual(Set(topics), Set(Topic.allCases.map(\.rawValue)), "\(Self.scenarios)")
    }

    @Test(arguments: scenarios)
    func sampleIsWhatItsScenarioGives(_ file: String) throws {
        let s = try ScenarioDecoder.decode(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/\(file)"))), source: file)
        let path = FileManager.default.temporaryDirectory.path + "/virtlab-sample-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let writer = try TraceWriter(path: path, header: try Runner.header(for: s))
        try writer.close(summary: try Runner.run(s, writer: writer))
        let kept = FileManager.default.contents(atPath: "\(Self.folder)/\(file.dropLast(".yaml".count)).vlt")
        #expect(kept != nil, "Traces/samples/\(file): the committed trace is not what the scenario gives now; run `make samples`")
        expectEqual(FileManager.default.contents(atPath: path), kept, "Traces/samples/\(file): the committed trace is not what the scenario gives now; run `make samples`")
        expectLess(kept?.count ?? 0, 200_000, "a sample stays small")
    }
}
