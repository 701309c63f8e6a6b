import Testing
import TestKit
@testable import Reports

struct PageModelsTests {
    /// Numbers line up on the right; text, a lone hyphen and an empty cell do not; the dash of
    /// a missing value lines up with the numbers around it.
    @Test func cellsThatReadAsNumbersAreRightAligned() {
        #expect(Table.looksNumeric("12.5"))
        #expect(Table.looksNumeric("-3"))
        #expect(Table.looksNumeric("−3"))
        #expect(Table.looksNumeric("0.5 ms"))
        #expect(!Table.looksNumeric("yes"))
        #expect(!Table.looksNumeric("-"))
        #expect(!Table.looksNumeric(""))
        #expect(Table.looksNumeric("–"), "the dash of a missing value lines up with the numbers")
        var t = Table(columns: ["a", "b", "c"])
        t.add("row", href: "runs/x.html", ["12", "shadow", "–"])
        #expect(t.rows[0].cells.map(\.numeric) == [true, false, true] && t.rows[0].href == "runs/x.html")
        var props = Table(columns: ["key", "value"], alignNumbers: false)
        props.add("memory", ["2048"])
        expectEqual(props.rows[0].cells[0].numeric, false, "a property list keeps its values left")
        var links = Table(columns: ["run"])
        links.add("r", links: [("page", "runs/r.html")])
        #expect(links.rows[0].cells[0].link == "runs/r.html" && !links.rows[0].cells[0].numeric)
    }
}
