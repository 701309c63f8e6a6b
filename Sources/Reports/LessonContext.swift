import Charts

/// A claim of a lesson, checked against the runs.
package struct ClaimOutcome: Sendable, CustomStringConvertible {
    package var at: SourceSpot
    package var claim: String
    package var holds: Bool
    /// The numbers that decided it.
    package var detail: String

    package var description: String {
        holds ? "\(at): holds: \(claim) (\(detail))" : "\(at): the data disagrees with the claim '\(claim)': \(detail)"
    }
}

/// One lesson's values, evaluated from the course's runs, and its text rendered with them:
/// `{{name}}` becomes the formatted value, `{{? claim }}` a checked mark (or, when the data
/// disagrees, a visible note). Every claim checked is kept for the build's report.
final class LessonContext {
    let lesson: Lesson
    let site: CourseSite
    private var cache: [String: Quantity] = [:]
    private var evaluating: Set<String> = []
    private(set) var claims: [ClaimOutcome] = []
    /// Runs the text rendered since the last `takeRuns()` used (for a section's links).
    private var used: [String] = []

    /// Some runs or sweeps the lesson names are not in this build (a partial build): values that
    /// need them print as "…" and claims that need them are not checked.
    let partial: Bool

    init(_ lesson: Lesson, site: CourseSite, partial: Bool = false) {
        self.lesson = lesson
        self.site = site
        self.partial = partial
    }

    /// A run or sweep this (partial) build does not have.
    struct Missing: Error { var name: String }

    /// Records a check that failed outside a claim (a figure the data leaves empty).
    func disagree(_ at: SourceSpot, _ what: String, _ detail: String) {
        claims.append(ClaimOutcome(at: at, claim: what, holds: false, detail: detail))
    }

    func takeRuns() -> [String] {
        defer { used = [] }
        var seen = Set<String>()
        return used.filter { seen.insert($0).inserted }
    }

    func bad(_ at: SourceSpot, _ message: String) -> ReportError { ReportError.badInput("\(at): \(message)") }

    // MARK: Values

    func run(_ n: Lesson.Named) throws -> RunSummary {
        guard let r = site.runs[n.name] else {
            if partial { throw Missing(name: n.name) }
            throw bad(n.at, "no run '\(n.name)' in this build")
        }
        used.append(n.name)
        return r
    }

    /// A run's metric in base units (times in ns, sizes in bytes, rates in bit/s).
    func metric(_ run: Lesson.Named, _ metric: Lesson.Named) throws -> Quantity {
        let r = try self.run(run)
        if metric.name.contains("*") {
            let parts = metric.name.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            var found: [(Int, Double, String)] = []
            for m in r.metrics where m.name.hasPrefix(parts[0]) && m.name.hasSuffix(parts[1]) && m.name.count > parts[0].count + parts[1].count {
                if let i = Int(m.name.dropFirst(parts[0].count).dropLast(parts[1].count)) { found.append((i, m.value, m.unit)) }
            }
            guard !found.isEmpty else { throw bad(metric.at, "the run \(run.name) has no metric matching '\(metric.name)'") }
            found.sort { $0.0 < $1.0 }
            let unit = QuantityUnit.metric(found[0].2)
            return Quantity(series: found.map { $0.1 * unit.scale }, dimension: unit.dimension)
        }
        guard let v = r[metric: metric.name] else {
            let names = r.metrics.map(\.name).filter { !$0.hasPrefix("round_") }
            throw bad(metric.at, "the run \(run.name) has no metric '\(metric.name)'; it has \(names.joined(separator: ", "))")
        }
        let unit = QuantityUnit.metric(r.unit(metric.name) ?? "")
        return Quantity(v * unit.scale, dimension: unit.dimension)
    }

