import Course
import Foundation
import Testing
@testable import Reports
import SafeOutput
@testable import VirtLabCommands

/// Courses built from small lesson folders: claims checked against real (tiny) runs, mistakes
/// located, nothing written on failure, a translated lesson with no English from Swift.
@Suite(.serialized) struct LessonCourseTests {
    static let words = String(decoding: readFile(CommandTests.repoRoot + "/Templates/lessons/course.yaml")!, as: UTF8.self)

    /// A lessons folder with `course.yaml` listing one lesson, `lesson.md`.
    static func course(_ lesson: String, words: String = words) throws -> String {
        let dir = SiteTests.folder("lessons")
        try makeDirectory(dir)
        let yaml = words.replacingOccurrences(of: "lessons: [migration, cpu, memory, io]", with: "lessons: [lesson]")
            .replacingOccurrences(of: "experiments: [working-set, io-load, dirty-rate]", with: "experiments: []")
        try OutputFile.write(text: yaml, to: dir + "/course.yaml")
        try OutputFile.write(text: lesson, to: dir + "/lesson.md")
        return dir
    }

    static let presets = SiteTests.tinyPresets.filter { $0.name.hasPrefix("fork-heavy") }

    static func build(_ lessons: String, strict: Bool = false, into out: String) throws -> CourseBuilder.Built {
        try CourseBuilder.build(output: out, sweeps: "/nonexistent", lessons: lessons, threads: 2, strict: strict, presets: presets)
    }

    static let lesson = """
    ---
    title: Paging
    hook: Which costs more?
    story: {problem: a, insight: b, impact: c}
    values:
      s: {run: fork-heavy-shadow, metric: overhead_vs_native}
      n: {run: fork-heavy-nested, metric: overhead_vs_native}
      exits: {run: fork-heavy-shadow, metric: vm_exits}
    ---
    Intro.

    ## Compare {#compare}

    Shadow paging costs {{s}}, which is more than minus one hundred percent {{? s > -100 }}.
    It exits {{exits}} times, surely over a billion {{? exits > 1e9 }}.

    ```figure
    chart: bars
    name: test-overhead
    title: Overhead
    categories: [shadow, nested]
    series:
      - {label: overhead, metric: overhead_vs_native, runs: [fork-heavy-shadow, fork-heavy-nested]}
    unit: percent
    notice: Shadow {{s}}, nested {{n}}.
    ```

    ```predict
    question: How many exits?
    answer: exits
    tolerance: 10%
    unit: exits
    figure: test-overhead
    ```

    ```predict
    question: Which costs less?
    choices: [shadow, nested]
    answer: shadow
    check: exits < 0
    ```

    """

    @Test func aContradictedClaimIsShownAndReportedWithItsPlaceAndStrictBuildsNothing() throws {
        let lessons = try Self.course(Self.lesson)
        let out = SiteTests.folder("claims"), strictOut = SiteTests.folder("claims-strict")
        defer { removeTree(lessons); removeTree(out); removeTree(strictOut) }
        let built = try Self.build(lessons, into: out)
        #expect(built.claims == 3, "two in the prose, one behind the choice")
        // A choice whose claim the runs contradict is reported like any claim.
        #expect(built.disagreements.count == 2)
        #expect(built.disagreements.contains { $0.claim == "exits < 0" && $0.at.line == 40 && $0.at.column == 8 }, "\(built.disagreements)")
        let d = try #require(built.disagreements.first { $0.claim == "exits > 1e9" })
        #expect(d.at == SourceSpot(file: lessons + "/lesson.md", line: 15, column: 49), "\(d.at)")
        #expect(d.claim == "exits > 1e9" && d.detail.hasPrefix("not ") && d.detail.contains("exits = "))
        let page = String(decoding: readFile(out + "/lesson.html")!, as: UTF8.self)
        // The sentence stays, with the note beside it; the claim that holds gets its mark.
        #expect(page.contains("surely over a billion <span class=\"claim-disagrees\" role=\"note\"><strong>The data disagrees:</strong> <code>exits &gt; 1e9</code>"))
        #expect(page.contains("<sup class=\"claim-ok\" title=\"checked against the runs: s = "))
        #expect(page.contains("figures/test-overhead.svg"))
        // The prediction's answer is the run's value, as the page prints it; the answer stays
        // behind a closed disclosure for readers without JavaScript.
        let exits = try #require(built.runs["fork-heavy-shadow"]?[metric: "vm_exits"])
        #expect(page.contains("data-expected=\"\(Format.number(exits))\" data-tolerance=\"0.1\" data-choice=\"no\""))
        #expect(page.contains("<details class=\"predict-answer\">") && !page.contains("<details class=\"predict-answer\" open"))
        #expect(page.contains("<form class=\"predict-form\" hidden>") && page.contains("src=\"predict.js\""))
        #expect(fileExists(out + "/predict.js"))
        // --strict: the same lessons build nothing, and the message names the place.
        do {
            _ = try Self.build(lessons, strict: true, into: strictOut)
            Issue.record("a strict build with a false claim succeeded")
        } catch let e as CourseError {
            #expect("\(e)".contains("lesson.md:15:49: the data disagrees with the claim 'exits > 1e9'"), "\(e)")
        }
        #expect(!fileExists(strictOut))
    }

