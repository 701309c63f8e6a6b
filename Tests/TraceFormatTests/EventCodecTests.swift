import Testing
import TestKit
@testable import TraceFormat

/// The codec repeats a few layout numbers as literals for code inlined into other modules.
struct CodecConstantTests {
    @Test func inlinedConstantsAgreeWithTheLayout() {
        expectEqual(EventCodec.maxFields, TraceLimits.maxFields)
        expectEqual(FileLayout(version: TraceLayout.formatVersion).blockHeaderBytes, TraceLayout.blockHeaderBytes)
        expectEqual(FileLayout(version: TraceLayout.formatVersion).trailerBytes, TraceLayout.trailerBytes)
    }
}
