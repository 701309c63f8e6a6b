import Charts
import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Reports

/// A lecture deck as PowerPoint: a package every part of which is there and parses, whose
/// text a lecturer edits is real text (escaped, read back as written), whose figures carry
/// their alt text and SVG, and whose bytes are the same for the same slides.
struct DeckPPTXTests {

    static let chart = BarChart(title: "Exits", categories: ["pt_write", "cr3_write"], series: [("exits", [900, 100])], unit: .count, valueLabel: "exits")

    static func slides() throws -> [DeckSlide] {
        [
            DeckSlide(title: "Shadow <vs> nested & why", subtitle: "Which costs more?", notes: "Ask first; \"predict\" before showing."),
            DeckSlide(title: "Exits by reason", bullets: ["pt_write: 900", "cr3_write: 100"],
                      figurePNG: try FigureRenderer.bytes(chart, format: .png, theme: .named(.slides)),
                      figureSVG: try FigureRenderer.bytes(chart, format: .svg, theme: .named(.slides)),
                      figureAlt: "Bar chart: pt_write 900, cr3_write 100", notes: "Page-table writes dominate."),
        ]
    }

    static func write(to path: String) throws {
        try OutputFile.writing(path) { out in
            try DeckPPTX.write(try Self.slides(), title: "Memory & paging", provenance: FigureStamp.generator(command: "virtlab slides memory -o m.pptx"), to: out)
        }
    }

    @Test(.enabled(if: Python.path != nil, "needs python3"))
    func everyPartIsThereParsesAndSaysWhatWasWritten() throws {
        let dir = NSTemporaryDirectory() + "virtlab-pptx-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        try Self.write(to: dir + "/a.pptx")
        let script = #"""
        import zipfile, sys, posixpath, xml.etree.ElementTree as ET
        z = zipfile.ZipFile(sys.argv[1]); names = set(z.namelist())
        assert z.testzip() is None
        for n in names:
            if n.endswith(".xml") or n.endswith(".rels"): ET.fromstring(z.read(n))
        ct = ET.fromstring(z.read("[Content_Types].xml"))
        for o in ct:
            if o.tag.endswith("Override"): assert o.get("PartName")[1:] in names, o.get("PartName")
        for n in names:
            if not n.endswith(".rels"): continue
            base = posixpath.dirname(posixpath.dirname(n))
            for r in ET.fromstring(z.read(n)):
                if r.get("TargetMode") == "External": continue
                t = posixpath.normpath(posixpath.join(base, r.get("Target")))
                assert t in names, (n, t)
        A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
        for i in (1, 2):
            s = ET.fromstring(z.read("ppt/slides/slide%d.xml" % i))
            print("slide|" + "|".join(t.text or "" for t in s.iter(A + "t")))
            for pic in s.iter(P + "cNvPr"):
                if pic.get("descr"): print("alt|" + pic.get("descr"))
            notes = ET.fromstring(z.read("ppt/notesSlides/notesSlide%d.xml" % i))
            print("notes|" + "".join(t.text or "" for t in notes.iter(A + "t")))
        print("svg|" + str(any(n.endswith(".svg") for n in names)))
        """#
        let python = try Python.run(script, [dir + "/a.pptx"])
        #expect(python.succeeded, "\(python.problems)")
        let lines = python.lines
        let slideTexts = lines.filter { $0.hasPrefix("slide|") }
        expectEqual(slideTexts.count, 2)
        expectEqual(slideTexts.first?.contains("Shadow <vs> nested & why"), true, "\(lines)")
        expectEqual(slideTexts.first?.contains("Which costs more?"), true, "\(lines)")
        expectEqual(slideTexts.last?.contains("pt_write: 900"), true, "\(lines)")
        expectEqual(slideTexts.last?.contains("cr3_write: 100"), true, "\(lines)")
        expectContains(lines, "alt|Bar chart: pt_write 900, cr3_write 100", "\(lines)")
        #expect(lines.contains { $0.hasPrefix("notes|") && $0.contains("Ask first; \"predict\" before showing.") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("notes|") && $0.contains("Page-table writes dominate.") })
        expectContains(lines, "svg|True")
    }

    @Test func theSameSlidesGiveTheSameBytes() throws {
        let dir = NSTemporaryDirectory() + "virtlab-pptx-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        try Self.write(to: dir + "/a.pptx")
        try Self.write(to: dir + "/b.pptx")
        expectEqual(readFile(dir + "/a.pptx"), readFile(dir + "/b.pptx"))
        expectGreater(readFile(dir + "/a.pptx")?.count ?? 0, 5_000)
    }

    /// A figure that is not a PNG is an internal failure, not a slide without its figure.
    @Test func aFigureThatIsNotAPNGIsRefused() throws {
        let dir = NSTemporaryDirectory() + "virtlab-pptx-\(UUID().uuidString)"
        try makeDirectory(dir)
        defer { removeTree(dir) }
        let bad = [DeckSlide(title: "Broken", figurePNG: [0x89, 0x50, 0x4E, 0x47], figureAlt: "x")]
        #expect(throws: ReportError.self) {
            try OutputFile.writing(dir + "/bad.pptx") { out in try DeckPPTX.write(bad, title: "t", provenance: FigureStamp.generator(), to: out) }
        }
        expectEqual(readFile(dir + "/bad.pptx"), nil)
    }
}
