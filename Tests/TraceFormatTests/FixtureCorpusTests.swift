import Foundation
import Testing
import TestKit
@testable import TraceFormat

/// Replays every damaged file kept under Fixtures/ (and every input that ever broke the reader):
/// both modes must finish without crashing; `bad-*` files must fail in strict mode with an offset.
struct FixtureCorpusTests {
    static var fixtures: [URL] {
        let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".vlt") }.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test func corpusIsPresent() {
        expectAtLeast(Self.fixtures.count, 10)
    }

    @Test(arguments: fixtures)
    func replays(_ url: URL) throws {
        let name = url.lastPathComponent
        var strictError: TraceError?
        do {
            let r = try TraceReader(path: url.path)
            try r.scan { _ in }
        } catch let e as TraceError {
            strictError = e
        }
        if name.hasPrefix("bad-") {
            #expect(strictError != nil, "\(name) should fail in strict mode")
        } else {
            expectEqual(strictError, nil, "\(name): \(String(describing: strictError))")
        }
        if let r = try? TraceReader(path: url.path, mode: .salvage) {
            _ = try r.scan { _ in }
        }
    }

    /// The v2 corpus the generator makes today is the one in the repository, byte for byte: a
    /// change to the writer that alters bytes fails here (the old files would no longer test what
    /// the writer makes). `make fixtures` regenerates it on purpose, into Fixtures/.
    @Test func corpusIsWhatTheGeneratorMakes() throws {
        let target = ProcessInfo.processInfo.environment["VIRTLAB_WRITE_FIXTURES"]
        let dir = target ?? FileManager.default.temporaryDirectory.path + "/virtlab-fixtures-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if target == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let made = try Self.writeCorpus(to: dir)
        expectAtLeast(made.count, 15)
        guard target == nil else { return }
        let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
        for name in made {
            let now = FileManager.default.contents(atPath: "\(dir)/\(name).vlt")
            let kept = FileManager.default.contents(atPath: "\(fixtures)/\(name).vlt")
            #expect(kept != nil, "\(name).vlt differs from what the generator makes now: run `make fixtures` if the change is meant")
            expectEqual(now, kept, "\(name).vlt differs from what the generator makes now: run `make fixtures` if the change is meant")
        }
    }

    /// Writes the generated corpus into `dir`; returns the names written.
    static func writeCorpus(to dir: String) throws -> [String] {
        var names: [String] = []
        let s = try TraceDamageTests.sample()
        defer { unlink(s.path) }
        func save(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(name).vlt"))
            names.append(name)
        }
        let b = s.bytes
        let block1 = Int(s.blocks[1].offset), block2 = Int(s.blocks[2].offset), block3 = Int(s.blocks[3].offset)
        // Files derived from a sample are written in the current format version (v2); the v1
        // files kept beside them (`*-v1.vlt`) stay as they were, for compatibility.
        try save("good-sample-v2", b)
        try save("bad-unclosed-v2", Array(b.prefix(Int(s.blocks.last!.offset))))
        try save("bad-empty", [])
        try save("bad-magic-only", TraceLayout.magic)
        try save("bad-truncated-header-v2", Array(b.prefix(40)))
        try save("bad-truncated-block-v2", Array(b.prefix(block1 + 20)))
        var flip = b; flip[block1 + 50] ^= 0x04
        try save("bad-payload-bitflip-v2", flip)
        var hdr = b; hdr[block1 + 9] ^= 0x01
        try save("bad-block-header-bitflip-v2", hdr)
        var trailer = b; trailer[b.count - 10] ^= 0x80
        try save("bad-trailer-crc-v2", trailer)
        try save("bad-swapped-blocks-v2", Array(b[..<block1] + b[block2..<block3] + b[block1..<block2] + b[block3...]))
        try save("bad-dropped-block-v2", Array(b[..<block1] + b[block2...]))
        try save("bad-repeated-block-v2", Array(b[..<block2] + b[block1..<block2] + b[block2...]))
        try save("bad-million-kinds", TraceDamageTests.file(headerBody: TraceDamageTests.prelude + TraceDamageTests.varint(1_000_000)))
        try save("bad-20-byte-varint", TraceDamageTests.file(headerBody: [1, 0x74, 2, 0x6E, 0x73] + [UInt8](repeating: 0xFF, count: 19) + [1]))
        var garbage = b; for i in block1..<(block1 + 100) { garbage[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try save("bad-garbage-block-v2", garbage)
        var version = b; version[8] = 9
        try save("bad-future-version-v2", version)
        return names
    }
}
