import Charts
import Simulation
import Testing
import TestKit
@testable import Course

struct DiagramsTests {
    /// The walk drawn for any guest and nested depth and page sizes is the simulator's walk:
    /// (n+1)(m+1) − 1 references for n guest and m nested levels read, one row per guest level
    /// plus the data page, one column per nested level plus the guest entry; every step on the grid.
    @Test(arguments: [2, 3, 4, 5])
    func theWalkIsTheFormulaAtEveryDepth(guestLevels: Int) throws {
        var c = MemoryConfig(try Preset.named(.tlbThrashNested).scenario())
        for nestedLevels in 2...5 {
            for (guestLarge, nestedLarge) in [(false, false), (true, false), (false, true), (true, true)] {
                c.levels = guestLevels; c.nestedLevels = nestedLevels
                c.largePages = guestLarge; c.nestedLargePages = nestedLarge
                let (chart, refs) = Diagrams.walk2D(c)
                let n = guestLevels - (guestLarge ? 1 : 0), m = nestedLevels - (nestedLarge ? 1 : 0)
                expectEqual(refs, (n + 1) * (m + 1) - 1, "n \(n) m \(m)")
                expectEqual(chart.steps.count, refs)
                expectEqual(chart.rowLabels.count, n + 1)
                expectEqual(chart.columnLabels.count, m + 1)
                #expect(chart.steps.allSatisfy { $0.row <= n && $0.column <= m })
                #expect(chart.summary.hasPrefix("(\(n)+1)(\(m)+1) − 1 = \(refs) memory references"), "\(chart.summary)")
                expectEqual(chart.rowLabels.last, guestLarge ? "2 MiB data page" : "data page")
            }
        }
    }

    /// Each shipped profile's diagram says what its Popek–Goldberg report says: classic x86
    /// fails theorem 1 with its counterexamples highlighted, the ideal machine holds, VT-x is
    /// drawn against what VMX catches.
    @Test(arguments: ShippedProfiles.names)
    func theVennFollowsTheReport(profile: String) throws {
        let isa = try #require(try ShippedProfiles.profile(profile))
        let r = VirtualizabilityReport(isa)
        let venn = Diagrams.venn(isa)
        expectEqual(venn.highlight != nil, !r.theorem1.holds)
        expectEqual(venn.verdict?.contains(r.theorem1.holds ? "holds" : "\(r.theorem1.counterexamples.count) sensitive instructions"), true, "\(venn.verdict ?? "")")
        expectEqual(venn.sets, r.vmx ? ["caught by VT-x", "sensitive"] : ["privileged", "sensitive"])
        // Every instruction appears once: in one region or outside.
        let drawn = venn.regions.values.flatMap { $0 } + venn.outside
        expectEqual(drawn.count, isa.instructions.count)
        expectEqual(Set(drawn).count, drawn.count)
    }
}
