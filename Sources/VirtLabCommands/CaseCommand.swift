import Course
import ArgumentParser
import Export
import Reports
import SafeOutput
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab case`: the lesson plans' key activity. `new` makes a seeded case study — a report of
/// a run's symptoms with its configuration hidden — or a design challenge; students propose the
/// keys they would change; `check` runs the proposal and judges it against the target; `key`
/// gives the lecturer the hidden configuration, the diagnosis and a reference fix.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Case studies (what is slowing this VM down?) and design challenges, judged by simulation.",
        discussion: """
        virtlab case list: the families.
        virtlab case new FAMILY --seed N -o DIR: a case. DIR/index.html shows the symptoms (timeline, \
        exits by reason, results) with the configuration hidden; DIR/case.yaml states the target and \
        which keys a proposal may change.
        virtlab case check CASE PROPOSAL.yaml: runs the hidden configuration with the proposal's \
        changes and says, condition by condition, whether it meets the target (CASE: the folder, or \
        its id such as memory-7).
        virtlab case key CASE: for the lecturer, the hidden configuration, what is wrong, a \
        reference fix and its numbers.

        A proposal is YAML with the keys to change, nested as in a scenario file or dotted:
          memory:
            mode: nested
        The workload, the VM and the hardware are the case; changing them is refused (exit 2). \
        Every case is checked when it is made: its configuration misses the target and the \
        reference fix meets it. The key follows from the id (and --secret, when the lecturer \
        gives one to new, check and key alike).

        Examples:
          virtlab case new memory --seed 7 -o case-memory
          virtlab case check memory-7 fix.yaml   # fix.yaml: a proposal as above
          virtlab case new design-migration --seed 3 -o challenge
        """
    )

    @Argument(help: ArgumentHelp("list, new, check or key.", valueName: "action"))
    var action: String

    @Argument(help: ArgumentHelp("new: the family; check and key: the case (its folder or id).", valueName: "case"))
    var target: String?

    @Argument(help: ArgumentHelp("check: the proposal (YAML).", valueName: "proposal"))
    var proposal: String?

    @Option(help: "new: the seed (0 … 2^63−1).")
    var seed: UInt64 = 1

    @Option(name: .shortAndLong, help: "new: the case's folder.")
    var output: String?

    @Option(help: "A word of the lecturer's mixed into the seed (new, check and key alike).")
    var secret = ""

    @OptionGroup var templateOptions: TemplatesOption
    var templates: String? { templateOptions.templates }

    @Flag(help: "check: print a JSON object.")
    var json = false

    func validate() throws {
        guard ["list", "new", "check", "key"].contains(action) else { throw ValidationError("no action '\(action)'; actions: list, new, check, key") }
        if action != "list" && target == nil { throw ValidationError("\(action) needs \(action == "new" ? "a family" : "a case")") }
        if action == "new" && output == nil { throw ValidationError("new needs -o DIR") }
        if action == "check" && proposal == nil { throw ValidationError("check needs a proposal file") }
        if seed > UInt64(Int64.max) { throw ValidationError("--seed must be at most 2^63−1") }
    }

    func run() throws {
        switch action {
        case "list":
            for f in CaseFamily.allCases { print(f.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0) + f.summary) }
        case "new": try make()
        case "check": try check()
        default: try key()
        }
    }

    /// FAMILY (new) or a case folder / id (check, key) → the case.
    func study() throws -> CaseStudy {
        if action == "new" {
            guard let family = CaseFamily(rawValue: target!) else {
                throw CommandError.badInput("no case family '\(target!)'; families: \(CaseFamily.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return try Cases.make(family, seed: seed, secret: secret)
        }
        var id = target!
        if isDirectory(id) {
            guard let bytes = readFile("\(id)/case.yaml"), let text = String(validating: bytes, as: UTF8.self),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("case: ") }) else {
                throw CommandError.badInput("\(id): no case.yaml with a `case:` line; name a folder `virtlab case new` wrote, or an id such as memory-7")
            }
            id = String(line.dropFirst("case: ".count)).trimmingCharacters(in: .whitespaces)
        }
        guard let dash = id.lastIndex(of: "-"), let family = CaseFamily(rawValue: String(id[..<dash])), let s = UInt64(id[id.index(after: dash)...]),
              s <= UInt64(Int64.max) else {
            throw CommandError.badInput("'\(id)' is no case: a case is FAMILY-SEED (memory-7) or a folder with case.yaml; families: "
                                        + CaseFamily.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return try Cases.make(family, seed: s, secret: secret)
    }

    static func describe(_ changes: [String: ScenarioValue]) -> String {
        changes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.description)" }.joined(separator: ", ")
    }

    func make() throws {
        let c = try study()
        let out = output!
        let site = try Site(target: out, templates: try TemplateSet(folder: templates))
        do {
            let scratch = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/virtlab-case-\(getpid()).vlt"
            defer { unlink(scratch) }
            var scenario = try c.scenario([:])
            scenario.name = "case-\(c.id)"
            scenario.description = c.brief + " Target: " + c.target.map(\.text).joined(separator: " and ") + "."
            _ = try Runs.simulate(scenario, to: scratch, durable: false)
            _ = try RunReport.build(trace: scratch, site: site, page: "index.html", nav: [], figurePrefix: "case",
                                    command: c.family.isDesign ? "virtlab case new \(c.family.rawValue) --seed \(c.seed) -o \(out)" : nil,
                                    redacted: !c.family.isDesign)
            var yaml = "# \(c.title)\n# Check a proposal: virtlab case check \(out) proposal.yaml\n"
            yaml += "case: \(c.id)\nfamily: \(c.family.rawValue)\nseed: \(c.seed)\n"
            yaml += "brief: \(TraceFormat.JSONText.quoted(c.brief))\ntarget:\n" + c.target.map { "  - \(TraceFormat.JSONText.quoted($0.text))\n" }.joined()
            yaml += "may_change:\n" + c.family.allowed.map { "  - \($0.hasSuffix(".") ? $0 + "*" : $0)\n" }.joined()
            if c.family.isDesign { yaml += "configuration: \(TraceFormat.JSONText.quoted(Self.describe(c.hidden)))\n" }
            try site.write(text: yaml, to: "case.yaml")
            let first = c.family.allowed[0]
            try site.write(text: "# A proposal: the keys you would change, nested as in a scenario file.\n# May change: "
                           + c.family.allowed.map { $0.hasSuffix(".") ? $0 + "*" : $0 }.joined(separator: ", ") + "\n"
                           + "# For example (not necessarily a fix):\n# " + first.split(separator: ".").joined(separator: ":\n#   ") + ": …\n",
                           to: "proposal.yaml")
            try site.commit()
        } catch {
            site.abandon()
            throw error
        }
        print("\(out)/index.html: case \(c.id) — \(c.title). Target: \(c.target.map(\.text).joined(separator: " and ")).")
    }

    func check() throws {
        let c = try study()
        guard let bytes = readFile(proposal!) else { throw CommandError.badInput("cannot read the proposal \(proposal!)") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CommandError.badInput("\(proposal!): not UTF-8 text") }
        let changes = try Cases.proposal(text, source: proposal!, for: c)
        let verdict = Cases.judge(c, try Cases.measure(c, changes))
        if json {
            let lines = verdict.lines.map { "{\"condition\": \(ExportText.json($0.condition.text)), \"value\": \(Format.json($0.value)), \"holds\": \($0.holds)}" }
            print("{\"case\": \(ExportText.json(c.id)), \"met\": \(verdict.met), \"changes\": \(ExportText.json(Self.describe(changes))), "
                  + "\"conditions\": [\(lines.joined(separator: ", "))]}")
            return
        }
        print("case \(c.id): \(changes.isEmpty ? "the configuration as it is" : "with " + Self.describe(changes))")
        for l in verdict.lines {
            let unit = l.condition.unit.isEmpty ? "" : " " + l.condition.unit
            print("  \(l.holds ? "✓" : "✗") \(l.condition.metric.rawValue) = \(CaseStudy.number(l.value))\(unit)  (target: \(l.condition.text))")
        }
        print(verdict.met ? "meets the target" : "does not meet the target")
    }

    func key() throws {
        let c = try study()
        let before = Cases.judge(c, try Cases.measure(c, [:])), after = Cases.judge(c, try Cases.measure(c, c.reference))
        print("case \(c.id) — \(c.title)")
        print("hidden configuration: preset \(c.base.rawValue)" + (c.hidden.isEmpty ? "" : " with " + Self.describe(c.hidden)))
        print("what is wrong: \(c.diagnosis)")
        func shown(_ v: CaseVerdict) -> String {
            v.lines.map { "\($0.condition.metric.rawValue) = \(CaseStudy.number($0.value))\($0.condition.unit.isEmpty ? "" : " " + $0.condition.unit)" }.joined(separator: ", ")
        }
        print("as it is: \(shown(before)) — misses the target")
        print("reference fix: \(Self.describe(c.reference)) — \(c.referenceWhy)")
        print("with it: \(shown(after)) — meets the target")
        print("target: \(c.target.map(\.text).joined(separator: " and "))")
    }
}
