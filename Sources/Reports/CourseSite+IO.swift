import Charts

extension CourseSite {
    static let ioApproaches = ["native", "emulation", "paravirtual", "passthrough"]

    func io() throws -> TopicContent {
        var c = TopicContent(
            hook: "A dozen virtual machines, one network card. Who talks to the hardware, and what does each packet cost on the way?",
            problem: "A guest's driver expects a device. Full emulation (QEMU's e1000 or IDE) gives it one in software: every register "
                + "access the unmodified driver makes is a VM exit the hypervisor emulates, and completions come back as injected "
                + "interrupts — several exits per packet. A paravirtual split driver (virtio, Xen's netfront/netback) puts requests in a "
                + "ring in shared memory and notifies the backend once per batch. Direct assignment (VT-d passthrough) hands one VM the "
                + "device itself: no exits on the data path, with an IOMMU translating — and policing — every DMA, but the device "
                + "belongs to that VM alone.")
        let net = Self.ioApproaches.map { "net-\($0)" }, disk = Self.ioApproaches.map { "disk-\($0)" }
        if has(net + disk) {
            let virt = Array(Self.ioApproaches.dropFirst())
            let exits = BarChart(title: "VM exits per I/O operation", categories: virt,
                                 series: [("network, 1,500-byte packets", virt.map { value("net-\($0)", "exits_per_op") }),
                                          ("disk, 4 KiB requests", virt.map { value("disk-\($0)", "exits_per_op") })],
                                 unit: .plain, valueLabel: "exits per operation")
            let cpu = BarChart(title: "CPU cycles per packet, by who spends them", categories: Self.ioApproaches,
                               series: [("guest", Self.ioApproaches.map { value("net-\($0)", "guest_cycles_per_op") }),
                                        ("VMM", Self.ioApproaches.map { value("net-\($0)", "vmm_cycles_per_op") }),
                                        ("host backend", Self.ioApproaches.map { value("net-\($0)", "backend_cycles_per_op") })],
                               stacked: true, unit: .count, valueLabel: "cycles per packet")
            let tput = BarChart(title: "Throughput against bare metal", categories: Self.ioApproaches,
                                series: [("network", Self.ioApproaches.map { value("net-\($0)", "throughput_vs_native") * 100 }),
                                         ("disk", Self.ioApproaches.map { value("disk-\($0)", "throughput_vs_native") * 100 })],
                                unit: .percent, valueLabel: "throughput (% of native)")
            let e = value("net-emulation", "exits_per_op"), p = value("net-paravirtual", "exits_per_op")
            let speedup = value("net-paravirtual", "throughput_mbps") / max(value("net-emulation", "throughput_mbps"), 1e-9)
            let ratio = Self.times(value("net-paravirtual", "throughput_mbps"), value("net-emulation", "throughput_mbps"))
            let published = (5...40).contains(speedup) ? "inside" : "outside"
            c.sections.append(Section(
                id: "approaches", heading: "Three approaches on the same workload",
                paragraphs: ["One VM streams packets over a 10 Gbit/s NIC, then does 4 KiB random reads and writes at queue depth 32 on an "
                             + "NVMe-class disk — the same seeded requests under each approach, and on bare metal."],
                figures: [
                    try figure(exits, "io-exits-per-op", notice:
                        "Emulation exits \(Self.num(e)) times per packet (register accesses plus the interrupt); the split driver "
                        + "\(Self.num(p)), because one kick covers a batch and interrupts are coalesced; passthrough none on the data path."),
                    try figure(cpu, "io-cycles-per-packet", notice:
                        "Emulation spends its cycles in the VMM decoding register accesses; the split driver moves the work to the host's backend; "
                        + "passthrough costs what bare metal costs."),
                    try figure(tput, "io-throughput-vs-native", notice:
                        "The split driver moves \(ratio) as much network traffic as emulation — \(published) the 5–40× range reported for virtio "
                        + "and netfront against emulated NICs — and passthrough reaches \(Self.pct(value("net-passthrough", "throughput_vs_native") * 100)) of bare metal."),
                ],
                tables: [runTable(net + disk, [("throughput_mbps", "Mbit/s"), ("exits_per_op", "exits/op"), ("latency_p50_ns", "p50 latency"),
                                               ("latency_p99_ns", "p99 latency"), ("cpu_cycles_per_kib", "cycles/KiB")],
                                  caption: "The network and disk runs")]))
        }
        if let load = loadSection() { c.sections.append(load) }

        let shared = ["net-shared-4vm-emulation", "net-shared-4vm-paravirtual", "net-passthrough"]
        if has(shared) {
            let labels = ["4 VMs, emulated NIC", "4 VMs, paravirtual NIC", "1 VM, assigned NIC"]
            let chart = BarChart(title: "Sharing one 10 Gbit/s NIC", categories: labels,
                                 series: [("total throughput", shared.map { value($0, "throughput_mbps") / 1_000 })],
                                 unit: .plain, valueLabel: "total throughput (Gbit/s)")
            let sharingFigure = try figure(chart, "io-sharing", notice:
                "Four VMs on the emulated NIC reach \(Self.num(value("net-shared-4vm-emulation", "throughput_mbps"))) Mbit/s together — the VMM's "
                + "emulation work, not the wire, is the limit; through the split driver they fill the link "
                + "(\(Self.num(value("net-shared-4vm-paravirtual", "throughput_mbps"))) Mbit/s). The assigned NIC reaches the same rate for its single VM.")
            c.sections.append(Section(
                id: "sharing", heading: "How many VMs can share a device",
                paragraphs: ["Emulation and split drivers multiplex one physical NIC among many VMs because the hypervisor or its driver "
                             + "domain owns the device. Passthrough assigns the device to a single VM: asking VirtLab to give the same "
                             + "device to a second VM is refused, as VT-d requires (SR-IOV virtual functions are how real NICs get around it)."],
                figures: [sharingFigure],
                tables: [runTable(shared, [("vms_sharing_device", "VMs on the device"), ("throughput_mbps", "total Mbit/s"),
                                           ("throughput_vs_native", "share of native"), ("exits_per_op", "exits/op")],
                                  caption: "Four VMs on one NIC, against one VM with the NIC assigned")],
                links: links(shared)))
        }

        if has(["iommu-on", "iommu-off"]) {
            let blocked = value("iommu-on", "dma_blocked"), unsafe = value("iommu-off", "dma_unsafe")
            let chart = BarChart(title: "Rogue DMAs into another VM's memory", categories: ["IOMMU on", "IOMMU off"],
                                 series: [("blocked", [blocked, value("iommu-off", "dma_blocked")]),
                                          ("landed in the other VM", [value("iommu-on", "dma_unsafe"), unsafe])],
                                 stacked: true, unit: .count, valueLabel: "DMAs")
            let iommuFigure = try figure(chart, "io-iommu", notice:
                "The same device, driver and rogue DMAs: the IOMMU's page tables for VM A do not map VM B's memory, so every stray DMA faults "
                + "instead of writing — isolation comes from the IOMMU, not from the device or the driver.")
            c.sections.append(Section(
                id: "iommu", heading: "What the IOMMU stops",
                paragraphs: ["A passthrough NIC's driver aims 1 % of its DMAs at memory that belongs to another VM. The device is real, "
                             + "so only the IOMMU stands between it and the other VM's memory.",
                             "With the IOMMU on, \(Self.num(blocked)) rogue DMAs were blocked and recorded; with it off, \(Self.num(unsafe)) "
                             + "landed in the other VM's memory."],
                figures: [iommuFigure],
                tables: [runTable(["iommu-on", "iommu-off"], [("dma_pages", "DMAs"), ("iotlb_misses", "IOTLB misses"),
                                                             ("dma_blocked", "blocked"), ("dma_unsafe", "landed in another VM")],
                                  caption: "The isolation demonstration")],
                links: links(["iommu-on", "iommu-off"])))
        }

        c.takeaways = [
            "Emulation runs unmodified drivers at the price of an exit per register access.",
            "Split drivers change the guest's driver, batch requests in shared rings and cut exits by an order of magnitude.",
            "Passthrough removes the hypervisor from the data path but gives the device to one VM; the IOMMU is what keeps its DMAs honest.",
        ]
        return c
    }

