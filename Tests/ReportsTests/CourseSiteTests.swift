import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Reports
import TraceFormat

/// The course site from lesson files and run summaries, without simulating anything: a page
/// per lesson in the course's order with its neighbours, the course's words on every page,
/// figures and tables from the runs, claims checked and a contradicted one shown, decks and
/// slide sets, a lesson missing a run built as "pending" (its values "…", its claims not
/// checked, its take-aways left out), and a gallery of the lessons' figures.
struct CourseSiteTests {
    static let alpha = """
    ---
    title: Alpha lesson
    hook: Which run pauses less?
    story: {problem: the problem, insight: the insight, impact: the impact}
    debate:
      motion: Fast is always better.
      for: [{text: It pauses less, evidence: [fast-run]}]
      against: [It is more complex.]
    takeaways:
      - "Fast pauses {{fast}}."
    values:
      fast: {run: fast-run, metric: downtime_ms}
      slow: {run: slow-run, metric: downtime_ms}
    ---
    The problem, before the first section.

    ## Pauses {#pauses}

    Fast pauses {{fast}} and slow {{slow}} {{? fast < slow }}.

    ```figure
    chart: bars
    name: alpha-pauses
    title: Downtime
    categories: [fast, slow]
    series: [{label: downtime, metric: downtime_ms, runs: [fast-run, slow-run]}]
    unit: nanoseconds
    notice: Fast is shorter {{? fast < slow }}.
    ```

    ```table
    caption: Both runs
    runs: [fast-run, slow-run]
    columns: {downtime_ms: Downtime}
    ```

    ```predict
    question: Which pauses less?
    choices: [fast, slow]
    answer: fast
    check: fast < slow
    ```

    ## A wrong sentence {#wrong}

    Slow is faster {{? slow < fast }}.
    """

    static let beta = """
    ---
    title: Beta lesson
    hook: What is missing?
    story: {problem: p, insight: i, impact: m}
    takeaways: [Something to take away.]
    values:
      gone: {run: absent-run, metric: downtime_ms}
    ---
    Intro.

    ## Needs a missing run {#missing}

    It took {{gone}} {{? gone > 0 }}.
    """

    static func run(_ name: String, downtime: Double) -> RunSummary {
        RunSummary(name: name, topic: "migration", description: "a \(name)", seed: 1, metrics: [Metric("downtime_ms", downtime, "ms")],
                   exits: [], figures: [], page: "runs/\(name).html")
    }

    /// Builds the two-lesson course into a scratch site and returns the claims and the folder.
    static func build() throws -> (claims: [ClaimOutcome], dir: String) {
        let lessons = [try Lesson.parse(alpha, id: "alpha", source: "alpha.md"), try Lesson.parse(beta, id: "beta", source: "beta.md")]
        var words = Dictionary(uniqueKeysWithValues: CourseWord.allCases.map { ($0, "W-\($0.rawValue)") })
        words[.pending] = "W-pending: {runs}"
        let course = Course(folder: "/nonexistent", title: "Test course", intro: LessonText(markdown: "The *intro*.", at: SourceSpot(file: "course.yaml", line: 2, column: 1)),
                            lessons: lessons, experiments: [], words: words)
        let dir = NSTemporaryDirectory() + "virtlab-coursesite-\(UUID().uuidString)"
        let site = try Site(target: dir, templates: try TemplateSet())
        let runs = ["fast-run": run("fast-run", downtime: 30), "slow-run": run("slow-run", downtime: 300)]
        let claims: [ClaimOutcome]
        do {
            claims = try CourseSite(site: site, course: course, runs: runs, profiles: [], sweeps: []).build()
            try site.commit()
        } catch {
            site.abandon()
            throw error
        }
        return (claims, dir)
    }

