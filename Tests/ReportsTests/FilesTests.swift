import Testing
@testable import Reports

@Suite struct FilesTests {
    /// A lesson's path on its page is relative to where the course was built, so two checkouts
    /// build the same bytes; a path elsewhere is shown whole.
    @Test func pathsInsideTheWorkingDirectoryAreShownRelative() {
        #expect(displayPath("/work/main/Templates/lessons/memory.md", from: "/work/main") == "Templates/lessons/memory.md")
        #expect(displayPath("/work/main/Templates/lessons/memory.md", from: "/work/main/") == "Templates/lessons/memory.md")
        #expect(displayPath("/work/mainline/x.md", from: "/work/main") == "/work/mainline/x.md", "a sibling folder with the same prefix is not inside")
        #expect(displayPath("/home/me/course/cpu.md", from: "/work/main") == "/home/me/course/cpu.md")
        #expect(displayPath("relative/x.md", from: "/work/main") == "relative/x.md")
        #expect(displayPath("/", from: "/") == "/")
    }

    @Test func theExecutableIsFound() {
        #expect(executablePath()?.hasPrefix("/") == true)
    }
}