    /// Latency against offered load, from the shipped I/O load sweep.
    func loadSection() -> Section? {
        guard let sweep = sweeps.first(where: { $0.name == "io-load" }), !sweep.points.isEmpty else { return nil }
        func rate(_ p: Sweep.Point) -> Double { Double(p.parameters["io.workload.rate"] ?? "") ?? 0 }
        func curve(_ approach: String) -> [Sweep.Point] {
            sweep.points.filter { $0.parameters["io.approach"] == approach }.sorted { rate($0) < rate($1) }
        }
        let curves = Dictionary(uniqueKeysWithValues: Self.ioApproaches.map { ($0, curve($0)) })
        guard Self.ioApproaches.allSatisfy({ !(curves[$0] ?? []).isEmpty }) else { return nil }
        func light(_ a: String) -> Double { curves[a]![0].metrics["latency_p99_ns"] ?? 0 }
        /// The highest offered rate at which the p99 is still within ten times its light-load value.
        func holds(_ a: String) -> Double {
            curves[a]!.last { ($0.metrics["latency_p99_ns"] ?? .infinity) <= 10 * light(a) }.map(rate) ?? rate(curves[a]![0])
        }
        let lightRate = rate(curves["native"]![0])
        let emuPeak = curves["emulation"]!.compactMap { $0.metrics["throughput_rps"] }.max() ?? 0
        let emuPeakMbps = curves["emulation"]!.compactMap { $0.metrics["throughput_mbps"] }.max() ?? 0
        let linePeak = curves["native"]!.compactMap { $0.metrics["throughput_rps"] }.max() ?? 0
        let linePeakMbps = curves["native"]!.compactMap { $0.metrics["throughput_mbps"] }.max() ?? 0
        let fast = ["paravirtual", "passthrough"].map(holds).min() ?? 0
        let notice = "At \(Self.num(lightRate)) packets/s the 99th percentile is \(Format.duration(light("native"))) on bare metal, "
            + "\(Format.duration(light("paravirtual"))) through the split driver, \(Format.duration(light("passthrough"))) with the NIC assigned and "
            + "\(Format.duration(light("emulation"))) under emulation. Emulation's stays within ten times that only up to \(Self.num(holds("emulation"))) "
            + "packets/s: its vCPU, emulating register accesses for every packet, can move at most \(Self.num(emuPeak.rounded())) packets/s "
            + "(\(Self.num(emuPeakMbps)) Mbit/s), and past that the queue grows for as long as packets keep coming. The split driver and passthrough "
            + "hold up to \(Self.num(fast)) packets/s, close to what the wire carries (\(Self.num(linePeak.rounded())) packets/s at most, \(Self.num(linePeakMbps)) Mbit/s)."
        return Section(
            id: "load", heading: "Latency as the load grows",
            paragraphs: ["Packets now arrive at random (a Poisson stream) at a given rate rather than a fixed number in flight. Each waits "
                         + "in line wherever it needs a server — the vCPU, the host's backend, the NIC — so latency stays near its floor "
                         + "until the busiest of them nears full use, then climbs without bound: the hockey stick of every queue. Which "
                         + "server saturates first is what the approach decides."],
            figures: [sweep.figure.noticing(notice)],
            links: LinkList([(sweep.page, "the whole sweep: \(sweep.description)")]))
    }
}
