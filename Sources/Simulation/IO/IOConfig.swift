/// The parameters of an I/O-virtualization run, read from a scenario's `io` section.
package struct IOConfig: Sendable, Equatable {
    package enum Approach: String, Sendable, CaseIterable { case native, emulation, paravirtual, passthrough }
    package enum Device: String, Sendable, CaseIterable { case nic, disk }
    package enum Loop: String, Sendable, CaseIterable { case open, closed }

    package var approach: Approach
    package var device: Device
    package var vms: Int
    package var requests: Int
    package var loop: Loop
    package var rate: Double
    package var queueDepth: Int
    package var bytes: Int
    package var writeFraction: Double
    /// Device bytes per second and fixed latency (seconds).
    package var deviceRate: Double
    package var deviceLatency: Double
    package var accessesPerRequest: Int
    package var accessesPerInterrupt: Int
    package var batch: Int
    package var coalesce: Int
    package var postedInterrupts: Bool
    /// Virtual-interrupt delivery (APICv/AVIC): the guest's EOI writes do not exit.
    package var apicVirtualization: Bool
    package var iommu: Bool
    package var iotlbEntries: Int
    package var iotlbMissNs: Double
    package var bufferPages: UInt64
    package var rogueShare: Double
    package var costs: IOCosts
    package var clockGHz: Double

    package static let keys: [ScenarioKey] = [
        ScenarioKey("io.approach", .choice(Approach.allCases.map(\.rawValue)), default: .text("paravirtual"),
                    "native: bare metal; emulation: trapped register accesses (QEMU e1000/IDE); paravirtual: shared rings (virtio); passthrough: VT-d assignment"),
        ScenarioKey("io.device", .choice(Device.allCases.map(\.rawValue)), default: .text("nic"), "which device the VMs use"),
        ScenarioKey("io.vms", .integer(1...64), default: .integer(1), "VMs sharing the device, one vCPU each"),
        ScenarioKey("io.requests", .integer(1...100_000_000), default: .integer(200_000), "requests (packets or block I/Os) to simulate"),
        ScenarioKey("io.workload.loop", .choice(Loop.allCases.map(\.rawValue)), default: .text("closed"),
                    "open: requests arrive at a rate; closed: each VM keeps a queue depth of requests in flight"),
        ScenarioKey("io.workload.rate", .real(1...100_000_000), default: .real(100_000), "requests per second per VM (open loop)"),
        ScenarioKey("io.workload.queue_depth", .integer(1...4_096), default: .integer(32), "requests in flight per VM (closed loop)"),
        ScenarioKey("io.workload.bytes", .integer(1...16_777_216), default: .integer(1_500), "bytes per packet or block request"),
        ScenarioKey("io.workload.write_fraction", .real(0...1), default: .real(0.5), "share of sends (NIC) or writes (disk)"),
        ScenarioKey("io.nic.gbps", .real(0.01...1_000), default: .real(10), "NIC line rate"),
        ScenarioKey("io.nic.latency_us", .real(0...100_000), default: .real(5), "NIC per-packet latency"),
        ScenarioKey("io.disk.mib_per_s", .real(1...1_000_000), default: .real(2_000), "block device throughput"),
        ScenarioKey("io.disk.latency_us", .real(0...1_000_000), default: .real(80), "block device per-request latency"),
        ScenarioKey("io.emulation.accesses_per_request", .integer(1...100), default: .integer(4),
                    "emulated register accesses the guest driver makes per request (e1000 transmit: tail write and friends)"),
        ScenarioKey("io.emulation.accesses_per_interrupt", .integer(0...100), default: .integer(3),
                    "register accesses to take a completion interrupt (cause read, mask, acknowledge)"),
        ScenarioKey("io.paravirtual.batch", .integer(1...4_096), default: .integer(16), "requests one kick (notification) covers"),
        ScenarioKey("io.paravirtual.coalesce", .integer(1...4_096), default: .integer(8), "completions one interrupt covers"),
        ScenarioKey("io.passthrough.posted_interrupts", .choice(["yes", "no"]), default: .text("yes"),
                    "deliver the device's interrupts without exits (needs io.apic_virtualization)"),
        ScenarioKey("io.apic_virtualization", .choice(["yes", "no"]), default: .text("yes"),
                    "virtual-interrupt delivery (APICv/AVIC): the guest's end-of-interrupt writes do not exit; no: every EOI of a delivered interrupt exits (hardware before about 2013)"),
        ScenarioKey("io.iommu.enabled", .choice(["yes", "no"]), default: .text("yes"), "DMA goes through the IOMMU (VT-d)"),
        ScenarioKey("io.iommu.iotlb_entries", .integer(1...65_536), default: .integer(64), "IOTLB entries (4 KiB pages)"),
        ScenarioKey("io.iommu.buffer_pages", .integer(1...1_000_000), default: .integer(32),
                    "pages of DMA buffers the driver recycles (its ring's buffer pool)"),
        ScenarioKey("io.iommu.miss_ns", .real(0...100_000), default: .real(500), "an IOTLB miss: the IOMMU walks the DMA page table"),
        ScenarioKey("io.iommu.rogue_dma_share", .real(0...1), default: .real(0),
                    "share of DMAs a faulty or malicious driver aims at another VM's memory"),
    ] + IOCosts.keys + [
        ScenarioKey("io.clock_ghz", .real(0.1...10), default: .real(3.0), "CPU clock that turns cycles into time"),
    ]

    package init(_ s: Scenario) {
        approach = Approach(rawValue: s.text("io.approach"))!
        device = Device(rawValue: s.text("io.device"))!
        vms = Int(s.int("io.vms"))
        requests = Int(s.int("io.requests"))
        loop = Loop(rawValue: s.text("io.workload.loop"))!
        rate = s.real("io.workload.rate")
        queueDepth = Int(s.int("io.workload.queue_depth"))
        bytes = Int(s.int("io.workload.bytes"))
        writeFraction = s.real("io.workload.write_fraction")
        if device == .nic {
            deviceRate = s.real("io.nic.gbps") * 125_000_000
            deviceLatency = s.real("io.nic.latency_us") / 1e6
        } else {
            deviceRate = s.real("io.disk.mib_per_s") * 1_048_576
            deviceLatency = s.real("io.disk.latency_us") / 1e6
        }
        accessesPerRequest = Int(s.int("io.emulation.accesses_per_request"))
        accessesPerInterrupt = Int(s.int("io.emulation.accesses_per_interrupt"))
        batch = Int(s.int("io.paravirtual.batch"))
        coalesce = Int(s.int("io.paravirtual.coalesce"))
        postedInterrupts = s.text("io.passthrough.posted_interrupts") == "yes"
        apicVirtualization = s.text("io.apic_virtualization") == "yes"
        iommu = s.text("io.iommu.enabled") == "yes"
        iotlbEntries = Int(s.int("io.iommu.iotlb_entries"))
        iotlbMissNs = s.real("io.iommu.miss_ns")
        bufferPages = UInt64(s.int("io.iommu.buffer_pages"))
        rogueShare = s.real("io.iommu.rogue_dma_share")
        costs = IOCosts(s)
        clockGHz = s.real("io.clock_ghz")
    }

    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? {
        if s.text("io.approach") == "passthrough", s.int("io.vms") > 1 {
            return ("io.vms", "is \(s.int("io.vms")), but a passthrough device is assigned to one VM only: VM 2 cannot be given the same device. Use emulation or paravirtual to share it, or set io.vms: 1")
        }
        if s.text("io.approach") == "passthrough", s.text("io.passthrough.posted_interrupts") == "yes", s.text("io.apic_virtualization") == "no" {
            return ("io.passthrough.posted_interrupts", "is yes, but posted interrupts are delivered through APIC virtualization, which io.apic_virtualization turns off: set posted_interrupts: no, or apic_virtualization: yes")
        }
        return nil
    }
}

