import Foundation
import Reports
import SafeOutput
import Testing
import TestKit
import VirtLabTestSupport
@testable import VirtLabCommands

struct CourseCommandTests {
    @Test func courseInitCopiesTheShippedLessonsAndTheCopyBuilds() throws {
        let dir = TestFixtures.freshPath("init")
        defer { removeTree(dir) }
        var cmd = try CourseInitCommand.parse([dir, "--templates", TestFixtures.repoRoot + "/Templates"])
        try cmd.run()
        expectEqual(Set(directoryNames(dir)), Set(["course.yaml", "migration.md", "cpu.md", "memory.md", "io.md"]))
        let course = try Course.load(folder: dir)
        expectEqual(course.lessons.map(\.id), ["migration", "cpu", "memory", "io"])
        cmd = try CourseInitCommand.parse([dir, "--templates", TestFixtures.repoRoot + "/Templates"])
        #expect(throws: CommandError.self) { try cmd.run() }
    }
}
