import Testing
import TestKit
@testable import TraceFormat

struct CRC32CTests {
    @Test func matchesTheStandardCheckValue() {
        // The CRC-32C check value of "123456789" (RFC 3720, appendix B.4).
        expectEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        expectEqual(Array("123456789".utf8).withUnsafeBytes { CRC32C.software($0.baseAddress!, count: 9) }, 0xE306_9283)
    }

    // Lengths around the three-stream sizes of the instruction path (3 × 128, 3 × 1024, 3 × 8192)
    // and a block's worth, so each joining factor is checked.
    @Test(arguments: [0, 1, 7, 8, 9, 63, 64, 383, 384, 391, 1_000, 3_071, 3_072, 3_459, 24_575, 24_576, 28_039, 65_537])
    func instructionAgreesWithTables(_ length: Int) {
        var rng = SeededGenerator(seed: UInt64(length))
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let software = bytes.withUnsafeBytes { CRC32C.software($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: length) }
        expectEqual(CRC32C.checksum(bytes), software)
    }
}