/// Cycle costs of the I/O model; every one is a scenario key under `io.costs`.
package struct IOCosts: Sendable, Equatable {
    package var vmExit: UInt64
    package var emulateAccess: UInt64
    package var driver: UInt64
    package var isr: UInt64
    package var ring: UInt64
    package var backend: UInt64
    package var copyPerKiB: UInt64
    package var inject: UInt64

    static let keys: [ScenarioKey] = [
        ScenarioKey("io.costs.vm_exit_cycles", .integer(0...1_000_000), default: .integer(1_500), "a VM exit plus the entry back"),
        ScenarioKey("io.costs.emulate_access_cycles", .integer(0...10_000_000), default: .integer(4_000),
                    "the device model handling one trapped register access (a trip to the user-space emulator)"),
        ScenarioKey("io.costs.driver_cycles", .integer(0...10_000_000), default: .integer(1_000), "guest driver work to submit one request"),
        ScenarioKey("io.costs.isr_cycles", .integer(0...10_000_000), default: .integer(800), "guest work to complete one request"),
        ScenarioKey("io.costs.ring_cycles", .integer(0...1_000_000), default: .integer(300), "putting a descriptor in a shared ring"),
        ScenarioKey("io.costs.backend_cycles", .integer(0...10_000_000), default: .integer(2_000),
                    "host backend (Dom0 / vhost) work per request besides copying"),
        ScenarioKey("io.costs.copy_cycles_per_kib", .integer(0...1_000_000), default: .integer(400),
                    "copying (or grant-copying) 1 KiB between guest and host"),
        ScenarioKey("io.costs.interrupt_inject_cycles", .integer(0...1_000_000), default: .integer(500),
                    "the VMM injecting a virtual interrupt"),
    ]

    init(_ s: Scenario) {
        func c(_ k: String) -> UInt64 { UInt64(s.int("io.costs.\(k)")) }
        vmExit = c("vm_exit_cycles")
        emulateAccess = c("emulate_access_cycles")
        driver = c("driver_cycles")
        isr = c("isr_cycles")
        ring = c("ring_cycles")
        backend = c("backend_cycles")
        copyPerKiB = c("copy_cycles_per_kib")
        inject = c("interrupt_inject_cycles")
    }
}
