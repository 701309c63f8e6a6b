import Testing
import TestKit
@testable import Analysis
@testable import TraceFormat

struct FigureDataTests {
    /// Clark et al.'s six stages of a pre-copy migration, in order, from the committed migration
    /// sample (four rounds of a 64 MiB VM): the iterative rounds fill most of the time and every
    /// stage is drawn, however short.
    @Test func aPreCopyShowsClarksSixStagesInOrderWithTheRoundsFillingMostOfTheTime() throws {
        let timeline = try FigureData.stages(try Samples.reader("migration"), buckets: 200)
        expectEqual(timeline.lanes.map(\.name), ["pre migration", "reservation", "iterative pre copy", "stop and copy", "commitment", "activation"])
        let filled = timeline.lanes.map { lane in lane.busy.filter { $0 > 0 }.count }
        expectGreater(filled[2], 150, "the iterative rounds should cover most of the migration: \(filled)")
        #expect(filled.allSatisfy { $0 >= 1 }, "every stage is drawn, however short: \(filled)")
        // Each lane is coloured as its own stage.
        for (l, lane) in timeline.lanes.enumerated() { #expect(lane.dominant.allSatisfy { $0 == -1 || $0 == Int16(l) }) }
    }

    /// The rounds figure's data is the trace's round events: pages sent shrink towards the hot set.
    @Test func roundsComeFromTheRoundEvents() throws {
        let reader = try Samples.reader("migration")
        let rounds = try FigureData.rounds(reader)
        let summaryValue: Double = reader.summary?.first(where: { $0.name == "rounds" })?.value ?? -1
        let summary = Int(summaryValue)
        expectEqual(rounds.count, summary, "\(rounds.count) round events, summary says \(summary)")
        let numbers: [Double] = rounds.map { $0.0 }
        let expected: [Double] = (1...rounds.count).map { Double($0) }
        expectEqual(numbers, expected)
    }
}
