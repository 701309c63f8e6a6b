import Charts

extension CourseSite {
    static let memoryWorkloads = ["compute-bound", "fork-heavy", "tlb-thrash", "tlb-thrash-2m", "context-switch-heavy"]

    func memory() throws -> TopicContent {
        var c = TopicContent(
            hook: "The guest OS is sure it owns the page tables. How does the hypervisor let it keep believing that without paying on every memory access?",
            problem: "A virtual machine adds a second level of address translation: the guest maps guest-virtual to guest-physical "
                + "addresses (gVA → gPA) in its own page tables, and the hypervisor maps guest-physical to the machine's addresses "
                + "(gPA → sPA). The MMU of an older CPU walks only one table. Shadow paging has the hypervisor build combined "
                + "gVA → sPA tables and keep them in sync by write-protecting every guest page table, so each guest page-table "
                + "write, each CR3 load and each INVLPG becomes a VM exit. Nested (extended) paging lets the hardware walk both "
                + "tables itself: no exits for page-table updates, but a TLB miss now walks two dimensions — up to "
                + "(4+1)(4+1)−1 = 24 memory references instead of 4.")
        let modes = ["native", "shadow", "nested"]

        // 1. The 2-D walk.
        let walkRuns = ["tlb-thrash", "tlb-thrash-2m"].flatMap { w in modes.map { "\(w)-\($0)" } }
        if has(walkRuns) {
            let chart = BarChart(title: "Memory references per TLB miss", categories: modes,
                                 series: [("4 KiB pages", modes.map { value("tlb-thrash-\($0)", "refs_per_walk") }),
                                          ("2 MiB pages", modes.map { value("tlb-thrash-2m-\($0)", "refs_per_walk") })],
                                 unit: .plain, valueLabel: "references per walk")
            let nested4 = value("tlb-thrash-nested", "refs_per_walk"), native4 = value("tlb-thrash-native", "refs_per_walk")
            let nested2 = value("tlb-thrash-2m-nested", "refs_per_walk")
            var formula = Table(caption: "References of a two-dimensional walk: (n+1)(m+1)−1 for a guest table of n levels and a nested table of m levels",
                                columns: ["guest levels n"] + (2...5).map { "m = \($0)" })
            for n in 2...5 { formula.add("n = \(n)", (2...5).map { String((n + 1) * ($0 + 1) - 1) }) }
            c.sections.append(Section(
                id: "walk", heading: "Two levels of translation: the 2-D page walk",
                paragraphs: ["With nested paging each of the guest's page-table references is itself a guest-physical address the hardware must "
                             + "translate through the nested table, and so is the final data address. The diagram follows one TLB miss through "
                             + "both tables; the bar chart counts the references measured on uniform random accesses over 512 MiB, where nearly "
                             + "every access misses the TLB."],
                figures: walkDiagram() + [try figure(chart, "memory-walk-references", notice:
                    "A native or shadow walk costs \(Self.num(native4)) references; a nested walk \(Self.num(nested4)) — the 24 of (4+1)(4+1)−1, "
                    + "slightly fewer where a walk stops early. With 2 MiB pages in both dimensions a nested walk needs \(Self.num(nested2)): "
                    + "one level less on each side gives (3+1)(3+1)−1 = 15.")],
                tables: [formula], links: links(walkRuns)))
        }

        // 2. The modes on every workload.
        let overheadRuns = Self.memoryWorkloads.flatMap { w in ["shadow", "nested"].map { "\(w)-\($0)" } }
        if has(overheadRuns) {
            let chart = BarChart(title: "Slowdown against the same workload run natively", categories: Self.memoryWorkloads,
                                 series: ["shadow", "nested"].map { m in ("\(m) paging", Self.memoryWorkloads.map { value("\($0)-\(m)", "overhead_vs_native") }) },
                                 unit: .percent, valueLabel: "overhead vs native (%)")
            let forkS = value("fork-heavy-shadow", "overhead_vs_native"), forkN = value("fork-heavy-nested", "overhead_vs_native")
            let thrashS = value("tlb-thrash-shadow", "overhead_vs_native"), thrashN = value("tlb-thrash-nested", "overhead_vs_native")
            let thrash2N = value("tlb-thrash-2m-nested", "overhead_vs_native")
            let compute = max(value("compute-bound-shadow", "overhead_vs_native"), value("compute-bound-nested", "overhead_vs_native"))
            var notice = "No mode wins everywhere. "
            notice += forkS > forkN
                ? "On fork-heavy, shadow paging costs \(Self.pct(forkS)) against \(Self.pct(forkN)) for nested: every copy-on-write PTE the guest writes is an exit. "
                : "On fork-heavy, shadow paging costs \(Self.pct(forkS)) and nested \(Self.pct(forkN)). "
            notice += thrashN > thrashS
                ? "On tlb-thrash nested paging loses (\(Self.pct(thrashN)) against \(Self.pct(thrashS))): each miss walks two dimensions. "
                : "On tlb-thrash nested costs \(Self.pct(thrashN)), shadow \(Self.pct(thrashS)). "
            notice += "Large pages bring nested down to \(Self.pct(thrash2N)); a workload that fits in the TLB pays at most \(Self.pct(compute)) in either mode."
            c.sections.append(Section(
                id: "modes", heading: "Native vs shadow vs nested, workload by workload",
                paragraphs: ["The same seeded workload ran three times: natively, under shadow paging and under nested paging. The overhead is the extra "
                             + "simulated time against the native run."],
                figures: [try figure(chart, "memory-overhead-by-mode", notice: notice)],
                tables: [runTable(Self.memoryWorkloads.flatMap { w in modes.map { "\(w)-\($0)" } },
                                  [("overhead_vs_native", "overhead vs native (%)"), ("tlb_hit_rate", "TLB hit rate"),
                                   ("vm_exits", "VM exits"), ("refs_per_walk", "refs per walk"), ("shadow_bytes_peak", "shadow memory (bytes)")],
                                  caption: "Every memory run; click one for its page, trace and exit table")]))
        }

        // 3. Exits by reason.
        let exitRuns = ["fork-heavy-shadow", "fork-heavy-nested", "context-switch-heavy-shadow", "context-switch-heavy-nested"]
        if has(exitRuns) {
            var reasons: [String] = []
            for n in exitRuns { for e in run(n)!.exits where !reasons.contains(e.reason) { reasons.append(e.reason) } }
            let chart = BarChart(title: "VM exits by reason", categories: reasons,
                                 series: exitRuns.map { n in (n, reasons.map { r in Double(run(n)!.exits.first { $0.reason == r }?.count ?? 0) }) },
                                 unit: .count, valueLabel: "exits", logScale: true)
            let top = run("fork-heavy-shadow")!.exits.first
            c.sections.append(Section(
                id: "exits", heading: "Why the exits happen",
                paragraphs: ["Shadow paging must see every change the guest makes to its address spaces; nested paging only exits the first time a "
                             + "guest-physical page is touched (an EPT violation). The scale is logarithmic."],
                figures: [try figure(chart, "memory-exits-by-reason", notice:
                    "Under shadow paging fork-heavy exits \(Self.num(value("fork-heavy-shadow", "vm_exits"))) times"
                    + (top.map { ", mostly for \($0.reason) (\(Self.pct($0.percentOfExits)) of exits)" } ?? "")
                    + "; under nested paging \(Self.num(value("fork-heavy-nested", "vm_exits"))) times. With 8 processes switching, shadow paging "
                    + "also exits on every CR3 load and rebuilds roots its cache of 4 cannot hold.")],
                links: links(exitRuns)))
        }

        // 4. One run over time.
        if let timeline = runFigure("fork-heavy-shadow", "timeline"), let cycles = runFigure("fork-heavy-shadow", "cycles") {
            c.sections.append(Section(
                id: "timeline", heading: "A shadow-paged run as it happens",
                paragraphs: ["The same fork-heavy run over simulated time, and where its cycles went next to the native run."],
                figures: [timeline.noticing("Exits never stop — the shadow tables must follow every page-table write the guest makes — and peak after each fork "
                                                    + "(the marks on the process lane), when copy-on-write faults write PTEs the hypervisor has write-protected."),
                          cycles.noticing("The native bar is the same work without virtualization; the rest of the shadow bar is VMM time and the guest kernel's extra faults.")],
                links: links(["fork-heavy-shadow"])))
        }

        if let s = sweepSection("memory", heading: "Experiment: overhead as the working set grows",
                                text: "A sweep over working-set sizes with small and large pages, shadow against nested, three seeds per point (whiskers: min–max).") {
            c.sections.append(s)
        }

        c.takeaways = [
            "Virtualization adds a translation level (gVA → gPA → sPA); someone must combine the two: the hypervisor (shadow) or the hardware (nested).",
            "Shadow paging is fast while the guest's page tables are quiet and pays an exit for every change to them.",
            "Nested paging removes those exits but makes each TLB miss up to 24 memory references; large pages and page-walk caches win most of it back.",
        ]
        return c
    }

    /// The 2-D walk reference by reference, when the build drew it.
    func walkDiagram() -> [FigureRef] {
        guard let d = diagrams["2d-walk"], let n = d.facts["guest_levels"], let m = d.facts["nested_levels"], let total = d.facts["references"] else { return [] }
        return [d.figure.noticing(
            "Read it row by row. Before the hardware can read the guest's level-\(n) entry it must find where that guest table page is: "
            + "\(m) reads of the nested table. Then 1 read of the guest entry, which names the next guest table page by its guest-physical "
            + "address, and so on down \(n) guest levels; the data page's own address needs \(m) more nested reads. \(n) × (\(m) + 1) + \(m) = "
            + "(\(n)+1)(\(m)+1)−1 = \(total) references, where a native walk makes \(n) — and all of them come before the load itself.")]
    }
}
