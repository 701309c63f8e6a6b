import Charts

extension CourseSite {
    static let cpuStrategies = ["native", "trap-and-emulate", "binary-translation", "hybrid", "paravirtual", "hardware-assisted"]
    static let cpuMixes = ["syscall-heavy", "pagetable-heavy"]

    func cpu() throws -> TopicContent {
        var c = TopicContent(
            hook: "Can a virtual machine monitor just run the guest's instructions on the real CPU and step in only when it must?",
            problem: "Popek and Goldberg (1974) answer: yes, if every sensitive instruction — one that reads or changes the machine's "
                + "privileged state — is also privileged, so that it traps when the deprivileged guest kernel runs it (theorem 1). Then "
                + "trap-and-emulate works: run everything directly, emulate what traps. Pre-2005 x86 breaks the rule: instructions such as "
                + "POPF, PUSHF, SGDT and SIDT behave differently in user mode without trapping. VMware answered with binary translation, Xen "
                + "with paravirtualization (the guest calls the hypervisor instead), and Intel and AMD with hardware assist (VT-x, AMD-V), "
                + "which adds a new mode in which sensitive instructions exit.")

        // 1. Popek–Goldberg.
        if !profiles.isEmpty {
            var verdicts = Table(caption: "The theorems, checked against each instruction-set profile",
                                 columns: ["Profile", "Theorem 1 (VMM can be built)", "Theorem 2 (recursively)", "Theorem 3 (hybrid VMM)"])
            for p in profiles {
                verdicts.add(p.name, p.theorems.map { t in
                    t.holds ? "holds" : "fails: " + t.counterexamples.prefix(4).joined(separator: ", ") + (t.counterexamples.count > 4 ? ", …" : "")
                })
            }
            c.sections.append(Section(
                id: "popek-goldberg", heading: "Which instructions are privileged, which are sensitive",
                paragraphs: ["Each diagram sorts a profile's instructions: privileged ones trap in user mode, sensitive ones touch privileged "
                             + "state. Theorem 1 holds when the sensitive set lies inside the privileged one; highlighted instructions are "
                             + "sensitive but unprivileged — they run in the guest without the VMM noticing."],
                figures: profiles.map { p in
                    p.figure.noticing(p.theorems.first?.holds ?? true
                        ? "Every sensitive instruction of \(p.name) traps: trap-and-emulate is enough."
                        : "\(p.theorems[0].counterexamples.count) sensitive instructions of \(p.name) do not trap (for example \(p.theorems[0].counterexamples.prefix(3).joined(separator: ", "))).")
                },
                tables: [verdicts]))
        }

        // 2. Strategies compared.
        let names = Self.cpuMixes.flatMap { m in Self.cpuStrategies.map { "x86-\(m)-\($0)" } }
        if has(names) {
            let virtualized = Self.cpuStrategies.dropFirst()
            let chart = BarChart(title: "Slowdown against native, by strategy", categories: Array(virtualized),
                                 series: Self.cpuMixes.map { m in (m, virtualized.map { value("x86-\(m)-\($0)", "overhead_vs_native") }) },
                                 unit: .percent, valueLabel: "overhead vs native (%)")
            let best = virtualized.min { value("x86-syscall-heavy-\($0)", "overhead_vs_native") < value("x86-syscall-heavy-\($1)", "overhead_vs_native") }!
            let worst = virtualized.max { value("x86-syscall-heavy-\($0)", "overhead_vs_native") < value("x86-syscall-heavy-\($1)", "overhead_vs_native") }!
            let violations = BarChart(title: "Instructions with the wrong effect (equivalence violations)", categories: Array(virtualized),
                                      series: Self.cpuMixes.map { m in (m, virtualized.map { value("x86-\(m)-\($0)", "equivalence_violations") }) },
                                      unit: .count, valueLabel: "wrong effects")
            let te = value("x86-syscall-heavy-trap-and-emulate", "equivalence_violations")
            let others = virtualized.filter { $0 != "trap-and-emulate" }.map { value("x86-syscall-heavy-\($0)", "equivalence_violations") }.reduce(0, +)
            c.sections.append(Section(
                id: "strategies", heading: "Four ways around x86, compared",
                paragraphs: ["Each strategy ran the same seeded instruction stream on the pre-VT x86 profile: a system-call-heavy guest and a "
                             + "page-table-heavy one (fork/exec-like). Overhead is against the native run; violations count instructions "
                             + "whose effect differed from what the guest would see on real hardware."],
                figures: [
                    try figure(chart, "cpu-overhead-by-strategy", notice: strategyNotice(best: best, worst: worst)),
                    try figure(violations, "cpu-violations-by-strategy", notice:
                        te > 0 ? "Only trap-and-emulate gets instructions wrong (\(Self.num(te)) on the system-call-heavy guest) "
                            + (others == 0 ? "— every other strategy has none" : "— the others \(Self.num(others)) together")
                            + ": on x86 it is not a correct VMM, exactly as theorem 1 predicts."
                            : "No strategy produced a wrong effect on this profile."),
                ],
                tables: [runTable(names + ["pg-ideal-trap-and-emulate", "x86-red-pill"],
                                  [("overhead_vs_native", "overhead (%)"), ("equivalence_violations", "violations"), ("vm_exits", "VM exits"),
                                   ("translated", "translated"), ("hypercalls", "hypercalls"), ("efficiency", "direct share")],
                                  caption: "Every CPU run")],
                links: links(names)))
        }

        // 3. Inside one run.
        if let outcomes = runFigure("x86-syscall-heavy-hybrid", "outcomes") {
            var figures = [outcomes.noticing("The hybrid VMM lets instructions that trap be emulated and translates only the code that holds sensitive, unprivileged instructions.")]
            if let ideal = run("pg-ideal-trap-and-emulate") {
                figures.append(contentsOf: runFigure(ideal.name, "outcomes").map {
                    [$0.noticing("On a machine that satisfies theorem 1 plain trap-and-emulate has \(Self.num(ideal[metric: "equivalence_violations"] ?? 0)) violations.")]
                } ?? [])
            }
            c.sections.append(Section(id: "outcomes", heading: "What the VMM did with each sensitive instruction",
                                      paragraphs: ["Each run counts, for every sensitive instruction the guest executed, whether it trapped and was emulated, "
                                                   + "was translated, became a hypercall or a hardware VM exit — or ran with the wrong effect."],
                                      figures: figures, links: links(["x86-syscall-heavy-hybrid", "pg-ideal-trap-and-emulate", "x86-red-pill"])))
        }

        let legacy = profiles.first { $0.name == "x86-legacy" }?.theorems.first?.counterexamples.count
        c.takeaways = [
            "Trap-and-emulate is correct only when every sensitive instruction is privileged (theorem 1)"
                + (legacy.map { "; the pre-VT x86 profile has \($0) that are not." } ?? "."),
            "Binary translation and paravirtualization are two ways to keep those instructions from running unseen: rewrite them, or change the guest.",
            "Hardware assist makes x86 classically virtualizable; its first generation traded exits for world switches and was not yet faster.",
        ]
        return c
    }

    /// What the strategy chart shows, in numbers from the runs.
    func strategyNotice(best: String, worst: String) -> String {
        func o(_ mix: String, _ s: String) -> Double { value("x86-\(mix)-\(s)", "overhead_vs_native") }
        var text = "On the system-call-heavy guest \(best) is cheapest (\(Self.pct(o("syscall-heavy", best)))) and \(worst) dearest "
            + "(\(Self.pct(o("syscall-heavy", worst)))). "
        let hw = o("pagetable-heavy", "hardware-assisted"), bt = o("pagetable-heavy", "binary-translation")
        if hw > bt {
            text += "On the page-table-heavy guest first-generation hardware assist (\(Self.pct(hw))) loses to binary translation (\(Self.pct(bt))): "
                + "every guest page-table write is a full VM exit, while the translator patches them into cheap calls — Adams and Agesen's 2006 finding. "
        } else {
            text += "On the page-table-heavy guest hardware assist costs \(Self.pct(hw)) and binary translation \(Self.pct(bt)). "
        }
        text += "Paravirtualization is cheapest where the guest can be changed: \(Self.pct(o("pagetable-heavy", "paravirtual"))) on the page-table-heavy guest."
        return text
    }
}
