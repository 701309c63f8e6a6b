import Foundation
import SafeOutput
import Testing
import TestKit
import Charts
@testable import Reports
import Vocabulary

struct SiteTests {
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
            #expect(fileExists(target + "/index.html"))
            #expect(fileExists(target + "/style.css"))
            #expect(fileExists(target + "/" + Site.marker))
        }
        let again = try Site(target: base + "/new", templates: templates)
        try again.write(text: "<p>second</p>", to: "index.html")
        try again.commit()
        expectEqual(String(decoding: readFile(base + "/new/index.html")!, as: UTF8.self), "<p>second</p>")
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
        expectEqual(String(decoding: readFile(base + "/site/index.html")!, as: UTF8.self), "old")
        expectEqual(directoryNames(base), ["site"])
    }
}

struct FigureFilesTests {
    /// A figure's page reference carries its numbers: every point of a small line, and for a dense
    /// one the chosen points with the table's caption saying which; hover areas match the rows.
    @Test func aFigureCarriesItsNumbersAndSaysWhenTheyAreAChoice() throws {
        let dir = NSTemporaryDirectory() + "virtlab-figure-\(UUID().uuidString)"
        defer { removeTree(dir) }
        let small = LineChart(title: "Small", xLabel: "t", yLabel: "pages", series: [("left", [(0, 5), (1, 3), (2, 0)])])
        let ref = try FigureFiles.write(small, dir: dir, refDir: "figures", name: "small", command: "test")
        let table = try #require(ref.dataTable)
        expectEqual(table.caption, "Small")
        expectEqual(table.rows.map(\.label), ["0", "1", "2"])
        expectEqual(ref.hotspots.count, 3)
        let dense = LineChart(title: "Dense", xLabel: "t", yLabel: "pages", series: [("left", (0..<1_000).map { (Double($0), Double(1_000 - $0)) })])
        let denseRef = try FigureFiles.write(dense, dir: dir, refDir: "figures", name: "dense", command: "test")
        let denseTable = try #require(denseRef.dataTable)
        expectEqual(denseTable.caption, "Dense — 200 of 1000 points: evenly spaced along the line, with its first, last, lowest and highest")
        expectEqual(denseTable.rows.count, 200)
        expectEqual(denseRef.hotspots.count, 200)
        expectEqual(denseTable.rows.first?.label, "0")
        expectEqual(denseTable.rows.last?.label, "999")
    }
}
