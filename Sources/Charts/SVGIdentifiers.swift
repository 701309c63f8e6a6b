import Foundation

/// Cairo numbers SVG ids (`surface12`, `glyph3-1`, `clip4`) from process-wide counters, so the same
/// figure drawn second in a process gets other ids. Renaming every id by order of first
/// appearance makes the file depend only on the drawing.
enum SVGIdentifiers {
    static func canonicalize(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let text = try String(contentsOf: url, encoding: .utf8)
        try canonicalize(text).write(to: url, atomically: false, encoding: .utf8)
    }

    static func canonicalize(_ text: String) -> String {
        var names: [String: String] = [:]
        var order = 0
        // Collect ids in document order.
        var rest = Substring(text)
        while let r = rest.range(of: "id=\"") {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            let id = String(after[..<end])
            if names[id] == nil {
                let prefix = id.prefix { $0.isLetter }
                names[id] = "\(prefix.isEmpty ? "id" : String(prefix))\(order)"
                order += 1
            }
            rest = after[end...]
        }
        guard !names.isEmpty else { return text }
        // Rewrite definitions and references: id="X", href="#X", url(#X).
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var i = text.startIndex
        let patterns = ["id=\"", "href=\"#", "url(#"]
        while i < text.endIndex {
            var matched = false
            for p in patterns where text[i...].hasPrefix(p) {
                let start = text.index(i, offsetBy: p.count)
                let terminator: Character = p == "url(#" ? ")" : "\""
                if let end = text[start...].firstIndex(of: terminator), let name = names[String(text[start..<end])] {
                    out += p + name
                    i = end
                    matched = true
                    break
                }
            }
            if !matched {
                out.append(text[i])
                i = text.index(after: i)
            }
        }
        return out
    }
}
