import Testing
@testable import Vocabulary

@Suite struct TraceEnumerationTests {
    enum Sample: TraceEnumeration { case all, addressSpace, cr3Write, dropTable }

    @Test func namesAreTheCasesInSnakeCaseInOrder() {
        #expect(Sample.names == ["all", "address_space", "cr3_write", "drop_table"])
        #expect(Sample.addressSpace.traceName == "address_space")
    }
}