    @Test func namesTheRunsCannotHaveAreLocatedAndNothingIsWritten() throws {
        func failure(_ lesson: String) throws -> String {
            let lessons = try Self.course(lesson)
            let out = SiteTests.folder("bad")
            defer { removeTree(lessons); removeTree(out) }
            do { _ = try Self.build(lessons, into: out) } catch { 
                #expect(!fileExists(out), "a failed build wrote \(out)")
                return "\(error)"
            }
            return "no error"
        }
        let unknownRun = Self.lesson.replacingOccurrences(of: "n: {run: fork-heavy-nested", with: "n: {run: fork-heavy-nestd")
        #expect(try failure(unknownRun).contains("lesson.md:7:12: no run 'fork-heavy-nestd'"))
        #expect(try failure(unknownRun).contains("similar: fork-heavy-native, fork-heavy-shadow, fork-heavy-nested"))
        let unknownMetric = Self.lesson.replacingOccurrences(of: "metric: vm_exits", with: "metric: vm_exit")
        #expect(try failure(unknownMetric).contains("lesson.md:8:43: the run fork-heavy-shadow has no metric 'vm_exit'; it has"))
        let units = Self.lesson.replacingOccurrences(of: "{{? s > -100 }}", with: "{{? s > exits + s }}")
        let unitError = try failure(units)
        #expect(unitError.contains("lesson.md:14:73: the claim 's > exits + s': cannot add % and a plain number"), "\(unitError)")
        let value = Self.lesson.replacingOccurrences(of: "costs {{s}}", with: "costs {{shadow}}")
        #expect(try failure(value).contains("lesson.md:14:21: no value 'shadow'; this lesson's values are s, n, exits"))
        let param = Self.lesson.replacingOccurrences(of: "metric: vm_exits", with: "param: memory.mode.x")
        #expect(try failure(param).contains("lesson.md:8:42: the run fork-heavy-shadow has no scenario key 'memory.mode.x'"))
    }

