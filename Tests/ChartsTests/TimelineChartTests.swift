import Foundation
import Testing
import TestKit
@testable import Analysis
@testable import Charts

/// The timeline figure from a reduced timeline: what its caption and alt text say comes from
/// the lanes, the reduction is named when a pixel holds many events, and it draws in every format.
struct TimelineChartTests {
    static func timeline(events: UInt64, buckets: Int = 4) -> Timeline {
        let exits = Timeline.Lane(name: "vCPU 0", kind: .events, count: [3, 0, 2, 1], busy: [10, 0, 5, 1], dominant: [0, -1, 1, 0],
                                  longest: [1_500, 0, 700, 20], low: [], high: [])
        let counter = Timeline.Lane(name: "pages sent", kind: .counter, count: [1, 1, 0, 1], busy: [0, 0, 0, 0], dominant: [-1, -1, -1, -1],
                                    longest: [0, 0, 0, 0], low: [0, 10, .nan, 30], high: [5, 20, .nan, 40])
        return Timeline(start: 1_000, end: 5_000, buckets: buckets, lanes: [exits, counter], events: events, kindNames: ["vm_exit", "page_batch"])
    }

    @Test func captionAndAltTextComeFromTheLanes() {
        let chart = TimelineChart(title: "Exits", timeline: Self.timeline(events: 4))
        expectEqual(chart.caption(), "Exits. 4 events on 2 lanes over 4 µs of simulated time.", "\(chart.caption())")
        expectEqual(chart.altText(), "Timeline, Exits: vCPU 0: 6 events, longest 1.5 µs; pages sent: 3 samples, from 0 to 40.", "\(chart.altText())")
    }

    /// One of a thing is singular; a counter that never moves says its value, and is drawn at
    /// the bottom of its lane when that value is zero (a "0 exits" line across the middle reads
    /// as some exits), across the middle otherwise.
    @Test func oneLaneOneEventAndASteadyCounter() {
        var tl = Self.timeline(events: 1)
        tl.lanes[1].low = [0, 0, .nan, 0]
        tl.lanes[1].high = [0, 0, .nan, 0]
        tl.lanes.removeFirst()
        let chart = TimelineChart(title: "Exits", timeline: tl)
        expectEqual(chart.caption(), "Exits. 1 event on 1 lane over 4 µs of simulated time.", "\(chart.caption())")
        expectEqual(chart.altText(), "Timeline, Exits: pages sent: 3 samples, all 0.", "\(chart.altText())")
        expectEqual(TimelineChart.counterHeight(0, lo: 0, hi: 0), 0)
        expectEqual(TimelineChart.counterHeight(7, lo: 7, hi: 7), 0.5)
        expectEqual(TimelineChart.counterHeight(30, lo: 10, hi: 50), 0.5)
        expectEqual(TimelineChart.counterHeight(50, lo: 10, hi: 50), 1)
    }

    @Test func aReducedTimelineSaysSo() {
        let chart = TimelineChart(title: "Exits", timeline: Self.timeline(events: 40_000))
        expectContains(chart.caption(), "reduced to 4 columns (about 10K events per pixel)", "\(chart.caption())")
    }

    @Test func anEmptyTimelineSaysThereIsNoData() throws {
        let chart = TimelineChart(title: "Exits", timeline: Self.timeline(events: 0))
        #expect(chart.isEmpty)
        expectEqual(chart.caption(), "Exits: no data.")
        for format in FigureFormat.allCases {
            let p = ChartSamples.path(format.rawValue)
            defer { unlink(p) }
            try FigureRenderer.render(chart, format: format, theme: .named(.paper), path: p)
            #expect(FileManager.default.fileExists(atPath: p))
        }
    }

    @Test func itDrawsInEveryFormatAndTheme() throws {
        let chart = TimelineChart(title: "Exits", timeline: Self.timeline(events: 6))
        for format in FigureFormat.allCases {
            for theme in [Theme.named(.paper), .named(.dark), .named(.slides)] {
                let p = ChartSamples.path(format.rawValue)
                defer { unlink(p) }
                try FigureRenderer.render(chart, format: format, theme: theme, path: p)
                expectGreater((try? Data(contentsOf: URL(fileURLWithPath: p)).count) ?? 0, 500)
            }
        }
    }
}
