import Testing
import TestKit
@testable import Simulation
import Vocabulary

/// Migration's rules across keys, each naming the key to change.
struct MigrationConfigTests {
    @Test func rulesAcrossKeysNameTheKeyToChange() throws {
        let zero = try CrossCheck.of(.precopyModerate, ["migration.vm.zero_fraction": .real(0.6), "migration.vm.text_fraction": .real(0.5)])
        expectEqual(zero?.key, "migration.vm.text_fraction")
        #expect(try CrossCheck.of(.precopyModerate, ["migration.vm.zero_fraction": .real(0.5), "migration.vm.text_fraction": .real(0.5)]) == nil, "exactly 1 is allowed")
        // 64 MiB is 16,384 pages: a hot set of 16,384 fits, one more does not.
        #expect(try CrossCheck.of(.precopyModerate, ["migration.vm.memory_mib": .integer(64), "migration.workload.hot_pages": .integer(16_384)]) == nil)
        try expectEqual(CrossCheck.of(.precopyModerate, ["migration.vm.memory_mib": .integer(64), "migration.workload.hot_pages": .integer(16_385)])?.message, "is larger than the VM's 16384 pages")
        try expectEqual(CrossCheck.of(.precopyModerate, ["migration.precopy.throttle_initial": .real(0.9), "migration.precopy.throttle_max": .real(0.5)])?.key, "migration.precopy.throttle_initial")
    }
}
