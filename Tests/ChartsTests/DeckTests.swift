import Foundation
import Testing
import TestKit
@testable import Charts

/// A deck as PDF: one 16:9 page per slide with its text and figure, a handout with the notes,
/// the provenance in the document's keywords, the same bytes for the same slides.
struct DeckTests {
    static let slides = [
        DeckSlide(title: "Shadow or nested?", subtitle: "Which costs more?", notes: "Ask first."),
        DeckSlide(title: "Exits by reason", bullets: ["pt_write: 900", "cr3_write: 100"], figureAlt: "Exits", chart: ChartSamples.bars, notes: "Point at the tall bar."),
        DeckSlide(title: "Rounds", paragraphs: ["Each round sends what the last one dirtied."], chart: ChartSamples.lines),
    ]

    /// The PDF objects of type /Page (not /Pages).
    static func pages(_ pdf: [UInt8]) -> Int {
        let text = String(decoding: pdf, as: UTF8.self)
        return text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
    }

    @Test func onePagePerSlideAndANotesHandout() throws {
        let provenance = FigureProvenance([("generator", "VirtLab test"), ("command", "virtlab slides memory -o m.pdf")])
        let pdf = try DeckPDF.slides(Self.slides, title: "Memory", provenance: provenance)
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        expectEqual(Self.pages(pdf), Self.slides.count)
        expectEqual(FigureProvenance.read(pdf)?["command"], "virtlab slides memory -o m.pdf")
        let handout = try DeckPDF.handout(Self.slides, title: "Memory", provenance: provenance)
        #expect(handout.starts(with: Array("%PDF".utf8)))
        expectAtLeast(Self.pages(handout), 1)
        try expectEqual(DeckPDF.slides(Self.slides, title: "Memory", provenance: provenance), pdf, "same slides, same bytes")
        // 16:9 at 13.33 × 7.5 in: a MediaBox of 960 × 540 points.
        expectContains(String(decoding: pdf, as: UTF8.self), "/MediaBox [ 0 0 960 540 ]")
    }
}
