/// The parameters of a migration run, read from a scenario's `migration` section.
package struct MigrationConfig: Sendable, Equatable {
    package enum Strategy: String, Sendable, CaseIterable {
        case cold
        case nonLive = "non-live"
        case preCopy = "pre-copy"
        case postCopy = "post-copy"
        case hybrid
        case suspendResume = "suspend-resume"
    }

    package enum Writer: String, Sendable, CaseIterable { case deterministic, uniform, hotset }
    package enum Push: String, Sendable, CaseIterable { case none, linear }

    package var strategy: Strategy
    package var pages: Int
    package var stateBytes: Double
    package var diskBytes: Double
    package var diskShared: Bool
    package var zeroFraction: Double
    package var textFraction: Double
    package var writer: Writer
    /// Pages per second the guest dirties.
    package var dirtyRate: Double
    package var phaseSeconds: Double
    package var phaseRate: Double
    package var hotPages: Int
    package var hotShare: Double
    package var readRate: Double
    package var readRun: Double
    /// Bytes per second.
    package var bandwidth: Double
    package var adaptive: Bool
    package var adaptiveStart: Double
    package var adaptiveStep: Double
    package var rtt: Double
    package var rules: PrecopyRules
    package var maxRounds: Int
    package var thresholdPages: Int
    package var maxFactor: Double
    package var downtimeLimit: Double
    package var skipRedirtied: Bool
    package var trackingOverhead: Double
    package var autoConverge: Bool
    package var throttleInitial: Double
    package var throttleStep: Double
    package var throttleMax: Double
    package var compression: Bool
    package var textRatio: Double
    package var binaryRatio: Double
    package var compressRate: Double
    package var push: Push
    package var prepaging: Bool
    package var prepageWindow: Int
    package var failureAt: Double?
    package var maxSeconds: Double
    package var changedFraction: Double
    package var setupSeconds: Double
    package var reservationSeconds: Double
    package var activationSeconds: Double
    package var batchPages: Int

    static let mib = 1_048_576.0

    package static let keys: [ScenarioKey] = [
        ScenarioKey("migration.strategy", .choice(Strategy.allCases.map(\.rawValue)), default: .text("pre-copy"), "how memory moves"),
        ScenarioKey("migration.vm.memory_mib", .integer(1...65_536), default: .integer(2_048), "guest memory (4 KiB pages)"),
        ScenarioKey("migration.vm.state_kib", .integer(0...1_048_576), default: .integer(256), "CPU and device state sent at the switch-over"),
        ScenarioKey("migration.vm.disk_gib", .integer(0...65_536), default: .integer(20), "virtual disk size"),
        ScenarioKey("migration.vm.disk_shared", .choice(["yes", "no"]), default: .text("yes"), "disk on shared storage (not copied)"),
        ScenarioKey("migration.vm.zero_fraction", .real(0...1), default: .real(0.2), "share of pages that are all zeros"),
        ScenarioKey("migration.vm.text_fraction", .real(0...1), default: .real(0.3), "share of text-like (well compressible) pages; the rest is binary"),
        ScenarioKey("migration.workload.writer", .choice(Writer.allCases.map(\.rawValue)), default: .text("hotset"),
                    "deterministic: a fixed cycle through memory; uniform: random pages; hotset: a hot writable working set plus cold pages"),
        ScenarioKey("migration.workload.dirty_rate", .real(0...10_000_000), default: .real(5_000), "pages the guest writes per second"),
        ScenarioKey("migration.workload.phase_seconds", .real(0...1_000_000), default: .real(0),
                    "alternate between dirty_rate and phase_rate every this many seconds (0: one steady phase)"),
        ScenarioKey("migration.workload.phase_rate", .real(0...10_000_000), default: .real(0), "dirty rate of the alternate phase"),
        ScenarioKey("migration.workload.hot_pages", .integer(1...16_777_216), default: .integer(16_384), "size of the hot writable working set"),
        ScenarioKey("migration.workload.hot_share", .real(0...1), default: .real(0.9), "share of writes that go to the hot set"),
        ScenarioKey("migration.workload.read_rate", .real(1...100_000_000), default: .real(100_000),
                    "pages the guest touches per second after a post-copy switch-over"),
        ScenarioKey("migration.workload.read_run", .real(1...1_000_000), default: .real(16), "mean length of sequential runs in those accesses"),
        ScenarioKey("migration.network.bandwidth_mbps", .real(1...1_000_000), default: .real(1_000), "link bandwidth in Mbit/s"),
        ScenarioKey("migration.network.adaptive", .choice(["yes", "no"]), default: .text("no"),
                    "raise the bandwidth each round (Clark et al.): start low, step up, final round at full bandwidth"),
        ScenarioKey("migration.network.adaptive_start_mbps", .real(1...1_000_000), default: .real(100), "first round's bandwidth when adaptive"),
        ScenarioKey("migration.network.adaptive_step_mbps", .real(0...1_000_000), default: .real(50), "bandwidth added each round when adaptive"),
        ScenarioKey("migration.network.rtt_ms", .real(0...10_000), default: .real(0.5), "round-trip time"),
        ScenarioKey("migration.precopy.rules", .choice(PrecopyRules.allCases.map(\.rawValue)), default: .text(PrecopyRules.textbook.rawValue),
                    "which stop rules end pre-copy: textbook (any of threshold, downtime limit, rounds, factor), xen (xc_domain_save: sent + skipped below threshold, 29 live rounds, 3x memory), qemu (pending dirty bytes within bandwidth x downtime limit)"),
        ScenarioKey("migration.precopy.max_rounds", .integer(1...1_000), default: .integer(30), "stop iterating after this many rounds"),
        ScenarioKey("migration.precopy.threshold_pages", .integer(0...1_000_000_000), default: .integer(50), "stop when fewer pages are dirty"),
        ScenarioKey("migration.precopy.max_factor", .real(1...100), default: .real(3), "stop when this multiple of memory has been sent"),
        ScenarioKey("migration.precopy.downtime_limit_ms", .real(0...1_000_000), default: .real(300),
                    "stop when the remaining dirty pages could be sent within this time"),
        ScenarioKey("migration.precopy.skip_redirtied", .choice(["yes", "no"]), default: .text("yes"),
                    "do not send a page that is dirtied again before its turn in the round"),
        ScenarioKey("migration.precopy.tracking_overhead", .real(0...0.9), default: .real(0.02),
                    "guest slowdown from write-protection faults while dirty pages are tracked"),
        ScenarioKey("migration.precopy.auto_converge", .choice(["yes", "no"]), default: .text("no"),
                    "throttle the guest in steps when rounds stop shrinking"),
        ScenarioKey("migration.precopy.throttle_initial", .real(0...0.99), default: .real(0.2), "first throttle (share of CPU taken)"),
        ScenarioKey("migration.precopy.throttle_step", .real(0...0.99), default: .real(0.1), "throttle added each time"),
        ScenarioKey("migration.precopy.throttle_max", .real(0...0.99), default: .real(0.99), "largest throttle"),
        ScenarioKey("migration.compression.enabled", .choice(["yes", "no"]), default: .text("no"),
                    "zero-page elimination and per-class compression"),
        ScenarioKey("migration.compression.text_ratio", .real(0.01...1), default: .real(0.35), "compressed size of a text-like page"),
        ScenarioKey("migration.compression.binary_ratio", .real(0.01...1), default: .real(0.8), "compressed size of a binary page"),
        ScenarioKey("migration.compression.mib_per_s", .real(1...1_000_000), default: .real(400), "compression throughput of the sending host"),
        ScenarioKey("migration.postcopy.push", .choice(Push.allCases.map(\.rawValue)), default: .text("linear"),
                    "none: pages move only when the guest faults on them; linear: the source also pushes the rest"),
        ScenarioKey("migration.postcopy.prepaging", .choice(["yes", "no"]), default: .text("no"), "push the neighbours of the latest fault first"),
        ScenarioKey("migration.postcopy.prepage_window", .integer(1...1_000_000), default: .integer(64), "pages around a fault pushed first"),
        ScenarioKey("migration.postcopy.source_failure_ms", .real(0...100_000_000), default: .real(0),
                    "source host fails this long after the switch-over (0: never)"),
        ScenarioKey("migration.postcopy.max_seconds", .real(1...100_000), default: .real(600), "end a post-copy run that has not finished by then"),
        ScenarioKey("migration.suspend.changed_fraction", .real(0...1), default: .real(0.1),
                    "share of pages changed since the image at the destination was taken (suspend-resume)"),
        ScenarioKey("migration.stages.setup_ms", .real(0...100_000), default: .real(50), "pre-migration: choose the host, open the connection"),
        ScenarioKey("migration.stages.reservation_ms", .real(0...100_000), default: .real(20), "reserve a VM container at the destination"),
        ScenarioKey("migration.stages.activation_ms", .real(0...100_000), default: .real(10),
                    "resume at the destination, reattach devices, announce the new location (ARP)"),
        ScenarioKey("migration.trace.batch_pages", .integer(1...1_000_000), default: .integer(256), "pages per page-batch event"),
    ]

    package init(_ s: Scenario) {
        strategy = Strategy(rawValue: s.text("migration.strategy"))!
        pages = Int(s.int("migration.vm.memory_mib")) * 256
        stateBytes = Double(s.int("migration.vm.state_kib")) * 1_024
        diskBytes = Double(s.int("migration.vm.disk_gib")) * 1_073_741_824
        diskShared = s.text("migration.vm.disk_shared") == "yes"
        zeroFraction = s.real("migration.vm.zero_fraction")
        textFraction = s.real("migration.vm.text_fraction")
        writer = Writer(rawValue: s.text("migration.workload.writer"))!
        dirtyRate = s.real("migration.workload.dirty_rate")
        phaseSeconds = s.real("migration.workload.phase_seconds")
        phaseRate = s.real("migration.workload.phase_rate")
        hotPages = Int(s.int("migration.workload.hot_pages"))
        hotShare = s.real("migration.workload.hot_share")
        readRate = s.real("migration.workload.read_rate")
        readRun = s.real("migration.workload.read_run")
        bandwidth = s.real("migration.network.bandwidth_mbps") * 125_000
        adaptive = s.text("migration.network.adaptive") == "yes"
        adaptiveStart = s.real("migration.network.adaptive_start_mbps") * 125_000
        adaptiveStep = s.real("migration.network.adaptive_step_mbps") * 125_000
        rtt = s.real("migration.network.rtt_ms") / 1_000
        rules = PrecopyRules(rawValue: s.text("migration.precopy.rules"))!
        maxRounds = Int(s.int("migration.precopy.max_rounds"))
        thresholdPages = Int(s.int("migration.precopy.threshold_pages"))
        maxFactor = s.real("migration.precopy.max_factor")
        downtimeLimit = s.real("migration.precopy.downtime_limit_ms") / 1_000
        skipRedirtied = s.text("migration.precopy.skip_redirtied") == "yes"
        trackingOverhead = s.real("migration.precopy.tracking_overhead")
        autoConverge = s.text("migration.precopy.auto_converge") == "yes"
        throttleInitial = s.real("migration.precopy.throttle_initial")
        throttleStep = s.real("migration.precopy.throttle_step")
        throttleMax = s.real("migration.precopy.throttle_max")
        compression = s.text("migration.compression.enabled") == "yes"
        textRatio = s.real("migration.compression.text_ratio")
        binaryRatio = s.real("migration.compression.binary_ratio")
        compressRate = s.real("migration.compression.mib_per_s") * Self.mib
        push = Push(rawValue: s.text("migration.postcopy.push"))!
        prepaging = s.text("migration.postcopy.prepaging") == "yes"
        prepageWindow = Int(s.int("migration.postcopy.prepage_window"))
        let f = s.real("migration.postcopy.source_failure_ms")
        failureAt = f > 0 ? f / 1_000 : nil
        maxSeconds = s.real("migration.postcopy.max_seconds")
        changedFraction = s.real("migration.suspend.changed_fraction")
        setupSeconds = s.real("migration.stages.setup_ms") / 1_000
        reservationSeconds = s.real("migration.stages.reservation_ms") / 1_000
        activationSeconds = s.real("migration.stages.activation_ms") / 1_000
        batchPages = Int(s.int("migration.trace.batch_pages"))
    }

    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? {
        if s.real("migration.vm.zero_fraction") + s.real("migration.vm.text_fraction") > 1 {
            return ("migration.vm.text_fraction", "and migration.vm.zero_fraction add up to more than 1")
        }
        if s.int("migration.workload.hot_pages") > s.int("migration.vm.memory_mib") * 256 {
            return ("migration.workload.hot_pages", "is larger than the VM's \(s.int("migration.vm.memory_mib") * 256) pages")
        }
        if s.real("migration.precopy.throttle_initial") > s.real("migration.precopy.throttle_max") {
            return ("migration.precopy.throttle_initial", "is above migration.precopy.throttle_max")
        }
        return nil
    }
}

/// The rule set that ends iterative pre-copy, each exactly as its source states it (docs/models.md).
package enum PrecopyRules: String, CaseIterable, Sendable {
    /// The analytical rule of the textbooks and VirtLab's first version: after a round, stop when
    /// its dirty set is empty or below `threshold_pages`, when (dirty pages + device state) fit
    /// the downtime limit, after `max_rounds` live rounds, or after `max_factor` × memory.
    case textbook
    /// Xen's `xc_domain_save`: after live round i, the last (suspended) iteration starts when the
    /// round just sent sent + skipped fewer than `threshold_pages` (50), when i reaches
    /// `max_rounds` − 1 (29 live + the final = 30), or when more than `max_factor` (3) × memory
    /// has been sent. No downtime estimate.
    case xen
    /// QEMU's `migration_iteration_run`: complete when the pending dirty RAM (pages × 4 KiB,
    /// device state not included) is below bandwidth × `downtime_limit_ms`, or zero. QEMU iterates
    /// for ever otherwise; VirtLab stops after `max_rounds` and reports it did not converge.
    case qemu
}
