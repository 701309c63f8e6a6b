import Archive
import Charts
import SafeOutput

/// A deck as PowerPoint (Office Open XML, ECMA-376): a 16:9 presentation whose titles, text
/// and speaker notes are real text a lecturer edits, and whose figures are pictures — the PNG,
/// with the SVG alongside for PowerPoint 2016 and later (`asvg:svgBlip`), alt text from the
/// chart. One master, one blank layout, one theme; every timestamp fixed, so the same slides
/// give the same bytes.
package enum DeckPPTX {
    static let slideWidth = 12_192_000, slideHeight = 6_858_000 // EMU: 13.333 × 7.5 in
    static let ns = #"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#
    static let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    package static func write(_ slides: [DeckSlide], title: String, provenance: FigureProvenance, to out: OutputFile) throws {
        var zip = ZipWriter(out)
        func add(_ name: String, _ text: String) throws { try zip.add(name: name, bytes: Array((head + text).utf8)) }
        let n = slides.count
        var types = #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        types += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#
        types += #"<Default Extension="png" ContentType="image/png"/><Default Extension="svg" ContentType="image/svg+xml"/>"#
        for (part, type) in [("/ppt/presentation.xml", "presentationml.presentation.main"), ("/ppt/slideMasters/slideMaster1.xml", "presentationml.slideMaster"),
                             ("/ppt/slideLayouts/slideLayout1.xml", "presentationml.slideLayout"), ("/ppt/notesMasters/notesMaster1.xml", "presentationml.notesMaster"),
                             ("/ppt/theme/theme1.xml", "theme"), ("/ppt/theme/theme2.xml", "theme"), ("/docProps/app.xml", "extended-properties")] {
            types += #"<Override PartName="\#(part)" ContentType="application/vnd.openxmlformats-officedocument.\#(type)+xml"/>"#
        }
        types += #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
        for i in stride(from: 1, through: n, by: 1) {
            types += #"<Override PartName="/ppt/slides/slide\#(i).xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>"#
            types += #"<Override PartName="/ppt/notesSlides/notesSlide\#(i).xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"/>"#
        }
        try add("[Content_Types].xml", types + "</Types>")
        try add("_rels/.rels", rels([("rId1", "officeDocument", "ppt/presentation.xml"),
                                     ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
                                     ("rId3", "extended-properties", "docProps/app.xml")]))
        try add("docProps/core.xml", #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
                + "<dc:title>\(x(title))</dc:title><dc:creator>VirtLab</dc:creator><cp:keywords>\(x(provenance.pdfKeywords))</cp:keywords>"
                + #"<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"#)
        try add("docProps/app.xml", #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>VirtLab</Application><Slides>\#(n)</Slides><Notes>\#(n)</Notes></Properties>"#)

        var presentation = "<p:presentation \(ns)>"
        presentation += #"<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId2"/></p:notesMasterIdLst><p:sldIdLst>"#
        for i in 0..<n { presentation += #"<p:sldId id="\#(256 + i)" r:id="rId\#(10 + i)"/>"# }
        presentation += #"</p:sldIdLst><p:sldSz cx="\#(slideWidth)" cy="\#(slideHeight)"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>"#
        try add("ppt/presentation.xml", presentation)
        try add("ppt/_rels/presentation.xml.rels", rels([("rId1", "slideMaster", "slideMasters/slideMaster1.xml"), ("rId2", "notesMaster", "notesMasters/notesMaster1.xml"),
                                                         ("rId3", "theme", "theme/theme1.xml")] + (0..<n).map { ("rId\(10 + $0)", "slide", "slides/slide\($0 + 1).xml") }))
        let emptyTree = #"<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree>"#
        let clrMap = #"<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>"#
        try add("ppt/slideMasters/slideMaster1.xml", "<p:sldMaster \(ns)><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>\(emptyTree)</p:cSld>\(clrMap)"
                + #"<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>"#)
        try add("ppt/slideMasters/_rels/slideMaster1.xml.rels", rels([("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"), ("rId2", "theme", "../theme/theme1.xml")]))
        try add("ppt/slideLayouts/slideLayout1.xml", "<p:sldLayout \(ns) type=\"blank\" preserve=\"1\"><p:cSld name=\"Blank\">\(emptyTree)</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>")
        try add("ppt/slideLayouts/_rels/slideLayout1.xml.rels", rels([("rId1", "slideMaster", "../slideMasters/slideMaster1.xml")]))
        try add("ppt/notesMasters/notesMaster1.xml", "<p:notesMaster \(ns)><p:cSld>\(emptyTree)</p:cSld>\(clrMap)</p:notesMaster>")
        try add("ppt/notesMasters/_rels/notesMaster1.xml.rels", rels([("rId1", "theme", "../theme/theme2.xml")]))
        try add("ppt/theme/theme1.xml", theme)
        try add("ppt/theme/theme2.xml", theme)

        for (i, s) in slides.enumerated() {
            let k = i + 1
            var slideRels = [("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"), ("rId2", "notesSlide", "../notesSlides/notesSlide\(k).xml")]
            var shapes = ""
            var y = k == 1 ? 2_000_000 : 300_000
            shapes += textBox(id: 2, name: "Title", placeholder: "title", x: 600_000, y: y, cx: slideWidth - 1_200_000, cy: 900_000,
                              paragraphs: [(s.title, k == 1 ? 4000 : 3200, true, false)])
            y += 1_000_000
            var body: [(String, Int, Bool, Bool)] = []
            if let sub = s.subtitle { body.append((sub, 2400, false, false)) }
            body += s.paragraphs.map { ($0, 2000, false, false) }
            body += s.bullets.map { ($0, 2200, false, true) }
            if !body.isEmpty {
                let height = s.figurePNG == nil ? slideHeight - y - 400_000 : 900_000
                shapes += textBox(id: 3, name: "Text", placeholder: nil, x: 600_000, y: y, cx: slideWidth - 1_200_000, cy: height, paragraphs: body)
                y += height + 100_000
            }
            if let png = s.figurePNG {
                // A figure the deck cannot size would vanish from the slide without a word.
                guard let (pw, ph) = pngSize(png) else {
                    throw ReportError.internalFailure("the figure of slide \(k) (\(s.title)) is not a PNG the deck can place")
                }
                try zip.add(name: "ppt/media/figure\(k).png", bytes: png)
                slideRels.append(("rId3", "image", "../media/figure\(k).png"))
                var svgBlip = ""
                if let svg = s.figureSVG {
                    try zip.add(name: "ppt/media/figure\(k).svg", bytes: svg)
                    slideRels.append(("rId4", "image", "../media/figure\(k).svg"))
                    svgBlip = #"<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rId4"/></a:ext></a:extLst>"#
                }
                let boxW = Double(slideWidth - 1_200_000), boxH = Double(slideHeight - y - 300_000)
                let scale = min(boxW / Double(pw), boxH / Double(ph))
                let cx = Int(Double(pw) * scale), cy = Int(Double(ph) * scale)
                shapes += #"<p:pic><p:nvPicPr><p:cNvPr id="4" name="Figure" descr="\#(x(s.figureAlt))"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>"#
                    + #"<p:blipFill><a:blip r:embed="rId3">\#(svgBlip)</a:blip><a:stretch><a:fillRect/></a:stretch></p:blipFill>"#
                    + #"<p:spPr><a:xfrm><a:off x="\#((slideWidth - cx) / 2)" y="\#(y)"/><a:ext cx="\#(cx)" cy="\#(cy)"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>"#
            }
            let tree = #"<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\#(shapes)</p:spTree>"#
            try add("ppt/slides/slide\(k).xml", "<p:sld \(ns)><p:cSld>\(tree)</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>")
            try add("ppt/slides/_rels/slide\(k).xml.rels", rels(slideRels))
            let notes = #"<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>"#
                + #"<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/>"#
                + "<p:txBody><a:bodyPr/><a:lstStyle/>\(s.notes.split(separator: "\n", omittingEmptySubsequences: false).map { run(String($0), size: nil, bold: false) }.joined())</p:txBody></p:sp>"
            try add("ppt/notesSlides/notesSlide\(k).xml", "<p:notes \(ns)><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\(notes)</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>")
            try add("ppt/notesSlides/_rels/notesSlide\(k).xml.rels", rels([("rId1", "notesMaster", "../notesMasters/notesMaster1.xml"), ("rId2", "slide", "../slides/slide\(k).xml")]))
        }
        try zip.finish()
    }

    /// A text box (a title placeholder when `placeholder` is "title") with paragraphs of (text, size in 1/100 pt, bold, bullet).
    static func textBox(id: Int, name: String, placeholder: String?, x: Int, y: Int, cx: Int, cy: Int, paragraphs: [(String, Int, Bool, Bool)]) -> String {
        let ph = placeholder.map { "<p:ph type=\"\($0)\"/>" } ?? ""
        var s = #"<p:sp><p:nvSpPr><p:cNvPr id="\#(id)" name="\#(name)"/><p:cNvSpPr\#(placeholder == nil ? #" txBox="1""# : "")/><p:nvPr>\#(ph)</p:nvPr></p:nvSpPr>"#
        s += #"<p:spPr><a:xfrm><a:off x="\#(x)" y="\#(y)"/><a:ext cx="\#(cx)" cy="\#(cy)"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>"#
        s += #"<p:txBody><a:bodyPr wrap="square" anchor="t"><a:normAutofit/></a:bodyPr><a:lstStyle/>"#
        for (text, size, bold, bullet) in paragraphs {
            s += run(text, size: size, bold: bold, bullet: bullet)
        }
        return s + "</p:txBody></p:sp>"
    }

    static func run(_ text: String, size: Int?, bold: Bool, bullet: Bool = false) -> String {
        let pPr = bullet ? #"<a:pPr marL="342900" indent="-342900"><a:buFont typeface="Arial"/><a:buChar char="•"/></a:pPr>"# : #"<a:pPr><a:spcBef><a:spcPts val="600"/></a:spcBef></a:pPr>"#
        let rPr = #"<a:rPr lang="en-US"\#(size.map { " sz=\"\($0)\"" } ?? "")\#(bold ? #" b="1""# : "") dirty="0"><a:latin typeface="DejaVu Sans"/></a:rPr>"#
        return "<a:p>\(pPr)<a:r>\(rPr)<a:t>\(x(text))</a:t></a:r></a:p>"
    }

    static func rels(_ list: [(String, String, String)]) -> String {
        var s = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for (id, type, target) in list {
            let full = type.hasPrefix("http") ? type : "\(relNS)/\(type)"
            s += #"<Relationship Id="\#(id)" Type="\#(full)" Target="\#(target)"/>"#
        }
        return s + "</Relationships>"
    }

    static func x(_ s: String) -> String { XMLText.escaped(s) }

    /// Width and height from a PNG's IHDR.
    static func pngSize(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 24, b.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        let w = b[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = b[20..<24].reduce(0) { $0 << 8 | Int($1) }
        return w > 0 && h > 0 ? (w, h) : nil
    }

    /// A complete DrawingML theme: the Okabe–Ito colours as accents, DejaVu Sans, plain fills.
    static let theme = #"""
    <a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="VirtLab"><a:themeElements>
    <a:clrScheme name="VirtLab"><a:dk1><a:srgbClr val="1A1A1A"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="333333"/></a:dk2><a:lt2><a:srgbClr val="EEEEEE"/></a:lt2>
    <a:accent1><a:srgbClr val="0072B2"/></a:accent1><a:accent2><a:srgbClr val="E69F00"/></a:accent2><a:accent3><a:srgbClr val="009E73"/></a:accent3><a:accent4><a:srgbClr val="D55E00"/></a:accent4>
    <a:accent5><a:srgbClr val="CC79A7"/></a:accent5><a:accent6><a:srgbClr val="56B4E9"/></a:accent6><a:hlink><a:srgbClr val="0072B2"/></a:hlink><a:folHlink><a:srgbClr val="CC79A7"/></a:folHlink></a:clrScheme>
    <a:fontScheme name="VirtLab"><a:majorFont><a:latin typeface="DejaVu Sans"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="DejaVu Sans"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>
    <a:fmtScheme name="VirtLab"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst>
    <a:lnStyleLst><a:ln w="9525"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="25400"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="38100"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>
    <a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>
    <a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme>
    </a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>
    """#
}
