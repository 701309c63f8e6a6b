import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestKit
@testable import Charts

struct LineChartTests {
    @Test func pointsAnswerHoverWithTheirValues() throws {
        let (_, spots) = try FigureRenderer.bytesAndHotspots(ChartSamples.lines, format: .svg, theme: .named(.paper))
        expectEqual(spots.count, 6)
        expectEqual(spots[0].label, "sent — round 1: pages 100,000")
        expectEqual(spots[5].label, "dirtied — round 3: pages 800")
        // Higher values sit higher (smaller y), each area centred on its point.
        expectLess(spots[0].y, spots[1].y)
        expectLess(spots[1].y, spots[2].y)
        expectGreater(spots[3].y, spots[0].y)
        var full = LineChart(title: "Full", xLabel: "t", yLabel: "v", series: [("a", (0..<200).map { (Double($0), Double($0)) })])
        try expectEqual(FigureRenderer.bytesAndHotspots(full, format: .svg, theme: .named(.paper)).hotspots.count, 200)
        let table = try #require(full.dataTable())
        expectEqual(table.rows.count, 200)
        expectEqual(table.note, nil)
        full.series[0].points.append((200, 200))
        #expect(try #require(full.dataTable()).note != nil)
    }

    /// A line denser than a table can hold keeps hover and a table: an even choice of its points
    /// with each line's first, last, lowest and highest, and a note that says so.
    @Test func aDenseLineShowsAnEvenChoiceWithItsEndsAndExtremes() throws {
        // Two lines of 1,000 points with their extremes between the even picks.
        let n = 1_000
        func line(_ peakAt: Int, _ dipAt: Int) -> [(Double, Double)] {
            (0..<n).map { (i: Int) -> (Double, Double) in
                let v: Double = i == peakAt ? 1_000 : i == dipAt ? -1_000 : Double(i % 7)
                return (Double(i) * 0.5, v)
            }
        }
        let chart = LineChart(title: "Dense", xLabel: "t", yLabel: "v", series: [("a", line(503, 777)), ("b", line(3, 998))])
        let shown = chart.shownPoints()
        expectAtMost(shown.map(\.count).reduce(0, +), LineChart.pointLimit)
        for (i, indices) in shown.enumerated() {
            let points = chart.series[i].points
            expectEqual(indices.first, 0)
            expectEqual(indices.last, n - 1)
            expectEqual(indices, indices.sorted())
            let lowest = points.indices.min { points[$0].1 < points[$1].1 }!
            let highest = points.indices.max { points[$0].1 < points[$1].1 }!
            expectContains(indices, lowest)
            expectContains(indices, highest)
            // Evenly spaced: no gap between neighbours wider than twice the mean.
            let gaps = zip(indices.dropFirst(), indices).map { $0 - $1 }
            expectAtMost(gaps.max()!, 2 * (n - 1) / (indices.count - 3) + 1)
        }
        let (_, spots) = try FigureRenderer.bytesAndHotspots(chart, format: .svg, theme: .named(.paper))
        expectEqual(spots.count, shown.map(\.count).reduce(0, +))
        #expect(spots.contains { $0.label == "a — t 251.5: v 1000" })
        #expect(spots.contains { $0.label == "b — t 499: v -1000" })
        let table = try #require(chart.dataTable())
        expectEqual(table.rows.count, Set(shown.enumerated().flatMap { i, js in js.map { chart.series[i].points[$0].0 } }).count)
        #expect(table.rows.contains { $0.label == "251.5" && $0.cells == ["1000", "6"] })
        expectEqual(table.note, "200 of 2000 points: evenly spaced along each line, with each first, last, lowest and highest")
    }

    /// A caption's second sentence starts with a capital though the axis label does not.
    @Test func theCaptionIsSentences() {
        let chart = LineChart(title: "Rounds", xLabel: "round", yLabel: "pages", series: [("sent", [(1, 5), (2, 3)])])
        expectEqual(chart.caption(), "Rounds. Pages against round.")
    }

    /// Lines with the same values are drawn as one: the caption and the alt text say which, and
    /// lines that differ anywhere are not listed.
    @Test func linesOnTopOfEachOtherAreNamed() {
        let flat = [(2.0, 0.0), (4, 0), (8, 0)]
        var chart = LineChart(title: "Overhead", xLabel: "working set", yLabel: "overhead", series: [
            ("shadow 4KiB", flat), ("nested 4KiB", [(2, 0), (4, 280), (8, 340)]), ("shadow 2MiB", flat), ("nested 2MiB", [(2, 0), (4, 0), (8, 1e-12)]),
        ])
        expectEqual(chart.coincidentLines(), [["shadow 4KiB", "shadow 2MiB", "nested 2MiB"]])
        #expect(chart.caption().hasSuffix(" The lines of shadow 4KiB, shadow 2MiB and nested 2MiB lie on top of each other: they have the same values."))
        #expect(chart.altText().hasSuffix(" The lines of shadow 4KiB, shadow 2MiB and nested 2MiB lie on top of each other."))
        chart.series[3].points[2].1 = 0.5
        expectEqual(chart.coincidentLines(), [["shadow 4KiB", "shadow 2MiB"]])
        chart.series[2].points.removeLast()
        #expect(chart.coincidentLines().isEmpty)
        expectLacks(chart.caption(), "on top of each other")
    }

