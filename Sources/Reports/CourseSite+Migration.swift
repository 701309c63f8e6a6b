import Charts

extension CourseSite {
    func migration() throws -> TopicContent {
        var c = TopicContent(
            hook: "How do you move a running machine to another host while it keeps serving its users?",
            problem: "A VM's state is mostly its memory — gigabytes that take seconds to copy while the guest keeps writing to them. "
                + "Non-live migration stops the VM for the whole copy. Pre-copy (Clark et al., 2005) copies everything while the VM runs, "
                + "then in rounds re-sends the pages dirtied meanwhile, and stops the VM only for a short final stop-and-copy; it "
                + "converges only if the guest dirties pages slower than the link sends them. Post-copy (Hines and Gopalan, 2009) "
                + "switches the VM over at once and pulls pages on demand — with active push and prepaging to limit the faults — "
                + "sending each page exactly once but leaving the VM dependent on the source until the end.")

        if let rounds = runFigure("precopy-busy", "rounds") {
            var figures = [rounds.noticing(geometricNotice())]
            if let stages = runFigure("precopy-moderate", "stages") {
                let total = value("precopy-moderate", "total_time_ms"), setup = value("precopy-moderate", "setup_time_ms")
                let down = value("precopy-moderate", "downtime_ms")
                figures.append(stages.noticing("Clark et al.'s six stages on one axis. Pre-migration and reservation take \(Format.duration(setup * 1e6)); "
                    + "the iterative pre-copy — \(Self.num(value("precopy-moderate", "rounds"))) rounds with a 64 MiB hot set — fills almost all of the "
                    + "\(Format.duration(total * 1e6)) while the VM keeps running; stop-and-copy, commitment and activation are the slivers at the end, "
                    + "the only time the VM is paused: \(Format.duration(down * 1e6)), \(Self.pct(100 * down / max(total, 1e-9))) of the migration."))
            }
            if let venn = runFigure("precopy-moderate", "wws-venn") {
                figures.append(venn.noticing("The pages dirtied in one round and again in the next are the writable working set: pre-copy can never send them for good."))
            }
            c.sections.append(Section(id: "precopy", heading: "Pre-copy, round by round",
                                      paragraphs: ["A 2 GiB VM over a 1 Gbit/s link. First the guest writes 15,000 pages a second at random, then 5,000 a "
                                                   + "second mostly in a 64 MiB hot set."],
                                      figures: figures, links: links(["precopy-busy", "precopy-moderate", "precopy-idle", "precopy-compressed"])))
        }

        let strategies = [("precopy-moderate", "pre-copy"), ("postcopy-push", "post-copy"), ("hybrid", "hybrid"), ("non-live", "non-live")]
        if has(strategies.map(\.0)) {
            let chart = BarChart(title: "Total migration time and downtime, by strategy", categories: strategies.map(\.1),
                                 series: [("total time", strategies.map { value($0.0, "total_time_ms") * 1e6 }),
                                          ("downtime", strategies.map { value($0.0, "downtime_ms") * 1e6 })],
                                 unit: .nanoseconds, valueLabel: "time", logScale: true)
            c.sections.append(Section(
                id: "strategies", heading: "Pre-copy vs post-copy vs hybrid vs non-live",
                paragraphs: ["The same VM and workload under each strategy. Total time is until the source can be released; downtime is how "
                             + "long the guest was paused. The time scale is logarithmic."],
                figures: [try figure(chart, "migration-time-by-strategy", notice:
                    "Non-live's downtime is its whole transfer (\(Format.duration(value("non-live", "downtime_ms") * 1e6))). Pre-copy pauses for "
                    + "\(Format.duration(value("precopy-moderate", "downtime_ms") * 1e6)) and post-copy for \(Format.duration(value("postcopy-push", "downtime_ms") * 1e6)), "
                    + "but during its migration post-copy's guest loses \(Self.pct(100 * value("postcopy-push", "app_slowdown"))) of its time, paused or waiting for pages "
                    + "it faults in over the network, against \(Self.pct(100 * value("precopy-moderate", "app_slowdown"))) for pre-copy's, paused or slowed by dirty-page tracking; "
                    + "non-live's guest loses \(Self.pct(100 * value("non-live", "app_slowdown"))).")],
                tables: [runTable(["precopy-idle", "precopy-moderate", "precopy-busy", "precopy-write-heavy", "precopy-auto-converge", "precopy-compressed",
                                   "postcopy-demand", "postcopy-push", "postcopy-prepaging", "postcopy-source-failure", "hybrid", "non-live", "cold", "suspend-resume"],
                                  [("total_time_ms", "total (ms)"), ("downtime_ms", "downtime (ms)"), ("transferred_bytes", "bytes sent"),
                                   ("rounds", "rounds"), ("converged", "converged"), ("app_slowdown", "guest slowdown"), ("pages_lost", "pages lost")],
                                  caption: "Every migration run")]))
        }

        if let heavy = runFigure("precopy-write-heavy", "rounds") {
            let converged = value("precopy-auto-converge", "converged") > 0
            c.sections.append(Section(
                id: "nonconverging", heading: "When pre-copy does not converge",
                paragraphs: ["The guest now writes 40,000 pages a second — faster than the 1 Gbit/s link can send them."],
                figures: [heavy.noticing(
                    "The rounds stop shrinking: each sends about as much as the guest dirties meanwhile. After \(Self.num(value("precopy-write-heavy", "rounds"))) rounds pre-copy "
                    + "gives up and stops the VM with the rest, for \(Format.duration(value("precopy-write-heavy", "downtime_ms") * 1e6)) of downtime, having sent "
                    + "\(Self.times(value("precopy-write-heavy", "transferred_bytes"), value("non-live", "transferred_bytes"))) the VM's memory. "
                    + (converged ? "Auto-converge throttles the guest until it does converge: \(Format.duration(value("precopy-auto-converge", "downtime_ms") * 1e6)) of downtime." : ""))],
                links: links(["precopy-write-heavy", "precopy-auto-converge"])))
        }

        let post = [("postcopy-demand", "demand paging only"), ("postcopy-push", "active push"), ("postcopy-prepaging", "push + prepaging")]
        if has(post.map(\.0)) {
            let chart = BarChart(title: "Post-copy: page faults served over the network", categories: post.map(\.1),
                                 series: [("network faults", post.map { value($0.0, "postcopy_requests") })],
                                 unit: .count, valueLabel: "network page faults")
            let d = value("postcopy-demand", "postcopy_requests"), pp = value("postcopy-prepaging", "postcopy_requests")
            c.sections.append(Section(
                id: "postcopy", heading: "Post-copy faults, with and without prepaging",
                paragraphs: ["After the switch-over every first touch of a page not yet sent is a fault the destination must fetch from the source."],
                figures: [try figure(chart, "migration-postcopy-faults", notice:
                    "Demand paging alone faults \(Self.num(d)) times\(value("postcopy-demand", "finished") == 0 ? " and has not finished after 60 s" : ""); active push "
                    + "sends the rest in the background and prepaging also sends each fault's neighbours, cutting faults to \(Self.num(pp)). "
                    + "If the source fails before the end, the pages still there are lost with it (\(Self.num(value("postcopy-source-failure", "pages_lost"))) in the failure run).")],
                links: links(post.map(\.0) + ["postcopy-source-failure"])))
        }

        if let s = sweepSection("migration", heading: "Experiment: downtime as the dirty rate grows",
                                text: "Pre-copy against post-copy over a range of dirty rates: pre-copy's downtime jumps where it stops converging; post-copy's stays flat.") {
            c.sections.append(s)
        }

        c.takeaways = [
            "Pre-copy trades total time and bandwidth for short downtime, and only converges while the guest dirties memory slower than the link sends it.",
            "Post-copy sends every page once with near-zero downtime but slows the guest with network faults and depends on the source until it ends.",
            "Hybrids and auto-converge sit between them; non-live and cold migration are the baselines whose downtime is the whole copy.",
        ]
        return c
    }

