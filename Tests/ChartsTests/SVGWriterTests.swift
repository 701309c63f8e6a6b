import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct SVGWriterTests {
    @Test func numbersHaveAtMostTwoDecimalsAndNoExponent() {
        let w = SVGWriter(width: 1, height: 1)
        expectEqual(w.n(0), "0")
        expectEqual(w.n(12.5), "12.5")
        expectEqual(w.n(-0.05), "-0.05")
        expectEqual(w.n(3.14159), "3.14")
        expectEqual(w.n(1e-9), "0")
        expectEqual(w.n(2.999), "3")
        expectEqual(w.n(.nan), "0")
        expectEqual(w.n(1e300), "1000000000")
    }

    /// Hostile labels (a scenario name is user text) stay one text node of valid XML.
    @Test func textIsEscapedAndForbiddenCharactersDropped() throws {
        let w = SVGWriter(width: 100, height: 50)
        w.text("a < b & \"c\" > d\u{1}", x: 1, y: 2, size: 10, color: RGB(0, 0, 0), width: 40, bold: false, rotate: false)
        w.title = "</title><script>"
        let data = Data(w.finish())
        let doc = try XMLDocument(data: data)
        let text = try doc.nodes(forXPath: "//*[local-name()='text']").first?.stringValue
        expectEqual(text, "a < b & \"c\" > d")
        #expect(try doc.nodes(forXPath: "//*[local-name()='script']").isEmpty)
    }

    /// A rotated label turns about its anchor, as Cairo's translate-then-rotate does.
    @Test func rotatedTextTurnsAboutItsAnchor() throws {
        let w = SVGWriter(width: 100, height: 100)
        w.text("exits", x: 40, y: 50, size: 13, color: RGB(0, 0, 0), width: 30, bold: false, rotate: true, pivot: (55, 50))
        let s = String(decoding: w.finish(), as: UTF8.self)
        expectContains(s, "x=\"40\" y=\"50\"")
        expectContains(s, "transform=\"rotate(-90 55 50)\"")
        expectContains(s, "textLength=\"30\"")
    }
}
