import Testing
import TestKit
@testable import SafeOutput
#if canImport(Glibc)
import Glibc
#endif

struct FolderGuardTests {
    let mark = ".virtlab-site"

    func site(_ name: String) throws -> String {
        let dir = scratchFolder(name)
        mkdir("\(dir)/figures", 0o755)
        try OutputFile.write(text: "<html>", to: "\(dir)/index.html")
        try OutputFile.write(text: "svg", to: "\(dir)/figures/a.svg")
        try OutputFile.write(text: FolderGuard.markText(intro: "made by VirtLab\n", listing: dir, mark: mark), to: "\(dir)/\(mark)")
        return dir
    }

    @Test func aFolderVirtLabMadeWholeMayBeReplaced() throws {
        let dir = try site("own")
        #expect(FolderGuard.foreignFiles(in: dir, mark: mark).isEmpty)
        try FolderGuard.checkOwned(dir, mark: mark, what: "replace", force: false)
    }

    @Test func aUsersFileMakesTheFolderForeignAndIsNamed() throws {
        let dir = try site("foreign")
        try OutputFile.write(text: "precious", to: "\(dir)/thesis.tex")
        mkdir("\(dir)/notes", 0o755)
        try OutputFile.write(text: "x", to: "\(dir)/notes/.hidden")
        expectEqual(FolderGuard.foreignFiles(in: dir, mark: mark), ["notes/.hidden", "thesis.tex"])
        do {
            try FolderGuard.checkOwned(dir, mark: mark, what: "replace", force: false)
            Issue.record("a folder with a user's file was accepted")
        } catch let e as OutputError {
            expectContains(e.description, "thesis.tex")
            expectContains(e.description, "notes/.hidden")
            expectContains(e.description, "--force")
        }
        try FolderGuard.checkOwned(dir, mark: mark, what: "replace", force: true)
    }

    @Test func aFileEditedSinceIsForeign() throws {
        let dir = try site("edited")
        try OutputFile.write(text: "<html>my own notes, longer</html>", to: "\(dir)/index.html")
        expectEqual(FolderGuard.foreignFiles(in: dir, mark: mark), ["index.html"])
    }

    @Test func aSavedPageWithoutTheMarkProvesNothing() throws {
        let dir = scratchFolder("saved-page")
        try OutputFile.write(text: "<meta name=\"generator\" content=\"VirtLab 0.1.0\">", to: "\(dir)/index.html")
        try OutputFile.write(text: "precious", to: "\(dir)/thesis.tex")
        #expect(throws: OutputError.self) { try FolderGuard.checkOwned(dir, mark: mark, what: "replace", force: false) }
    }

    @Test func anOlderMarkWithoutAListIsRefused() throws {
        let dir = scratchFolder("old-mark")
        try OutputFile.write(text: "This folder is a site built by VirtLab\n", to: "\(dir)/\(mark)")
        try OutputFile.write(text: "<html>", to: "\(dir)/index.html")
        do {
            try FolderGuard.checkOwned(dir, mark: mark, what: "replace", force: false)
            Issue.record("an unlisted mark was accepted")
        } catch let e as OutputError {
            expectContains(e.description, "older VirtLab")
        }
    }

    @Test func insideIsDecidedOnResolvedPaths() throws {
        let dir = scratchFolder("inside")
        mkdir("\(dir)/site", 0o755)
        try OutputFile.write(text: "t", to: "\(dir)/site/t.vlt")
        symlink("\(dir)/site", "\(dir)/alias")
        #expect(FolderGuard.path("\(dir)/site/t.vlt", isInside: "\(dir)/site"))
        #expect(FolderGuard.path("\(dir)/alias/t.vlt", isInside: "\(dir)/site"))
        #expect(FolderGuard.path("\(dir)/site/../site/t.vlt", isInside: "\(dir)/alias"))
        #expect(!FolderGuard.path("\(dir)/site", isInside: "\(dir)/si"))
    }
}