    /// The pre-copy geometric series, measured against its prediction.
    func geometricNotice() -> String {
        let rounds = Int(value("precopy-busy", "rounds"))
        let sent = (1...max(rounds, 1)).map { value("precopy-busy", "round_\($0)_pages") }
        let ratios = zip(sent.dropFirst(), sent).map { $0 / max($1, 1) }
        let linkPages = value("precopy-busy", "bandwidth_mbps") * 1e6 / 8 / 4_096
        let predicted = value("precopy-busy", "dirty_pages_rate") / max(linkPages, 1)
        return "Each round re-sends what the guest dirtied while the previous one was on the wire, so the rounds form a geometric series with "
            + "ratio dirty rate ÷ link rate = \(Self.num(value("precopy-busy", "dirty_pages_rate"))) ÷ \(Self.num(linkPages.rounded())) pages/s ≈ "
            + "\(String(format4: predicted, digits: 2)). Measured, round by round: "
            + ratios.map { String(format4: $0, digits: 2) }.joined(separator: ", ")
            + (ratios.allSatisfy { $0 <= predicted } ? " — below the prediction, because a page written twice while a round is on the wire is sent once." : ".")
            + " After \(rounds) rounds the rest fits the downtime "
            + "limit and the VM pauses for \(Format.duration(value("precopy-busy", "downtime_ms") * 1e6))."
    }
}
