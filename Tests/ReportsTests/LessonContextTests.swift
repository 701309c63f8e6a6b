import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Reports
import TraceFormat

/// A lesson's values come from the runs, in their units; a claim is checked against them and
/// kept with its place whether it holds or not; a partial build prints "…" and checks nothing
/// it cannot.
struct LessonContextTests {
    static let lessonText = """
    ---
    title: Paging
    hook: Which costs more?
    story: {problem: a, insight: b, impact: c}
    values:
      fast: {run: fast-run, metric: downtime_ms}
      slow: {run: slow-run, metric: downtime_ms}
      memory: {run: slow-run, param: migration.vm.memory_mib}
    ---
    Intro.
    """

    static func run(_ name: String, downtime: Double) -> RunSummary {
        var r = RunSummary(name: name, topic: "migration", description: "", seed: 1, metrics: [Metric("downtime_ms", downtime, "ms")],
                           exits: [], figures: [], page: "runs/\(name).html")
        r.parameters["migration.vm.memory_mib"] = .number(2_048)
        return r
    }

    static func context(runs: [String: RunSummary], partial: Bool = false) throws -> (LessonContext, Site) {
        let lesson = try Lesson.parse(Self.lessonText, id: "paging", source: "paging.md")
        let course = Course(folder: "/nonexistent", title: "T", intro: LessonText(markdown: "", at: SourceSpot(file: "c", line: 1, column: 1)),
                            lessons: [lesson], experiments: [], words: [:])
        let site = try Site(target: NSTemporaryDirectory() + "virtlab-ctx-\(UUID().uuidString)", templates: try TemplateSet())
        let cs = CourseSite(site: site, course: course, runs: runs, profiles: [], sweeps: [])
        return (LessonContext(lesson, site: cs, partial: partial), site)
    }

    static func text(_ s: String, line: Int = 12) -> LessonText { LessonText(markdown: s, at: SourceSpot(file: "paging.md", line: line, column: 1)) }

    @Test func valuesComeFromTheRunsAndClaimsAreKeptWithTheirPlace() throws {
        let (ctx, site) = try Self.context(runs: ["fast-run": Self.run("fast-run", downtime: 30), "slow-run": Self.run("slow-run", downtime: 300)])
        defer { site.abandon() }
        let text = Self.text("Fast {{fast}} beats slow {{slow}} {{? fast < slow }}; ten times {{? slow / fast ~= 10 within 1% }}; never {{? fast > slow }}.")
        try expectEqual(ctx.check(text), 3, "the benchmark's check counts the claims without rendering")
        let page = try ctx.html(text)
        expectEqual(ctx.claims.map(\.holds), [true, true, false])
        expectContains(page, "claim-disagrees", "the contradicted sentence stays, with its note")
        expectContains(page, "<code>fast &gt; slow</code>", "the contradicted sentence stays, with its note")
        let failed = try #require(ctx.claims.last)
        expectEqual(failed.claim, "fast > slow", "\(failed)")
        expectEqual(failed.at.file, "paging.md", "\(failed)")
        expectEqual(failed.at.line, 12, "\(failed)")
        expectContains(failed.detail, "fast = ", "\(failed.detail)")
        expectContains(failed.detail, "slow = ", "\(failed.detail)")
        let html = try ctx.html(Self.text("Fast {{fast}}, memory {{memory}}."))
        expectContains(html, "30 ms", "\(html)")
        #expect((html.contains("2048") || html.contains("2,048") || html.contains("2 GiB")), "\(html)")
    }

    @Test func aRunTheBuildDoesNotHaveIsAnErrorUnlessTheBuildIsPartial() throws {
        let (ctx, site) = try Self.context(runs: ["fast-run": Self.run("fast-run", downtime: 30)])
        defer { site.abandon() }
        #expect(throws: ReportError.self) { try ctx.check(Self.text("{{? fast < slow }}")) }
        let (partial, site2) = try Self.context(runs: ["fast-run": Self.run("fast-run", downtime: 30)], partial: true)
        defer { site2.abandon() }
        _ = try partial.html(Self.text("Fast {{fast}} {{? fast < slow }} and {{? fast > 1 }}."))
        expectEqual(partial.claims.map(\.claim), ["fast > 1"], "a claim that needs a missing run is not checked; the others are")
        #expect(try partial.html(Self.text("Slow {{slow}}.")).contains("Slow …."))
    }
}
