import Testing
import TestKit
@testable import TraceFormat

struct VarintTests {
    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, 1 << 35, UInt64(Int64.max), UInt64.max])
    func roundTrips(_ value: UInt64) {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBufferPointer { Varint.write(value, to: $0.baseAddress!) }
        expectEqual(n, Varint.size(value))
        let decoded = buffer.withUnsafeBufferPointer { Varint.read($0.baseAddress!, end: $0.baseAddress! + n) }
        expectEqual(decoded?.0, value)
        expectEqual(decoded?.1, n)
    }

    @Test func sizesFollowSevenBitGroups() {
        expectEqual(Varint.size(127), 1)
        expectEqual(Varint.size(128), 2)
        expectEqual(Varint.size(UInt64.max), 10)
    }

    @Test(arguments: [Int64(0), -1, 1, -64, 63, Int64.min, Int64.max])
    func zigzagRoundTrips(_ v: Int64) {
        expectEqual(Varint.unzigzag(Varint.zigzag(v)), v)
    }

    @Test func zigzagKeepsSmallMagnitudesSmall() {
        expectEqual(Varint.zigzag(-1), 1)
        expectEqual(Varint.zigzag(1), 2)
        expectEqual(Varint.zigzag(-64), 127)
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

/// The branch-free short codec must agree byte for byte with the byte loop: same encoding
/// written, same value and length read, same refusals.
struct ShortVarintTests {
    /// Every length boundary up to 10 bytes, and the values either side of each.
    static let values: [UInt64] = (0...64).flatMap { bits -> [UInt64] in
        let v = bits == 64 ? UInt64.max : (UInt64(1) << UInt64(bits))
        return [v &- 1, v, v &+ 1]
    }

    @Test func writesTheSameBytesAsTheByteLoop() {
        for value in Self.values {
            var slow = [UInt8](repeating: 0xAA, count: 16)
            var fast = [UInt8](repeating: 0xAA, count: 16)
            let n = slow.withUnsafeMutableBufferPointer { Varint.write(value, to: $0.baseAddress!) }
            let m = fast.withUnsafeMutableBufferPointer { ShortVarint.write(value, to: $0.baseAddress!) }
            expectEqual(m, n, "length of \(value)")
            expectEqual(Array(fast[0..<m]), Array(slow[0..<n]), "bytes of \(value)")
        }
    }

    @Test func readsWhatTheByteLoopReads() {
        for value in Self.values {
            // With room after the varint (the word path) and with the varint at the very end (the byte loop).
            for slack in [0, 1, 3, 8] {
                var bytes = [UInt8](repeating: 0, count: 10 + slack)
                let n = bytes.withUnsafeMutableBufferPointer { Varint.write(value, to: $0.baseAddress!) }
                bytes = Array(bytes[0..<(n + slack)])
                let r = bytes.withUnsafeBufferPointer { ShortVarint.read($0.baseAddress!, end: $0.baseAddress! + $0.count) }
                expectEqual(r?.0, value, "\(value) with \(slack) bytes after it")
                expectEqual(r?.1, n, "\(value) with \(slack) bytes after it")
            }
        }
    }

    @Test func refusesWhatTheByteLoopRefuses() {
        let cases: [[UInt8]] = [[0x80, 0x80], [0x80, 0x80, 0x80], [0xFF, 0xFF, 0xFF, 0xFF],
                                [UInt8](repeating: 0xFF, count: 9) + [0x02], [UInt8](repeating: 0xFF, count: 19) + [0x01]]
        for bytes in cases {
            let r = bytes.withUnsafeBufferPointer { ShortVarint.read($0.baseAddress!, end: $0.baseAddress! + $0.count) }
            #expect(r == nil, "\(bytes)")
        }
        // A varint cut by `end` is refused even when the bytes after `end` would complete it.
        let cut: [UInt8] = [0x80, 0x80, 0x01, 0x00]
        let r = cut.withUnsafeBufferPointer { ShortVarint.read($0.baseAddress!, end: $0.baseAddress! + 2) }
        #expect(r == nil)
    }
}
