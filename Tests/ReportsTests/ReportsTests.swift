import Foundation
import SafeOutput
import Testing
@testable import Reports
import Vocabulary

@Suite struct ReportsTests {
    @Test func sha256MatchesTheStandardVectors() {
        // FIPS 180-4 examples and the one-million-'a' message.
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256StreamsInAnyPieces() {
        let data = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var s = SHA256()
        for piece in stride(from: 0, to: data.count, by: 37) { s.update(data[piece..<min(piece + 37, data.count)]) }
        #expect(SHA256.hexString(s.finish()) == SHA256.hex(data))
    }

    @Test func sha256OfAFileEqualsTheDigestOfItsBytes() throws {
        let path = NSTemporaryDirectory() + "virtlab-sha-\(UUID().uuidString)"
        defer { unlink(path) }
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(SHA256.hex(file: path) == SHA256.hex(bytes))
        #expect(SHA256.hex(file: "/nonexistent/file") == nil)
    }

    @Test func templatesAreFoundAndComplete() throws {
        let set = try TemplateSet()
        #expect(fileExists(set.folder + "/layout.mustache"))
        #expect(set.styles.map(\.name) == ["style.css", "print.css", "predict.js", "explorer.js"])
        #expect(throws: ReportError.self) { try TemplateSet(folder: "/nonexistent") }
    }

    @Test func templatesEscapeEveryValue() throws {
        let set = try TemplateSet()
        var table = Table(caption: "<b>c</b>", columns: ["<th>"])
        table.add("<script>alert(1)</script>", href: "runs/x.html", ["<i>1</i>"])
        let page = SweepPage(title: "<script>alert(1)</script>", root: "", nav: [NavLink(href: "a.html", label: "<nav>")], version: "v",
                             heading: "<h1>", description: "\"quoted\" & <em>", shape: "s",
                             sections: [Section(id: "x", heading: "<h2>", paragraphs: ["<p>"], tables: [table])], command: "a < b")
        let html = try set.render(page, page: "sweep")
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;quoted&quot; &amp; &lt;em&gt;"))
        #expect(html.contains("&lt;i&gt;1&lt;/i&gt;"))
        #expect(html.contains("a &lt; b"))
    }

    @Test func pathsAndNamesAreSafe() {
        #expect(RunReport.rootPrefix(of: "index.html") == "")
        #expect(RunReport.rootPrefix(of: "runs/x.html") == "../")
        #expect(RunReport.rootPrefix(of: "sweeps/a/index.html") == "../../")
        #expect(RunReport.safeName("<script>alert(1)</script>") == "_script_alert_1___script_")
        #expect(RunReport.safeName("../../etc/passwd") == "_.._etc_passwd")
        #expect(RunReport.safeName("") == "run")
        #expect(Table.looksNumeric("12.5") && Table.looksNumeric("-3") && !Table.looksNumeric("yes") && !Table.looksNumeric("-"))
        #expect(Table.looksNumeric("–"), "the dash of a missing value lines up with the numbers")
    }

    @Test func aSiteIsRefusedWhereItWouldDestroySomethingElse() throws {
        let base = NSTemporaryDirectory() + "virtlab-site-\(UUID().uuidString)"
        defer { removeTree(base) }
        try makeDirectory(base + "/docs")
        try OutputFile.write(text: "mine", to: base + "/docs/notes.txt")
        let templates = try TemplateSet()
        #expect(throws: ReportError.self) { try Site(target: base + "/docs", templates: templates) }
        #expect(throws: ReportError.self) { try Site(target: base + "/docs/notes.txt", templates: templates) }
        #expect(throws: ReportError.self) { try Site(target: ".", templates: templates) }
        // An empty folder, a new one, and one VirtLab made are fine.
        try makeDirectory(base + "/empty")
        for target in [base + "/empty", base + "/new"] {
            let site = try Site(target: target, templates: templates)
            try site.write(text: "<p>hi</p>", to: "index.html")
            try site.commit()
            #expect(fileExists(target + "/index.html") && fileExists(target + "/style.css") && fileExists(target + "/" + Site.marker))
        }
        let again = try Site(target: base + "/new", templates: templates)
        try again.write(text: "<p>second</p>", to: "index.html")
        try again.commit()
        #expect(String(decoding: readFile(base + "/new/index.html")!, as: UTF8.self) == "<p>second</p>")
        #expect(directoryNames(base).allSatisfy { !$0.contains("staging") })
    }

    @Test func aFolderHoldingOnlyTheCourseReadmeMayBeReplaced() throws {
        let base = NSTemporaryDirectory() + "virtlab-site-\(UUID().uuidString)"
        defer { removeTree(base) }
        let templates = try TemplateSet()
        try makeDirectory(base + "/output")
        try OutputFile.write(readFile(templates.folder + "/output-README.md")!, to: base + "/output/README.md")
        let site = try Site(target: base + "/output", templates: templates)
        site.abandon()
        try makeDirectory(base + "/notes")
        try OutputFile.write(text: "my own readme", to: base + "/notes/README.md")
        #expect(throws: ReportError.self) { try Site(target: base + "/notes", templates: templates) }
        // A saved VirtLab page proves nothing about the rest of the folder (it used to be enough).
        try makeDirectory(base + "/old")
        try OutputFile.write(text: "<!DOCTYPE html>\n<html><head><meta name=\"generator\" content=\"VirtLab 0.1.0\">", to: base + "/old/index.html")
        try OutputFile.write(text: "x", to: base + "/old/thesis.tex")
        #expect(throws: ReportError.self) { try Site(target: base + "/old", templates: templates) }
        try Site(target: base + "/old", templates: templates, force: true).abandon()
    }

    @Test func anAbandonedSiteLeavesThePreviousOne() throws {
        let base = NSTemporaryDirectory() + "virtlab-site-\(UUID().uuidString)"
        defer { removeTree(base) }
        let templates = try TemplateSet()
        let first = try Site(target: base + "/site", templates: templates)
        try first.write(text: "old", to: "index.html")
        try first.commit()
        let second = try Site(target: base + "/site", templates: templates)
        try second.write(text: "new", to: "index.html")
        second.abandon()
        #expect(String(decoding: readFile(base + "/site/index.html")!, as: UTF8.self) == "old")
        #expect(directoryNames(base) == ["site"])
    }
}
