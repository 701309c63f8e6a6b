import Testing
import TestKit
@testable import Vocabulary

struct TraceEnumerationTests {
    enum Sample: TraceEnumeration { case all, addressSpace, cr3Write, dropTable }

    @Test func namesAreTheCasesInSnakeCaseInOrder() {
        expectEqual(Sample.names, ["all", "address_space", "cr3_write", "drop_table"])
        expectEqual(Sample.addressSpace.traceName, "address_space")
    }
}
