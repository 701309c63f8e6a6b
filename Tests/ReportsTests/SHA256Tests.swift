import Foundation
import SafeOutput
import Testing
import TestKit
@testable import Reports
import Vocabulary

struct SHA256Tests {
    @Test func sha256MatchesTheStandardVectors() {
        // FIPS 180-4 examples and the one-million-'a' message.
        expectEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        expectEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        expectEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        expectEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256StreamsInAnyPieces() {
        let data = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var s = SHA256()
        for piece in stride(from: 0, to: data.count, by: 37) { s.update(data[piece..<min(piece + 37, data.count)]) }
        expectEqual(SHA256.hexString(s.finish()), SHA256.hex(data))
    }

    @Test func sha256OfAFileEqualsTheDigestOfItsBytes() throws {
        let path = NSTemporaryDirectory() + "virtlab-sha-\(UUID().uuidString)"
        defer { unlink(path) }
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        expectEqual(SHA256.hex(file: path), SHA256.hex(bytes))
        expectEqual(SHA256.hex(file: "/nonexistent/file"), nil)
    }
}
