import Foundation
import Testing
import TestKit
@testable import TraceFormat

/// A sink that accepts `room` bytes and then fails like a full disk.
final class FullDiskSink: TraceSink {
    let path = "full-disk"
    var room: Int
    private(set) var written = 0
    private(set) var finished = false
    init(room: Int) { self.room = room }
    func writeAll(_ p: UnsafeRawPointer, count: Int) throws {
        guard written + count <= room else { throw TraceError.io(path: path, operation: "write it", errno: 28) }
        written += count
    }
    func finish() throws { finished = true }
}

struct TraceWriterTests {
    /// The simulators append with `try?` in their hot loops: after a failed write the writer must
    /// keep its buffer bounded, drop what follows, and fail the close — never report success.
    @Test func aFailedWriteIsStickyAndTheCloseFails() throws {
        let header = try TraceSamples.header()
        let events = TraceSamples.events(count: 200_000, seed: 5, header: header)
        let sink = FullDiskSink(room: 20_000)
        let w = try TraceWriter(sink: sink, header: header, blockSize: 4_096)
        var failures = 0
        for e in events { do { try w.append(e) } catch { failures += 1 } }
        expectGreater(failures, 0)
        #expect(w.failure != nil)
        expectAtMost(sink.written, 20_000)
        #expect(throws: TraceError.self) { try w.close(summary: []) }
        #expect(!sink.finished, "a failed trace was finished (renamed into place)")
    }

    @Test func blocksCarryTheirSequenceAndTheTraceIdentity() throws {
        let header = try TraceSamples.header()
        let path = try TraceSamples.write(TraceSamples.events(count: 5_000, seed: 2, header: header), header: header, blockSize: 512)
        let reader = try TraceReader(path: path)
        expectEqual(reader.layout.version, 2)
        let bytes = try #require(readAll(path))
        for (i, b) in reader.footer!.blocks.enumerated() {
            let at = Int(b.offset)
            let seq = UInt32(bytes[at + 32]) | UInt32(bytes[at + 33]) << 8 | UInt32(bytes[at + 34]) << 16 | UInt32(bytes[at + 35]) << 24
            let id = UInt32(bytes[at + 36]) | UInt32(bytes[at + 37]) << 8 | UInt32(bytes[at + 38]) << 16 | UInt32(bytes[at + 39]) << 24
            expectEqual(seq, UInt32(i))
            expectEqual(id, reader.traceID)
        }
        expectGreater(reader.footer!.blocks.count, 10)
    }
}

func readAll(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n <= 0 { break }
        out += chunk[0..<n]
    }
    return out
}
