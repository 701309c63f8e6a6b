import Testing
import TestKit
@testable import Vocabulary

struct PresetNameTests {
    /// A preset's name is typed on command lines and used as a file name: unique, lower-case
    /// words joined by hyphens, no shell metacharacters. (That each name is a preset, and each
    /// preset a name, is PresetsTests' check in Simulation.)
    @Test func namesAreUniqueCommandLineWords() {
        let names = PresetName.allCases.map(\.rawValue)
        expectEqual(Set(names).count, names.count)
        for n in names { #expect(n.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil, "\(n)") }
    }
}
