import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Reports
import Vocabulary

struct TemplateSetTests {
    @Test func templatesAreFoundAndComplete() throws {
        let set = try TemplateSet()
        #expect(fileExists(set.folder + "/layout.mustache"))
        expectEqual(set.styles.map(\.name), ["style.css", "print.css", "predict.js", "explorer.js"])
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
        expectLacks(html, "<script>alert(1)</script>")
        expectContains(html, "&lt;script&gt;alert(1)&lt;/script&gt;")
        expectContains(html, "&quot;quoted&quot; &amp; &lt;em&gt;")
        expectContains(html, "&lt;i&gt;1&lt;/i&gt;")
        expectContains(html, "a &lt; b")
    }
}