    static func page(_ dir: String, _ name: String) throws -> String {
        String(decoding: try #require(readFile("\(dir)/\(name)")), as: UTF8.self)
    }

    @Test func lessonsBecomePagesWithTheirFiguresTablesAndCheckedClaims() throws {
        let (claims, dir) = try Self.build()
        defer { removeTree(dir) }
        // Every claim of the first lesson, in page order, with its place (the predict box's check
        // is one); none of the second's, whose run is missing.
        expectEqual(claims.map(\.claim), ["fast < slow", "fast < slow", "fast < slow", "slow < fast"], "\(claims.map(\.claim))")
        expectEqual(claims.map(\.holds), [true, true, true, false])
        let wrong = try #require(claims.last)
        expectEqual(wrong.at.file, "alpha.md", "\(wrong.at)")
        expectEqual(wrong.at.line, 46, "\(wrong.at)")

        let alpha = try Self.page(dir, "alpha.html")
        expectContains(alpha, "Alpha lesson")
        expectContains(alpha, "Which run pauses less?")
        expectContains(alpha, "30 ms", "values printed from the runs in their unit")
        expectContains(alpha, "300 ms", "values printed from the runs in their unit")
        expectContains(alpha, "claim-disagrees", "the contradicted sentence is shown with its note")
        expectContains(alpha, "figures/alpha-pauses.svg")
        expectContains(alpha, "href=\"runs/fast-run.html\"", "table rows and evidence link the runs")
        expectContains(alpha, "href=\"runs/slow-run.html\"", "table rows and evidence link the runs")
        expectContains(alpha, "id=\"pauses\"", "sections keep their anchors")
        expectContains(alpha, "id=\"wrong\"", "sections keep their anchors")
        expectContains(alpha, "href=\"beta.html\"", "the next lesson is linked")
        expectContains(alpha, "W-overview", "the course's words, not Swift's")
        expectContains(alpha, "W-the_story", "the course's words, not Swift's")
        for file in ["figures/alpha-pauses.svg", "figures/alpha-pauses.png", "figures/alpha-pauses.pdf", "figures/slides/alpha-pauses.svg",
                     "slides/alpha-slides.zip", "decks/alpha.pptx", "decks/alpha.pdf", "decks/alpha-notes.pdf", "decks/course.pptx"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), "\(file)")
        }
    }

    @Test func aLessonMissingARunIsPendingWithoutDecksAndTheIndexAndGalleryListWhatWasBuilt() throws {
        let (_, dir) = try Self.build()
        defer { removeTree(dir) }
        let beta = try Self.page(dir, "beta.html")
        expectContains(beta, "W-pending: absent-run", "the course's pending word, naming the missing run")
        expectContains(beta, "It took …", "a value of a missing run prints as …")
        expectLacks(beta, "Something to take away", "no take-aways from a lesson that is not all there")
        expectContains(beta, "href=\"alpha.html\"", "the previous lesson is linked")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/slides/beta-slides.zip"), "no figures, no slide set")

        let index = try Self.page(dir, "index.html")
        expectContains(index, "Test course")
        expectContains(index, "<em>intro</em>")
        expectContains(index, "href=\"alpha.html\"")
        expectContains(index, "href=\"beta.html\"")
        expectContains(index, "What is missing?")
        let alphaAt = try #require(index.range(of: "href=\"alpha.html\"")), betaAt = try #require(index.range(of: "href=\"beta.html\""))
        expectLess(alphaAt.lowerBound, betaAt.lowerBound, "lessons in the course's order")
        expectContains(index, "2 runs")

        let gallery = try Self.page(dir, "figures.html")
        expectContains(gallery, "topic-alpha")
        expectContains(gallery, "figures/alpha-pauses.svg")
        expectLacks(gallery, "topic-beta", "a lesson without figures has no gallery section")
    }

    /// Builds lessons that must be refused into a scratch site (removed afterwards); the
    /// refusal's message, or nil when the build went through.
    static func refusal(_ lessons: [Lesson]) throws -> String? {
        let words = Dictionary(uniqueKeysWithValues: CourseWord.allCases.map { ($0, $0.rawValue) })
        let course = Course(folder: "/nonexistent", title: "T", intro: LessonText(markdown: "", at: SourceSpot(file: "c", line: 1, column: 1)),
                            lessons: lessons, experiments: [], words: words)
        let site = try Site(target: NSTemporaryDirectory() + "virtlab-coursesite-\(UUID().uuidString)", templates: try TemplateSet())
        defer { site.abandon() }
        let runs = ["fast-run": run("fast-run", downtime: 30), "slow-run": run("slow-run", downtime: 300)]
        do {
            _ = try CourseSite(site: site, course: course, runs: runs, profiles: [], sweeps: []).build()
            return nil
        } catch let ReportError.badInput(message) {
            return message
        }
    }

    /// A bar of a time, size, rate or percentage is drawn in its unit: a rate in Mbit/s arrives in
    /// bit/s, so `unit: plain` with `scale: 0.001` "for Gbit/s" drew 10,000,000 on a Gbit/s axis
    /// (the shipped I/O lesson did) — now refused with the figure's place and the unit to give.
    @Test(arguments: [("unit: plain", ""), ("unit: nanoseconds", ", scale: 0.001"), ("unit: bytes", "")])
    func aBarOfATimeMustBeDrawnInNanoseconds(_ unit: String, _ scale: String) throws {
        let text = Self.alpha
            .replacingOccurrences(of: "runs: [fast-run, slow-run]}]\nunit: nanoseconds", with: "runs: [fast-run, slow-run]\(scale)}]\n\(unit)")
        #expect(text != Self.alpha)
        let message = try #require(try Self.refusal([try Lesson.parse(text, id: "alpha", source: "alpha.md")]), "a time drawn with \(unit)\(scale) was accepted")
        #expect(message.hasPrefix("alpha.md:"), "\(message)")
        expectContains(message, "give the figure unit: nanoseconds and no scale", "\(message)")
    }

    @Test func aFigureNameTwoLessonsClaimIsRefusedWithBothPlaces() throws {
        let twin = Self.alpha.replacingOccurrences(of: "title: Alpha lesson", with: "title: Twin")
        let lessons = [try Lesson.parse(Self.alpha, id: "alpha", source: "alpha.md"), try Lesson.parse(twin, id: "twin", source: "twin.md")]
        let message = try #require(try Self.refusal(lessons), "two lessons drew the figure alpha-pauses")
        #expect(message.hasPrefix("twin.md:"), "\(message)")
        expectContains(message, "'alpha-pauses' is already used at alpha.md:", "\(message)")
    }
}