    /// A long x label (a sweep key's help and name) is drawn whole inside the figure even with
    /// a legend beside the plot; one longer than the figure is cut with "…".
    @Test func aLongAxisLabelStaysInsideTheFigure() throws {
        func drawn(_ label: String) throws -> (text: String, x: Double, width: Double) {
            let chart = LineChart(title: "Refs", xLabel: label, yLabel: "refs", xUnit: .whole,
                                  series: [("mode=shadow page_size=4KiB", [(2, 4), (1_024, 4)]), ("mode=nested page_size=2MiB", [])])
            let svg = String(decoding: try FigureRenderer.bytes(chart, format: .svg, theme: .named(.paper)), as: UTF8.self)
            // <text x="…" y="…" font-size="…" fill="…" textLength="…" …>label</text>
            let line = try #require(svg.split(separator: "\n").first { $0.hasPrefix("<text") && $0.contains(">" + label.prefix(8)) })
            func number(_ name: String) -> Double {
                guard let r = line.range(of: " \(name)=\"") else { return -1 }
                return Double(line[r.upperBound...].prefix { $0 != "\"" }) ?? -1
            }
            let text = line[line.index(after: line.firstIndex(of: ">")!)...].dropLast("</text>".count)
            return (String(text), number("x"), number("textLength"))
        }
        let key = "MiB of memory each process touches (its working set) — memory.workload.working_set_mib"
        let whole = try drawn(key)
        expectEqual(whole.text, key)
        expectAtLeast(whole.x, 0, "\(whole)")
        expectAtMost(whole.x + whole.width, 800, "\(whole)")
        let cut = try drawn(String(repeating: key + " ", count: 3))
        #expect(cut.text.hasSuffix("…"), "\(cut)")
        expectAtLeast(cut.x, 0, "\(cut)")
        expectAtMost(cut.x + cut.width, 800, "\(cut)")
    }

    /// A sweep key's axis is labelled in one style: counted throughout once it reaches ten
    /// thousand (working sets of 4,096 to 16,384 MiB), written out below.
    @Test func anAxisOfWholeKeysIsLabelledInOneStyle() throws {
        func ticks(_ xs: [Double]) throws -> [String] {
            let chart = LineChart(title: "Refs", xLabel: "MiB", yLabel: "refs", xUnit: .whole, series: [("a", xs.map { ($0, 1) })])
            let svg = String(decoding: try FigureRenderer.bytes(chart, format: .svg, theme: .named(.paper)), as: UTF8.self)
            return svg.split(separator: "\n").filter { $0.hasPrefix("<text") }.map { line in
                String(line[line.index(after: line.firstIndex(of: ">")!)...].dropLast("</text>".count))
            }
        }
        let large = try ticks([4_096, 8_192, 16_384])
        expectContains(large, "10K")
        expectLacks(large, "5,000")
        expectLacks(large, "6,000")
        let small = try ticks([1_024, 2_048, 4_096])
        expectContains(small, "2,000")
        expectLacks(small, "2K")
    }

    /// Every word stays inside the figure: the last tick's label of a chart without a legend
    /// (a latency CDF ending at "600 µs" lost its "s"), and a title too long for the width,
    /// which is measured in the bold face it is drawn in.
    @Test func noTextLeavesTheFigure() throws {
        let title = "What the VMM did with sensitive instructions — x86-pagetable-heavy-hardware-assisted"
        let chart = LineChart(title: title, xLabel: "latency", yLabel: "share", xUnit: .nanoseconds,
                              series: [("x", [(270_000, 0), (468_000, 0.99), (566_000, 1)])])
        let svg = String(decoding: try FigureRenderer.bytes(chart, format: .svg, theme: .named(.paper)), as: UTF8.self)
        var texts: [(text: String, x: Double, width: Double)] = []
        for line in svg.split(separator: "\n") where line.hasPrefix("<text") && !line.contains("rotate") {
            func number(_ name: String) -> Double? {
                guard let r = line.range(of: " \(name)=\"") else { return nil }
                return Double(line[r.upperBound...].prefix { $0 != "\"" })
            }
            let text = String(line[line.index(after: line.firstIndex(of: ">")!)...].dropLast("</text>".count))
            texts.append((text, try #require(number("x")), try #require(number("textLength"))))
        }
        expectContains(texts.map(\.text), "600 µs")
        #expect(texts.contains { $0.text.hasPrefix("What the VMM did") }, "\(texts.map(\.text))")
        for t in texts {
            expectAtLeast(t.x, 0, "\(t)")
            expectAtMost(t.x + t.width, 800, "\(t)")
        }
    }

    /// A series with no points is in the legend with nothing drawn: the caption says so.
    @Test func anEmptyLineIsNamed() {
        let chart = LineChart(title: "Refs", xLabel: "MiB", yLabel: "refs", series: [("4KiB", [(2, 4)]), ("2MiB", []), ("1GiB", [])])
        expectContains(chart.caption(), " The lines of 2MiB and 1GiB have no points: the legend lists them with nothing drawn.")
    }

    /// A series of one point is described as one point, not "1 points from x to x, peak x".
    @Test func aOnePointSeriesIsDescribedAsOnePoint() {
        let one = LineChart(title: "One", xLabel: "t", yLabel: "pages", xUnit: .nanoseconds, yUnit: .pages, series: [("remaining", [(2e9, 0)])])
        expectEqual(one.altText(), "Line chart, One: remaining: one point, 0 at 2 s.")
        expectContains(ChartSamples.lines.altText(), "sent: 3 points from")
    }
}
