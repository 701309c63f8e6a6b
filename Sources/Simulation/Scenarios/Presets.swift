import Vocabulary
/// A built-in scenario: a name, a line of description, and the keys that differ from the defaults.
package struct Preset: Sendable {
    package let name: String
    package let topic: Topic
    /// The line of description, with every model parameter it states taken from the preset's
    /// own values (see `SummaryTemplate`), so it cannot disagree with what runs.
    package let summary: String
    package let seed: UInt64
    package let overrides: [String: ScenarioValue]

    /// `summary` may name the preset's values as `{key}` or `{key:format}` (`SummaryTemplate`).
    package init(name: String, topic: Topic, summary: String, seed: UInt64, overrides: [String: ScenarioValue]) {
        self.name = name
        self.topic = topic
        self.summary = SummaryTemplate.render(summary) { key in
            overrides[key] ?? topic.keys.first { $0.path == key }?.defaultValue
        }
        self.seed = seed
        self.overrides = overrides
    }

    /// The preset as the YAML that `scenarios show` prints and `run` reads.
    package var yaml: String {
        var values: [String: ScenarioValue] = [:]
        for key in topic.keys { values[key.path] = overrides[key.path] ?? key.defaultValue }
        return ScenarioYAML.render(name: name, description: summary, topic: topic, seed: seed, values: values)
    }

    /// The preset decoded exactly as a file with its YAML would be.
    package func scenario() throws -> Scenario {
        try ScenarioDecoder.decode(text: yaml, source: "preset \(name)")
    }

    /// Every built-in preset, in course order.
    package static let all: [Preset] = memory + cpu + io + migration

    /// The three ways to give VMs devices, on a network stream and a disk, shared and isolated.
    static let io: [Preset] = {
        var out: [Preset] = []
        let approaches: [(String, String)] = [("native", "Bare metal"), ("emulation", "Full device emulation (e1000/IDE-style)"),
                                              ("paravirtual", "Paravirtual split driver (virtio-style rings)"),
                                              ("passthrough", "Direct assignment through the IOMMU (VT-d, posted interrupts)")]
        for (a, how) in approaches {
            out.append(Preset(name: "net-\(a)", topic: .io, summary: "\(how): one VM streaming {io.workload.bytes}-byte packets over a {io.nic.gbps:gbps} NIC",
                              seed: 1, overrides: ["io.approach": .text(a)]))
        }
        for (a, how) in approaches {
            out.append(Preset(name: "disk-\(a)", topic: .io, summary: "\(how): one VM doing {io.workload.bytes:bytes} random I/O at queue depth {io.workload.queue_depth} on an NVMe-class disk",
                              seed: 1, overrides: ["io.approach": .text(a), "io.device": .text("disk"), "io.workload.bytes": .integer(4_096)]))
        }
        for a in ["emulation", "paravirtual"] {
            out.append(Preset(name: "net-shared-4vm-\(a)", topic: .io, summary: "{io.vms} VMs sharing one NIC through \(a)",
                              seed: 1, overrides: ["io.approach": .text(a), "io.vms": .integer(4), "io.workload.queue_depth": .integer(8)]))
        }
        out.append(Preset(name: "iommu-on", topic: .io, summary: "A passthrough NIC whose driver aims {io.iommu.rogue_dma_share:%} of its DMAs at another VM: the IOMMU blocks them",
                          seed: 1, overrides: ["io.approach": .text("passthrough"), "io.iommu.rogue_dma_share": .real(0.01)]))
        out.append(Preset(name: "iommu-off", topic: .io, summary: "The same rogue DMAs with the IOMMU off: they land in the other VM's memory",
                          seed: 1, overrides: ["io.approach": .text("passthrough"), "io.iommu.rogue_dma_share": .real(0.01), "io.iommu.enabled": .text("no")]))
        return out
    }()

    /// Migration strategies and the workloads that tell them apart.
    static let migration: [Preset] = {
        func m(_ name: String, _ summary: String, _ o: [String: ScenarioValue]) -> Preset {
            Preset(name: name, topic: .migration, summary: summary, seed: 1, overrides: o)
        }
        return [
            m("precopy-idle", "Pre-copy of an idle {migration.vm.memory_mib:mib} VM ({migration.workload.dirty_rate} pages/s dirtied): one big round, then almost nothing",
              ["migration.workload.dirty_rate": .real(50)]),
            m("precopy-moderate", "Pre-copy while the guest writes {migration.workload.dirty_rate} pages/s, mostly in a {migration.workload.hot_pages:pages} hot set: rounds shrink to the hot set",
              [:]),
            m("precopy-busy", "Pre-copy while the guest writes {migration.workload.dirty_rate} pages/s at random, half the link's page rate: each round about half the one before",
              ["migration.workload.dirty_rate": .real(15_000), "migration.workload.writer": .text("uniform")]),
            m("precopy-write-heavy", "Pre-copy while the guest writes {migration.workload.dirty_rate} pages/s, faster than the {migration.network.bandwidth_mbps:mbps} link: it never converges",
              ["migration.workload.dirty_rate": .real(40_000), "migration.workload.writer": .text("uniform")]),
            m("precopy-auto-converge", "The write-heavy guest with QEMU-style auto-converge: throttled until pre-copy converges",
              ["migration.workload.dirty_rate": .real(40_000), "migration.workload.writer": .text("uniform"),
               "migration.precopy.auto_converge": .text("yes")]),
            m("precopy-compressed", "The moderate pre-copy with zero-page elimination and per-class compression",
              ["migration.compression.enabled": .text("yes")]),
            m("postcopy-demand", "Post-copy with demand paging only: every first touch is a network fault",
              ["migration.strategy": .text("post-copy"), "migration.postcopy.push": .text("none"), "migration.postcopy.max_seconds": .real(60)]),
            m("postcopy-push", "Post-copy with active push: the source streams the rest while faults are served first",
              ["migration.strategy": .text("post-copy")]),
            m("postcopy-prepaging", "Post-copy with active push and prepaging around each fault (spatial locality)",
              ["migration.strategy": .text("post-copy"), "migration.postcopy.prepaging": .text("yes")]),
            m("postcopy-source-failure", "Post-copy whose source host fails {migration.postcopy.source_failure_ms:ms} after the switch-over: the VM is lost",
              ["migration.strategy": .text("post-copy"), "migration.postcopy.source_failure_ms": .real(3_000)]),
            m("hybrid", "One pre-copy round, then post-copy for what the guest dirtied meanwhile",
              ["migration.strategy": .text("hybrid")]),
            m("non-live", "Suspend, copy all {migration.vm.memory_mib:mib}, resume: the downtime is the whole transfer",
              ["migration.strategy": .text("non-live")]),
            m("cold", "A powered-off VM with a {migration.vm.disk_gib} GiB local disk: memory image and disk copied, the VM is down throughout",
              ["migration.strategy": .text("cold"), "migration.vm.disk_shared": .text("no")]),
            m("suspend-resume", "Internet Suspend/Resume: the destination has last week's image; only the {migration.suspend.changed_fraction:%} that changed moves",
              ["migration.strategy": .text("suspend-resume")]),
        ]
    }()

    /// A VM exit + entry round trip on first-generation VT-x (Prescott, 2005): about 4,000
    /// cycles (Agesen et al., USENIX ATC 2012, table 1); since Nehalem about 1,000–1,500.
    package static let firstGenerationExitCycles: Int64 = 4_000

    /// The CPU strategies on one profile and mix each.
    static let cpu: [Preset] = {
        var out: [Preset] = []
        let strategies: [(CPUConfig.Strategy, String)] = [
            (.native, "Native"), (.trapAndEmulate, "Trap-and-emulate"), (.binaryTranslation, "Binary translation"),
            (.hybrid, "Hybrid (trap where it traps, translate the rest)"), (.paravirtual, "Paravirtualization"),
            (.hardwareAssisted, "Hardware assist on first-generation VT-x (its 2005-06 exit cost, shadow paging)"),
        ]
        for (mix, what) in [(CPUConfig.Mix.syscallHeavy, "a system-call-heavy guest"), (.pagetableHeavy, "a page-table-heavy guest (fork/exec-like)")] {
            for (strategy, how) in strategies {
                var overrides: [String: ScenarioValue] = ["cpu.strategy": .text(strategy.rawValue), "cpu.workload.mix": .text(mix.rawValue)]
                if strategy == .hardwareAssisted { overrides["cpu.costs.vm_exit_cycles"] = .integer(firstGenerationExitCycles) }
                out.append(Preset(name: "x86-\(mix.rawValue)-\(strategy.rawValue)", topic: .cpu,
                                  summary: strategy == .hardwareAssisted ? "\(how), \(what)" : "\(how) on pre-VT x86, \(what)",
                                  seed: 1, overrides: overrides))
            }
            // The other era beside it: today's exit cost (the key's default) and EPT.
            out.append(Preset(name: "x86-\(mix.rawValue)-hardware-assisted-modern", topic: .cpu,
                              summary: "Hardware assist on modern VT-x (exit cost since Nehalem, EPT), \(what)", seed: 1,
                              overrides: ["cpu.strategy": .text("hardware-assisted"), "cpu.workload.mix": .text(mix.rawValue),
                                          "cpu.nested_paging": .text("yes")]))
        }
        out.append(Preset(name: "pg-ideal-trap-and-emulate", topic: .cpu,
                          summary: "Trap-and-emulate on a machine that satisfies theorem 1: no equivalence violations", seed: 1,
                          overrides: ["cpu.profile": .text("pg-ideal"), "cpu.strategy": .text("trap-and-emulate")]))
        out.append(Preset(name: "x86-red-pill", topic: .cpu,
                          summary: "Binary translation with user programs probing SGDT/SIDT: theorem 3 fails, user code sees the VMM", seed: 1,
                          overrides: ["cpu.strategy": .text("binary-translation"), "cpu.workload.user_sensitive_rate": .real(0.001)]))
        return out
    }()

    /// The memory workloads, each under native, shadow and nested paging.
    static let memoryWorkloads: [(name: String, summary: String, overrides: [String: ScenarioValue])] = [
        ("compute-bound", "a hot set within TLB reach (Zipf over {memory.workload.working_set_mib:mib}) and rare page-table changes: translation is nearly free in every mode",
         ["memory.workload.pattern": .text("zipf"), "memory.workload.working_set_mib": .integer(4),
          "memory.workload.zipf_exponent": .real(1.2), "memory.workload.accesses": .integer(4_000_000),
          "memory.workload.work_cycles": .integer(20), "memory.os.processes": .integer(2), "memory.os.switch_every": .integer(500_000)]),
        ("fork-heavy", "a process that forks a short-lived child every {memory.os.fork_every} accesses (like a kernel build or forkwait)",
         ["memory.workload.working_set_mib": .integer(4), "memory.os.fork_every": .integer(100_000),
          "memory.os.fork_child_accesses": .integer(2_000)]),
        // The translation-cost demonstrations measure the steady state: every page is touched once
        // first, so first-touch faults (demand paging, hidden faults) are not counted as translation.
        ("tlb-thrash", "uniform random accesses over {memory.workload.working_set_mib:mib} of 4 KiB pages, after touching every page once: nearly every access misses both TLB levels",
         ["memory.workload.working_set_mib": .integer(512), "memory.workload.warmup": .text("touch")]),
        ("tlb-thrash-2m", "the same random accesses on 2 MiB guest pages backed by 2 MiB nested pages: TLB reach grows 512×, walks shrink",
         ["memory.workload.working_set_mib": .integer(512), "memory.page_size": .text("2MiB"), "memory.nested.page_size": .text("2MiB"),
          "memory.workload.warmup": .text("touch")]),
        ("tlb-thrash-pwc", "the same random accesses over {memory.workload.working_set_mib:mib} of 4 KiB pages with a {memory.tlb.walk_cache_entries}-entry page-walk cache and a {memory.tlb.nested_tlb_entries}-entry nested TLB per vCPU (Bhargava et al., ASPLOS 2008)",
         ["memory.workload.working_set_mib": .integer(512), "memory.workload.warmup": .text("touch"), "memory.tlb.walk_cache": .text("yes"),
          "memory.tlb.nested_tlb_entries": .integer(16)]),
        ("context-switch-heavy", "{memory.os.processes} processes switching every {memory.os.switch_every} accesses, more than the {memory.shadow.root_cache} shadow roots a vCPU keeps ready",
         ["memory.workload.working_set_mib": .integer(1), "memory.os.processes": .integer(8), "memory.os.switch_every": .integer(2_000)]),
        ("context-switch-tight", "the same {memory.os.processes} processes with room for only {memory.shadow.max_pages} shadow pages: the hypervisor zaps the tables of the processes not running and rebuilds each on its next turn",
         ["memory.workload.working_set_mib": .integer(1), "memory.os.processes": .integer(8), "memory.os.switch_every": .integer(2_000),
          "memory.shadow.max_pages": .integer(16)]),
    ]

    static let memory: [Preset] = memoryWorkloads.flatMap { w in
        MemoryConfig.Mode.allCases.map { mode in
            var o = w.overrides
            o["memory.mode"] = .text(mode.rawValue)
            let how: String
            switch mode {
            case .native: how = "Native"
            case .shadow: how = "Shadow paging"
            case .nested: how = "Nested paging"
            }
            return Preset(name: "\(w.name)-\(mode.rawValue)", topic: .memory, summary: "\(how), \(w.summary)", seed: 1, overrides: o)
        }
    }

    /// The preset with this name.
    package static func named(_ name: String) -> Preset? { all.first { $0.name == name } }

    /// The preset of a vocabulary name. Every `PresetName` has its preset (the test
    /// `presetNamesAreExactlyThePresets` holds the two lists equal), so this cannot fail.
    package static func named(_ name: PresetName) -> Preset {
        guard let p = named(name.rawValue) else { preconditionFailure("PresetName.\(name) has no preset: PresetName and Preset.all differ") }
        return p
    }
}
