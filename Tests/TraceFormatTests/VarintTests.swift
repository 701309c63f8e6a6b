import Testing
@testable import TraceFormat

@Suite struct VarintTests {
    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, 1 << 35, UInt64(Int64.max), UInt64.max])
    func roundTrips(_ value: UInt64) {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBufferPointer { Varint.write(value, to: $0.baseAddress!) }
        #expect(n == Varint.size(value))
        let decoded = buffer.withUnsafeBufferPointer { Varint.read($0.baseAddress!, end: $0.baseAddress! + n) }
        #expect(decoded?.0 == value)
        #expect(decoded?.1 == n)
    }

    @Test func sizesFollowSevenBitGroups() {
        #expect(Varint.size(127) == 1)
        #expect(Varint.size(128) == 2)
        #expect(Varint.size(UInt64.max) == 10)
    }

    @Test(arguments: [Int64(0), -1, 1, -64, 63, Int64.min, Int64.max])
    func zigzagRoundTrips(_ v: Int64) {
        #expect(Varint.unzigzag(Varint.zigzag(v)) == v)
    }

    @Test func zigzagKeepsSmallMagnitudesSmall() {
        #expect(Varint.zigzag(-1) == 1)
        #expect(Varint.zigzag(1) == 2)
        #expect(Varint.zigzag(-64) == 127)
    }

    @Test func rejectsTwentyByteVarint() {
        let bytes = [UInt8](repeating: 0xFF, count: 19) + [0x01]
        let r = bytes.withUnsafeBufferPointer { Varint.read($0.baseAddress!, end: $0.baseAddress! + $0.count) }
        #expect(r == nil)
    }

    @Test func rejectsOverflowInTenthByte() {
        let bytes = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        let r = bytes.withUnsafeBufferPointer { Varint.read($0.baseAddress!, end: $0.baseAddress! + $0.count) }
        #expect(r == nil)
    }

    @Test func rejectsVarintRunningPastTheEnd() {
        let bytes: [UInt8] = [0x80, 0x80]
        let r = bytes.withUnsafeBufferPointer { Varint.read($0.baseAddress!, end: $0.baseAddress! + $0.count) }
        #expect(r == nil)
    }
}

@Suite struct CRC32CTests {
    @Test func matchesTheStandardCheckValue() {
        // The CRC-32C check value of "123456789" (RFC 3720, appendix B.4).
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.software($0.baseAddress!, count: 9) } == 0xE306_9283)
    }

    @Test(arguments: [0, 1, 7, 8, 9, 63, 64, 1_000, 65_537])
    func instructionAgreesWithTables(_ length: Int) {
        var rng = SeededGenerator(seed: UInt64(length))
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let software = bytes.withUnsafeBytes { CRC32C.software($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: length) }
        #expect(CRC32C.checksum(bytes) == software)
    }
}
