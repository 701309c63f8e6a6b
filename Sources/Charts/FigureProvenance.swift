import TraceFormat

/// Where a figure came from, written into the figure file itself — PNG `iTXt` chunks
/// (keywords `virtlab:KEY`), SVG `<metadata>`, PDF document keywords — and read back by
/// `virtlab provenance FILE`. Keys in VirtLab's use: `generator` (VirtLab and its version),
/// `scenario`, `topic`, `seed`, `trace`, `trace_sha256`, `profile`, `command` (the command
/// that, run with the same version on the same trace, writes the same bytes).
package struct FigureProvenance: Equatable, Sendable {
    package var entries: [(key: String, value: String)]

    package init(_ entries: [(key: String, value: String)] = []) { self.entries = entries }

    package subscript(key: String) -> String? { entries.first { $0.key == key }?.value }

    package static func == (a: FigureProvenance, b: FigureProvenance) -> Bool {
        a.entries.map(\.key) == b.entries.map(\.key) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    /// The prefix of PNG keywords and of the PDF keywords text.
    static let pngPrefix = "virtlab:"
    static let pdfPrefix = "virtlab-provenance "

    /// PNG keywords are 1–79 Latin-1 characters: keys are [a-z0-9_] (checked by the writer).
    var pngText: [(String, String)] { entries.map { (Self.pngPrefix + $0.key, $0.value) } }

    /// The PDF keywords text: the prefix, then a JSON object of the entries in order.
    package var pdfKeywords: String {
        Self.pdfPrefix + "{" + entries.map { "\(Self.jsonString($0.key)): \(Self.jsonString($0.value))" }.joined(separator: ", ") + "}"
    }

    // MARK: - Reading

    /// The provenance in a PNG, SVG or PDF file's bytes; nil when the file has none (or is none of these).
    package static func read(_ bytes: [UInt8]) -> FigureProvenance? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return readPNG(bytes) }
        if bytes.starts(with: Array("%PDF".utf8)) { return readPDF(bytes) }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("<svg") { return readSVG(text) }
        return nil
    }

    static func readPNG(_ b: [UInt8]) -> FigureProvenance? {
        var entries: [(key: String, value: String)] = []
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            guard length >= 0, i + 12 + length <= b.count else { break }
            if type == "iTXt" {
                let data = Array(b[(i + 8)..<(i + 8 + length)])
                if let nul = data.firstIndex(of: 0), data.count >= nul + 3, data[nul + 1] == 0 {
                    let keyword = String(decoding: data[..<nul], as: UTF8.self)
                    // Skip compression flag and method, then the language tag and translated keyword (NUL-terminated each).
                    var j = nul + 3
                    for _ in 0..<2 { while j < data.count, data[j] != 0 { j += 1 }; j += 1 }
                    if keyword.hasPrefix(pngPrefix), j <= data.count {
                        entries.append((String(keyword.dropFirst(pngPrefix.count)), String(decoding: data[j...], as: UTF8.self)))
                    }
                }
            }
            if type == "IDAT" || type == "IEND" { break }
            i += 12 + length
        }
        return entries.isEmpty ? nil : FigureProvenance(entries)
    }

    static func readSVG(_ text: String) -> FigureProvenance? {
        var entries: [(key: String, value: String)] = []
        var rest = Substring(text)
        let open = "<virtlab:entry key=\"", close = "</virtlab:entry>"
        while let start = rest.firstRange(of: open) {
            rest = rest[start.upperBound...]
            guard let keyEnd = rest.firstIndex(of: "\""), let gt = rest[keyEnd...].firstIndex(of: ">"),
                  let end = rest.firstRange(of: close) else { break }
            entries.append((unescapeXML(String(rest[..<keyEnd])), unescapeXML(String(rest[rest.index(after: gt)..<end.lowerBound]))))
            rest = rest[end.upperBound...]
        }
        return entries.isEmpty ? nil : FigureProvenance(entries)
    }

    static func readPDF(_ b: [UInt8]) -> FigureProvenance? {
        let marker = Array("/Keywords ".utf8)
        guard let at = firstIndex(of: marker, in: b) else { return nil }
        var i = at + marker.count
        var text: String
        if b[i] == UInt8(ascii: "<") {
            // A hex string: UTF-16BE after a FEFF mark (Cairo's form for text beyond ASCII).
            i += 1
            var hex: [UInt8] = []
            while i < b.count, b[i] != UInt8(ascii: ">") { hex.append(b[i]); i += 1 }
            var bytes: [UInt8] = []
            var k = 0
            while k + 1 < hex.count, let v = UInt8(String(decoding: hex[k...k + 1], as: UTF8.self), radix: 16) { bytes.append(v); k += 2 }
            if bytes.starts(with: [0xFE, 0xFF]) {
                var units: [UInt16] = []
                var j = 2
                while j + 1 < bytes.count { units.append(UInt16(bytes[j]) << 8 | UInt16(bytes[j + 1])); j += 2 }
                text = String(decoding: units, as: UTF16.self)
            } else {
                text = String(decoding: bytes, as: UTF8.self)
            }
        } else if b[i] == UInt8(ascii: "(") {
            // A literal string with backslash escapes and balanced parentheses.
            i += 1
            var out: [UInt8] = []
            var depth = 0
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\\"), i + 1 < b.count {
                    let e = b[i + 1]
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "0")...UInt8(ascii: "7"):
                        var v = 0, n = 0
                        while n < 3, i + 1 + n < b.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(b[i + 1 + n]) { v = v * 8 + Int(b[i + 1 + n] - 48); n += 1 }
                        out.append(UInt8(v & 0xFF))
                        i += n + 1
                        continue
                    default: out.append(e)
                    }
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "(") { depth += 1 }
                if c == UInt8(ascii: ")") { if depth == 0 { break }; depth -= 1 }
                out.append(c)
                i += 1
            }
            text = String(decoding: out, as: UTF8.self)
        } else {
            return nil
        }
        guard text.hasPrefix(pdfPrefix) else { return nil }
        return parseJSONObject(String(text.dropFirst(pdfPrefix.count)))
    }

    // MARK: - Helpers

    static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        outer: for i in 0...(hay.count - needle.count) {
            for k in 0..<needle.count where hay[i + k] != needle[k] { continue outer }
            return i
        }
        return nil
    }

    static func jsonString(_ s: String) -> String { JSONText.quoted(s) }

    /// A flat JSON object of strings, as `pdfKeywords` writes it (keys in order).
    static func parseJSONObject(_ s: String) -> FigureProvenance? {
        var scalars = Array(s.unicodeScalars)[...]
        func skipSpace() { while let c = scalars.first, c == " " || c == "\n" || c == "\t" { scalars = scalars.dropFirst() } }
        func string() -> String? {
            guard scalars.first == "\"" else { return nil }
            scalars = scalars.dropFirst()
            var out = String.UnicodeScalarView()
            while let c = scalars.first {
                scalars = scalars.dropFirst()
                if c == "\"" { return String(out) }
                if c == "\\", let e = scalars.first {
                    scalars = scalars.dropFirst()
                    switch e {
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "u":
                        let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
                        scalars = scalars.dropFirst(4)
                        if let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) { out.append(u) }
                    default: out.append(e)
                    }
                } else {
                    out.append(c)
                }
            }
            return nil
        }
        skipSpace()
        guard scalars.first == "{" else { return nil }
        scalars = scalars.dropFirst()
        var entries: [(key: String, value: String)] = []
        while true {
            skipSpace()
            if scalars.first == "}" { break }
            guard let k = string() else { return nil }
            skipSpace()
            guard scalars.first == ":" else { return nil }
            scalars = scalars.dropFirst()
            skipSpace()
            guard let v = string() else { return nil }
            entries.append((k, v))
            skipSpace()
            if scalars.first == "," { scalars = scalars.dropFirst() }
        }
        return entries.isEmpty ? nil : FigureProvenance(entries)
    }

    static func unescapeXML(_ s: String) -> String {
        s.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"").replacing("&amp;", with: "&")
    }
}
