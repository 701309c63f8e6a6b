import Testing
@testable import TraceFormat

/// The codec repeats a few layout numbers as literals for code inlined into other modules.
@Suite struct CodecConstantTests {
    @Test func inlinedConstantsAgreeWithTheLayout() {
        #expect(EventCodec.maxFields == TraceLimits.maxFields)
        #expect(FileLayout(version: TraceLayout.formatVersion).blockHeaderBytes == TraceLayout.blockHeaderBytes)
        #expect(FileLayout(version: TraceLayout.formatVersion).trailerBytes == TraceLayout.trailerBytes)
    }
}