    /// A lesson and the course's words in French: every word on the page comes from the lesson,
    /// course.yaml or the templates — none from Swift.
    @Test func aTranslatedLessonHasNoEnglishFromSwift() throws {
        var french = Self.words
        for (en, fr) in [("Overview", "Sommaire"), ("Lesson {n} of {count}", "Leçon {n} sur {count}"), ("  run: Run", "  run: Exécution"),
                         ("PowerPoint ({n} slides, notes included)", "PowerPoint ({n} diapositives, avec notes"),
                         ("PDF slides", "Diapositives PDF"), ("PDF speaker notes", "Notes PDF"), ("checked against the runs", "vérifié"),
                         ("The data disagrees:", "Les données contredisent :"), ("The problem", "Le problème"), ("The story", "Le récit"),
                         ("The insight", "L'idée"), ("The impact", "L'impact"), ("What to take away", "À retenir")] {
            french = french.replacingOccurrences(of: en, with: fr)
        }
        french = french.replacingOccurrences(of: "(PowerPoint ({n} diapositives, avec notes)", with: "PowerPoint ({n} diapositives, avec notes)")
        let lesson = """
        ---
        title: La pagination virtualisée
        hook: Qui paie le plus ?
        story: {problem: Deux tables, insight: Une ombre, impact: Des sorties}
        values:
          s: {run: fork-heavy-shadow, metric: overhead_vs_native}
          n: {run: fork-heavy-nested, metric: overhead_vs_native}
        takeaways:
          - La pagination fantôme coûte {{s}} ici.
        ---
        Le problème en une phrase.

        ## Comparaison {#comparaison}

        La pagination fantôme coûte {{s}} et la pagination imbriquée {{n}}.

        ```figure
        chart: bars
        name: test-fr
        title: Surcoût
        categories: [fantôme, imbriquée]
        series:
          - {label: surcoût, metric: overhead_vs_native, runs: [fork-heavy-shadow, fork-heavy-nested]}
        unit: percent
        axis: surcoût (%)
        caption: Le surcoût des deux modes.
        alt: Barres du surcoût, fantôme {{s}}, imbriquée {{n}}.
        notice: Comparez les deux barres.
        ```

        ```table
        caption: Les exécutions
        runs: [fork-heavy-shadow, fork-heavy-nested]
        columns:
          overhead_vs_native: surcoût (%)
        ```

        """
        let lessons = try Self.course(lesson, words: french)
        let out = SiteTests.folder("french")
        defer { removeTree(lessons); removeTree(out) }
        _ = try Self.build(lessons, into: out)
        let page = String(decoding: readFile(out + "/lesson.html")!, as: UTF8.self)
        func words(_ text: String) -> Set<String> {
            Set(text.lowercased().split { !$0.isLetter }.map(String.init).filter { $0.count > 1 })
        }
        var allowed = words(lesson).union(words(french)).union(words(lessons)) // the lesson file's path is named on the page
        for dir in ["", "/partials"] {
            for f in directoryNames(CommandTests.repoRoot + "/Templates" + dir) where f.hasSuffix(".mustache") {
                allowed.formUnion(words(String(decoding: readFile(CommandTests.repoRoot + "/Templates\(dir)/\(f)")!, as: UTF8.self)))
            }
        }
        allowed.formUnion(["fork", "heavy", "shadow", "nested", "virtlab", "pptx", "pdf", "svg", "png", "zip", "html", "notes", "lesson", "slides",
                           "decks", "figures", "runs"])
        // The page's visible text and its alt and title attributes.
        let main = page[page.range(of: "<main")!.lowerBound...]
        var text = String(main).replacingOccurrences(of: "<[^>]*alt=\"([^\"]*)\"[^>]*>", with: " $1 ", options: .regularExpression)
        text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        let foreign = words(text).subtracting(allowed)
        #expect(foreign.isEmpty, "words from Swift on a translated page: \(foreign.sorted())")
        #expect(page.contains("Leçon 1 sur 1") && page.contains("<h2>Le récit</h2>") && page.contains("Barres du surcoût"))
    }

    @Test func courseInitCopiesTheShippedLessonsAndTheCopyBuilds() throws {
        let dir = SiteTests.folder("init")
        defer { removeTree(dir) }
        var cmd = try CourseInitCommand.parse([dir, "--templates", CommandTests.repoRoot + "/Templates"])
        try cmd.run()
        #expect(Set(directoryNames(dir)) == Set(["course.yaml", "migration.md", "cpu.md", "memory.md", "io.md"]))
        let course = try Course.load(folder: dir)
        #expect(course.lessons.map(\.id) == ["migration", "cpu", "memory", "io"])
        cmd = try CourseInitCommand.parse([dir, "--templates", CommandTests.repoRoot + "/Templates"])
        #expect(throws: CommandError.self) { try cmd.run() }
    }
}
