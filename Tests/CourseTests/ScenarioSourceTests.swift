import Foundation
import SafeOutput
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
@testable import Course

/// A command's scenario argument: a file first, then a preset; anything else is bad input that
/// says what was looked for.
struct ScenarioSourceTests {
    @Test func aFileComesBeforeAPreset() throws {
        let dir = TestFixtures.folder("source")
        defer { removeTree(dir) }
        // A file named like a preset is read as the file.
        let path = dir + "/precopy-moderate"
        try OutputFile.write(text: Preset.named(.tlbThrashNative).yaml, to: path)
        try expectEqual(ScenarioSource.load(path).topic, .memory)
        try expectEqual(ScenarioSource.load("precopy-moderate").topic, .migration)
    }

    @Test func unknownNamesAndFoldersAreBadInput() throws {
        do {
            _ = try ScenarioSource.load("no-such-preset")
            Issue.record("an unknown name was accepted")
        } catch let e as CourseError {
            expectContains("\(e)", "no scenario file or preset named 'no-such-preset'")
        }
        let dir = TestFixtures.folder("dir")
        defer { removeTree(dir) }
        do {
            _ = try ScenarioSource.load(dir)
            Issue.record("a folder was accepted")
        } catch let e as CourseError {
            expectContains("\(e)", "is a directory")
        }
    }

    /// A file's mistakes are the decoder's: located, not a generic failure.
    @Test func aBadFileSaysWhere() throws {
        let dir = TestFixtures.folder("bad")
        defer { removeTree(dir) }
        try OutputFile.write(text: "name: x\ntopic: memory\nmemory:\n  levels: 9\n", to: dir + "/s.yaml")
        #expect(throws: ScenarioError.self) { try ScenarioSource.load(dir + "/s.yaml") }
    }
}