    func value(_ name: String, at: SourceSpot) throws -> Quantity {
        if let q = cache[name] { return q }
        guard let v = lesson.values.first(where: { $0.name == name }) else {
            throw bad(at, "no value '\(name)'; this lesson's values are \(lesson.values.map(\.name).joined(separator: ", "))")
        }
        guard evaluating.insert(name).inserted else { throw bad(v.at, "the value '\(name)' is defined through itself") }
        defer { evaluating.remove(name) }
        var q: Quantity
        switch v.source {
        case let .metric(run, metric):
            q = try self.metric(run, metric)
            if let u = v.unit { q.dimension = u.dimension }
        case let .parameter(run, key):
            let r = try self.run(run)
            guard let p = r.parameters[key.name] else {
                throw bad(key.at, "the run \(run.name) has no scenario key '\(key.name)' (virtlab scenarios show \(run.name) lists them)")
            }
            switch p {
            case let .number(x):
                let unit = v.unit ?? QuantityUnit.parameter(key.name)
                q = Quantity(x * unit.scale, dimension: unit.dimension)
            case let .text(s): q = Quantity(text: s)
            }
        case let .expression(e):
            do { q = try e.evaluate { try self.value($0, at: v.at) } } catch let error as LessonError {
                throw bad(v.at, "the value '\(name)': \(error.description)")
            }
            if let u = v.unit { q.dimension = u.dimension }
        case let .sweep(sweep, metric, filter, by):
            let s = try self.sweep(sweep)
            var points = s.points.filter { p in
                filter.allSatisfy { (key, wanted) in p.parameters[key].map { Self.same($0, wanted) } ?? false }
            }
            if let by {
                guard points.allSatisfy({ $0.parameters[by] != nil }) else { throw bad(v.at, "the sweep \(sweep.name) does not vary '\(by)'") }
                points.sort { (Double($0.parameters[by]!) ?? 0) < (Double($1.parameters[by]!) ?? 0) }
            }
            guard !points.isEmpty else { throw bad(v.at, "no run of the sweep \(sweep.name) matches where: \(filter.map { "\($0.0)=\($0.1)" }.joined(separator: ", "))") }
            guard points.allSatisfy({ $0.metrics[metric.name] != nil }) else {
                throw bad(metric.at, "the sweep \(sweep.name) has no metric '\(metric.name)'; it has \(points[0].metrics.keys.sorted().joined(separator: ", "))")
            }
            let unit = v.unit ?? QuantityUnit.parameter(metric.name)
            q = Quantity(series: points.map { $0.metrics[metric.name]! * unit.scale }, dimension: unit.dimension)
        case let .sweepFact(sweep, fact):
            let s = try self.sweep(sweep)
            var counts: [String: Int] = [:]
            for p in s.points {
                let key = p.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                counts[key, default: 0] += 1
            }
            let n: Int
            switch fact {
            case "runs": n = s.points.count
            case "points": n = counts.count
            default: n = counts.values.min() ?? 0
            }
            q = Quantity(Double(n))
        case let .diagram(d, fact):
            guard let diagram = site.diagrams[d.name] else { throw bad(d.at, "no diagram '\(d.name)'; the course draws \(site.diagrams.keys.sorted().joined(separator: ", "))") }
            guard let x = diagram.facts[fact.name] else {
                throw bad(fact.at, "the \(d.name) diagram has no fact '\(fact.name)'; it has \(diagram.facts.keys.sorted().joined(separator: ", "))")
            }
            q = Quantity(Double(x))
        case let .profile(p, theorem, fact, examples):
            let profile = try self.profile(p)
            let t = profile.theorems[theorem - 1]
            switch fact {
            case "holds": q = Quantity(t.holds ? 1 : 0)
            case "counterexamples": q = Quantity(Double(t.counterexamples.count))
            default: q = Quantity(text: t.counterexamples.prefix(examples).joined(separator: ", "))
            }
        }
        if v.scale != 1 { q.values = q.values.map { $0 * v.scale } }
        cache[name] = q
        return q
    }

    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if let x = Double(a), let y = Double(b) { return x == y }
        return false
    }

    func sweep(_ n: Lesson.Named) throws -> CourseSite.Sweep {
        guard let s = site.sweeps.first(where: { $0.name == n.name }) else {
            if partial { throw Missing(name: n.name) }
            throw bad(n.at, "no sweep '\(n.name)' in this build; it has \(site.sweeps.map(\.name).joined(separator: ", "))")
        }
        return s
    }

    func profile(_ n: Lesson.Named) throws -> CourseSite.Profile {
        guard let p = site.profiles.first(where: { $0.name == n.name }) else {
            throw bad(n.at, "no instruction-set profile '\(n.name)'; the course has \(site.profiles.map(\.name).joined(separator: ", "))")
        }
        return p
    }

    /// A value as prose prints it.
    func formatted(_ name: String, at: SourceSpot) throws -> String {
        let q = try value(name, at: at)
        if let t = q.text { return t }
        let v = lesson.values.first { $0.name == name }
        let format = v?.format ?? ValueFormat.natural(q.dimension)
        return q.values.map { format.text($0, dimension: q.dimension, digits: v?.digits) }.joined(separator: ", ")
    }

    // MARK: Text

    /// The text with values filled in and claims checked: as HTML (Markdown rendered; `inline`
    /// drops the paragraph around a single paragraph) and as plain text for slides.
    func render(_ text: LessonText, inline: Bool = false) throws -> (html: String, plain: String) {
        var markdown = "", plain = "", marks: [String] = []
        var rest = Substring(text.markdown)
        while let open = rest.range(of: "{{") {
            let before = rest[..<open.lowerBound]
            markdown += before
            plain += before
            let at = lesson.spot(of: rest[open.lowerBound...], after: text.at) ?? text.at
            guard let close = rest[open.upperBound...].range(of: "}}") else { throw bad(at, "a {{ is not closed with }}") }
            let inside = rest[open.upperBound..<close.lowerBound].trimmingWhitespace()
            rest = rest[close.upperBound...]
            if inside.hasPrefix("?") {
                let source = String(inside.dropFirst()).trimmingWhitespace()
                let outcome: ClaimOutcome
                do {
                    let claim = try LessonExpressionParser.claim(source)
                    let (holds, detail) = try claim.check { try self.value($0, at: at) }
                    outcome = ClaimOutcome(at: at, claim: source, holds: holds, detail: detail)
                } catch let e as LessonError {
                    throw bad(at, "the claim '\(source)': \(e.description)")
                } catch is Missing where partial {
                    continue
                }
                claims.append(outcome)
                // Private-use characters keep the mark out of Markdown's way until it is HTML.
                markdown += "\u{E000}\(marks.count)\u{E001}"
                marks.append(outcome.holds
                    ? "<sup class=\"claim-ok\" title=\"\(XMLText.escaped(site.course.word(.checked) + ": " + outcome.detail))\">✓</sup>"
                    : "<span class=\"claim-disagrees\" role=\"note\"><strong>\(XMLText.escaped(site.course.word(.disagrees)))</strong> "
                        + "<code>\(XMLText.escaped(source))</code>: \(XMLText.escaped(outcome.detail))</span>")
            } else {
                guard !inside.isEmpty else { throw bad(at, "{{}} names no value") }
                let shown: String
                do { shown = try formatted(inside, at: at) } catch is Missing where partial { shown = "…" } catch is EmptySeries { shown = "–" }
                markdown += shown
                plain += shown
            }
        }
        markdown += rest
        plain += rest
        var html = Lesson.html(markdown)
        if inline, html.hasPrefix("<p>"), html.hasSuffix("</p>"), html.components(separatedBy: "<p>").count == 2 {
            html = String(html.dropFirst(3).dropLast(4))
        }
        for (i, m) in marks.enumerated() { html = html.replacing("\u{E000}\(i)\u{E001}", with: m) }
        return (html, Lesson.plain(plain.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n")))
    }

    /// Evaluates every value and claim of the text without rendering it (the benchmark's
    /// measure of claim checking); returns how many claims it checked.
    func check(_ text: LessonText) throws -> Int {
        var rest = Substring(text.markdown), n = 0
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let inside = rest[open.upperBound..<close.lowerBound].trimmingWhitespace()
            if inside.hasPrefix("?") {
                _ = try LessonExpressionParser.claim(String(inside.dropFirst())).check { try self.value($0, at: text.at) }
                n += 1
            } else {
                _ = try? formatted(inside, at: text.at)
            }
            rest = rest[close.upperBound...]
        }
        return n
    }

    func html(_ t: LessonText) throws -> String { try render(t).html }
    func inline(_ t: LessonText) throws -> String { try render(t, inline: true).html }
    func plain(_ t: LessonText) throws -> String { try render(t).plain }
}
