import Testing
import TestKit
@testable import SafeOutput
#if canImport(Glibc)
import Glibc
#endif

/// The file-system helpers every layer uses.
struct FileSystemTests {
    @Test func foldersAreMadeWithTheirParentsAndRemovedWhole() throws {
        let dir = scratchFolder("fs-tree")
        defer { removeTree(dir) }
        try makeDirectory(dir + "/a/b/c")
        try makeDirectory(dir + "/a/b/c")  // again: no error
        try OutputFile.write(text: "x", to: dir + "/a/b/c/f.txt")
        #expect(isDirectory(dir + "/a/b/c"))
        #expect(fileExists(dir + "/a/b/c/f.txt"))
        #expect(!isDirectory(dir + "/a/b/c/f.txt"))
        // A file where a folder must go is an error that names the place.
        #expect(throws: OutputError.self) { try makeDirectory(dir + "/a/b/c/f.txt/d") }
        removeTree(dir + "/a")
        #expect(!fileExists(dir + "/a"))
        removeTree(dir + "/never-was")  // no error
    }

    /// A link to a folder is removed as a link: what it points at stays.
    @Test func removingALinkLeavesItsTarget() throws {
        let dir = scratchFolder("fs-link")
        defer { removeTree(dir) }
        try makeDirectory(dir + "/kept")
        try OutputFile.write(text: "x", to: dir + "/kept/f.txt")
        expectEqual(symlink(dir + "/kept", dir + "/link"), 0)
        removeTree(dir + "/link")
        #expect(fileExists(dir + "/kept/f.txt"))
        #expect(!fileExists(dir + "/link"))
    }

    @Test func sizesAndContentsOfRegularFilesOnly() throws {
        let dir = scratchFolder("fs-read")
        defer { removeTree(dir) }
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        try OutputFile.write(big, to: dir + "/big.bin")
        expectEqual(readFile(dir + "/big.bin"), big, "more than one read's chunk, whole")
        expectEqual(regularFileSize(dir + "/big.bin"), big.count)
        expectEqual(regularFileSize(dir), nil)
        expectEqual(regularFileSize(dir + "/none"), nil)
        expectEqual(readFile(dir), nil, "a folder is not a file: nil, not empty bytes")
        expectEqual(readFile(dir + "/none"), nil)
        expectEqual(symlink(dir + "/big.bin", dir + "/l"), 0)
        expectEqual(regularFileSize(dir + "/l"), big.count)
        expectEqual(regularFileSize(followingLinks: false, dir + "/l"), nil)
        #expect(splitPath("/a/b/c.txt") == ("/a/b/", "c.txt"))
        #expect(splitPath("c.txt") == ("", "c.txt"))
        expectEqual(directoryNames(dir).sorted(), ["big.bin", "l"])
    }
}
