import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import CZlib
import Testing
import TestKit
@testable import Charts

struct PNGEncoderTests {
    @Test func pngPixelsAtTheBarsHaveTheSeriesColour() throws {
        let p = ChartSamples.path("png")
        defer { unlink(p) }
        try FigureRenderer.render(ChartSamples.bars, format: .png, theme: .named(.paper), path: p, width: 400, height: 300)
        let (w, h) = try #require(PNGProbe.size(p))
        // Scan a row near the bottom of the plot: some pixel in the first bar's half is the palette's first colour.
        let row = h - 70
        var found = false
        for x in 0..<(w / 2) {
            if let c = PNGProbe.pixel(p, x: x, y: row), c == RGB(hex: 0x0072B2) { found = true; break }
        }
        #expect(found)
    }

    /// The chunks of a PNG: type and data, each CRC checked.
    static func chunks(_ png: [UInt8]) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var i = 8
        func be32(_ at: Int) -> Int { Int(png[at]) << 24 | Int(png[at + 1]) << 16 | Int(png[at + 2]) << 8 | Int(png[at + 3]) }
        while i + 12 <= png.count {
            let n = be32(i)
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = Array(png[(i + 8)..<(i + 8 + n)])
            let crc = png[(i + 4)..<(i + 8 + n)].withContiguousStorageIfAvailable { crc32(0, $0.baseAddress, uInt($0.count)) } ?? 0
            expectEqual(UInt32(crc), UInt32(be32(i + 8 + n)), "\(type) CRC")
            out.append((type, body))
            i += 12 + n
        }
        return out
    }

    /// Pixels in Cairo's order (premultiplied BGRA) come out as straight RGBA: opaque ones as
    /// they are, half-transparent ones divided by their alpha, transparent ones zero; the rows
    /// inflate back to exactly what was encoded (Sub filter undone), and the dpi and text chunks
    /// are where a reader looks for them.
    @Test func pixelsAreUnpremultipliedAndTheChunksAreWellFormed() throws {
        // 3 × 2 pixels, stride 16 (a padded row): opaque red, half-transparent white, transparent; then greys.
        var bgra: [UInt8] = [0, 0, 255, 255,  128, 128, 128, 128,  0, 0, 0, 0,  9, 9, 9, 9,
                             10, 20, 30, 255,  40, 40, 40, 255,  1, 2, 3, 255,  7, 7, 7, 7]
        let png = try bgra.withUnsafeMutableBufferPointer { p in
            try PNGEncoder.encode(width: 3, height: 2, stride: 16, pixels: UnsafePointer(p.baseAddress!), text: [("Source", "virtlab ✓")], dpi: 300)
        }
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        expectEqual(Array(png.prefix(8)), signature)
        let chunks = Self.chunks(png)
        expectEqual(chunks.map(\.0), ["IHDR", "pHYs", "iTXt", "IDAT", "IEND"])
        let ihdr: [UInt8] = [0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]
        let phys: [UInt8] = [0, 0, 0x2E, 0x23, 0, 0, 0x2E, 0x23, 1]
        var itxt: [UInt8] = Array("Source".utf8)
        itxt += [0, 0, 0, 0, 0]
        itxt += Array("virtlab ✓".utf8)
        expectEqual(chunks[0].1, ihdr)
        expectEqual(chunks[1].1, phys, "300 dpi is 11,811 pixels per metre")
        expectEqual(chunks[2].1, itxt)
        var raw = [UInt8](repeating: 0, count: 2 * (1 + 3 * 4))
        var size = uLong(raw.count)
        let status = chunks[3].1.withUnsafeBufferPointer { src in uncompress(&raw, &size, src.baseAddress, uLong(src.count)) }
        expectEqual(status, Z_OK)
        expectEqual(size, uLong(raw.count))
        var rows: [[UInt8]] = []
        for y in 0..<2 {
            let line = Array(raw[(y * 13)..<(y * 13 + 13)])
            expectEqual(line[0], 1, "Sub filter")
            var px = [UInt8](repeating: 0, count: 12)
            for i in 0..<12 { px[i] = line[1 + i] &+ (i >= 4 ? px[i - 4] : 0) }
            rows.append(px)
        }
        let top: [UInt8] = [255, 0, 0, 255,  255, 255, 255, 128,  0, 0, 0, 0]
        let bottom: [UInt8] = [30, 20, 10, 255,  40, 40, 40, 255,  3, 2, 1, 255]
        expectEqual(rows[0], top)
        expectEqual(rows[1], bottom)
        bgra[0] = 0  // (silences "never mutated"; the encoder reads through a pointer)
    }
}
