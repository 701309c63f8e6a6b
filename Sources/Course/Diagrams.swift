import Charts
import Simulation

/// The figures that come from a configuration rather than a run: the two-dimensional page walk
/// and an instruction-set profile's Popek–Goldberg diagram (for `render` and the course).
package enum Diagrams {
    /// The two-dimensional walk for a memory configuration's guest and nested levels and page
    /// sizes, carried out on real tables by the simulator's code; also the reference count.
    package static func walk2D(_ c: MemoryConfig) -> (chart: WalkGridChart, references: Int) {
        let n = c.levels, m = c.nestedLevels
        let steps = TwoDimensionalWalk.references(guestLevels: n, nestedLevels: m, guestLargePages: c.largePages, nestedLargePages: c.nestedLargePages)
        let guestLeaf = c.largePages ? 2 : 1, nestedLeaf = c.nestedLargePages ? 2 : 1
        let guestRows = n - guestLeaf + 1, nestedCols = m - nestedLeaf + 1
        let chart = WalkGridChart(
            title: "The two-dimensional page walk, reference by reference",
            rowLabels: (0..<guestRows).map { "guest L\(n - $0) table" } + [c.largePages ? "2 MiB data page" : "data page"],
            columnLabels: (0..<nestedCols).map { "nested L\(m - $0)" } + ["guest entry"],
            steps: steps.map { ($0.row, $0.column) }, firstKindColumns: nestedCols,
            legend: ("Nested (EPT/NPT) table: translating the row's guest-physical address" + (c.nestedLargePages ? " (2 MiB pages)" : ""),
                     "Guest page table: the entry that leads to the next row"),
            summary: "(\(guestRows)+1)(\(nestedCols)+1) − 1 = \(steps.count) memory references for one TLB miss; a native walk makes \(guestRows)")
        return (chart, steps.count)
    }

    /// Popek and Goldberg's picture of a profile: privileged and sensitive sets, the safe ones
    /// outside, sensitive ∖ privileged highlighted when theorem 1 fails.
    package static func venn(_ isa: InstructionSet) -> VennChart {
        let r = VirtualizabilityReport(isa)
        let fails = !r.theorem1.holds
        if r.vmx {
            // VMX non-root operation: the sensitive instructions against what VT-x catches
            // (an exit, or running on the guest's own state — the verdict line says so) — not against "privileged", which still
            // means "traps in user mode".
            let neither = isa.instructions.filter { !$0.sensitive && !$0.handledByVMX }.map(\.mnemonic).sorted()
            return VennChart(title: "Sensitive instructions and VMX non-root operation — \(isa.name)", sets: ["caught by VT-x", "sensitive"],
                             regions: [[0]: r.region("handled_by_vmx_not_sensitive"), [1]: r.region("sensitive_unhandled_by_vmx"),
                                       [0, 1]: r.region("sensitive_handled_by_vmx")],
                             outside: neither, outsideLabel: "safe",
                             highlight: fails ? [1] : nil,
                             verdict: fails ? "Theorem 1 (VMX) fails: \(r.theorem1.counterexamples.count) sensitive instructions neither exit nor run on guest state"
                                            : "Theorem 1 (VMX) holds: every sensitive instruction exits or runs on the guest's own state")
        }
        return VennChart(title: "Privileged and sensitive instructions — \(isa.name)", sets: ["privileged", "sensitive"],
                         regions: [[0]: r.region("privileged_not_sensitive"), [1]: r.region("sensitive_not_privileged"),
                                   [0, 1]: r.region("privileged_and_sensitive")],
                         outside: r.region("safe"), outsideLabel: "safe",
                         highlight: fails ? [1] : nil,
                         verdict: fails ? "Theorem 1 fails: \(r.theorem1.counterexamples.count) sensitive instructions do not trap"
                                        : "Theorem 1 holds: every sensitive instruction traps")
    }
}
