import Course
import Analysis
import ArgumentParser
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Simulation
import Testing
import TestKit
import SafeOutput
import TraceFormat
import Charts
@testable import VirtLabCommands
import Reports

struct IsaCommandTests {
    @Test func checkJSONHasTheTheoremsAndRegions() throws {
        let isa = try ShippedProfiles.profile("x86-legacy")!
        let json = IsaCommand.Check.json(VirtualizabilityReport(isa))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        expectEqual(object["profile"] as? String, "x86-legacy")
        for key in ["theorem1", "theorem2", "theorem3"] {
            let v = try #require(object[key] as? [String: Any])
            expectEqual(v["holds"] as? Bool, false)
            #expect(v["counterexamples"] is [String])
        }
        let regions = try #require(object["regions"] as? [String: [String]])
        expectEqual(regions["sensitive_not_privileged"]?.contains("POPF"), true)
        expectEqual(regions["safe"]?.contains("ADD"), true)
    }

    @Test func userProfileFilesAreCheckedWithLines() throws {
        let path = "\(Fixtures.dir)/virtlab-profile-\(UUID().uuidString).yaml"
        defer { unlink(path) }
        try "name: mine\ninstructions:\n  - mnemonic: X\n    privileged: true\n  - mnemonic: X\n".write(toFile: path, atomically: true, encoding: .utf8)
        let check = try IsaCommand.Check.parse([path])
        let e = #expect(throws: ScenarioError.self) { try check.run() }
        expectEqual(e?.line, 5)
        expectEqual(VirtLabCLI.describe(e!)?.1, 2)
    }

    @Test func cpuRunWithAUserProfileFile() throws {
        let profile = "\(Fixtures.dir)/virtlab-prof-\(UUID().uuidString).yaml"
        let trace = Fixtures.tracePath("cpu-user")
        defer { unlink(profile); unlink(trace) }
        try ShippedProfiles.yaml("pg-ideal")!.replacingOccurrences(of: "name: pg-ideal", with: "name: my-machine")
            .write(toFile: profile, atomically: true, encoding: .utf8)
        let s = try ScenarioDecoder.decode(text: "name: t\ntopic: cpu\ncpu:\n  profile: \(profile)\n  workload:\n    instructions: 20000\n", source: "s")
        _ = try Runs.simulate(s, to: trace)
        try expectEqual(TraceReader(path: trace).header[metadata: "profile"]?.contains("my-machine"), true)
    }
}
