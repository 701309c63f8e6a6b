import Testing
import TestKit
@testable import Reports

struct FilesTests {
    /// A lesson's path on its page is relative to where the course was built, so two checkouts
    /// build the same bytes; a path elsewhere is shown whole.
    @Test func pathsInsideTheWorkingDirectoryAreShownRelative() {
        expectEqual(displayPath("/work/main/Templates/lessons/memory.md", from: "/work/main"), "Templates/lessons/memory.md")
        expectEqual(displayPath("/work/main/Templates/lessons/memory.md", from: "/work/main/"), "Templates/lessons/memory.md")
        expectEqual(displayPath("/work/mainline/x.md", from: "/work/main"), "/work/mainline/x.md", "a sibling folder with the same prefix is not inside")
        expectEqual(displayPath("/home/me/course/cpu.md", from: "/work/main"), "/home/me/course/cpu.md")
        expectEqual(displayPath("relative/x.md", from: "/work/main"), "relative/x.md")
        expectEqual(displayPath("/", from: "/"), "/")
    }

    @Test func theExecutableIsFound() {
        expectEqual(executablePath()?.hasPrefix("/"), true)
    }
}
