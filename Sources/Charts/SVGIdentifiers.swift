/// Cairo numbers SVG ids (`surface12`, `glyph3-1`, `clip4`) from process-wide counters, so the same
/// figure drawn second in a process gets other ids. Renaming every id by order of first
/// appearance makes the file depend only on the drawing.
enum SVGIdentifiers {
    static func canonicalize(_ text: String) -> String {
        String(decoding: canonicalize(Array(text.utf8)), as: UTF8.self)
    }

    private static let idPattern = Array("id=\"".utf8)
    private static let patterns: [([UInt8], UInt8)] = [(Array("id=\"".utf8), UInt8(ascii: "\"")),
                                                       (Array("href=\"#".utf8), UInt8(ascii: "\"")),
                                                       (Array("url(#".utf8), UInt8(ascii: ")"))]

    /// The same on bytes (ASCII patterns in UTF-8 text): one pass to number the ids, one to rewrite.
    static func canonicalize(_ text: [UInt8]) -> [UInt8] {
        func matches(_ p: [UInt8], at i: Int) -> Bool {
            guard i + p.count <= text.count else { return false }
            for k in 0..<p.count where text[i + k] != p[k] { return false }
            return true
        }
        func end(from start: Int, _ terminator: UInt8) -> Int? {
            var j = start
            while j < text.count { if text[j] == terminator { return j }; j += 1 }
            return nil
        }
        var names: [ArraySlice<UInt8>: [UInt8]] = [:]
        var order = 0
        var i = 0
        let quote = UInt8(ascii: "\"")
        while i < text.count {
            if text[i] == UInt8(ascii: "i"), matches(idPattern, at: i), let e = end(from: i + idPattern.count, quote) {
                let id = text[(i + idPattern.count)..<e]
                if names[id] == nil {
                    let prefix = id.prefix { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) }
                    names[id] = Array(prefix.isEmpty ? Array("id".utf8) : Array(prefix)) + Array(String(order).utf8)
                    order += 1
                }
                i = e
            }
            i += 1
        }
        guard !names.isEmpty else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "i") || c == UInt8(ascii: "h") || c == UInt8(ascii: "u") {
                var matched = false
                for (p, terminator) in patterns where matches(p, at: i) {
                    let start = i + p.count
                    if let e = end(from: start, terminator), let name = names[text[start..<e]] {
                        out += p
                        out += name
                        i = e
                        matched = true
                        break
                    }
                }
                if matched { continue }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
