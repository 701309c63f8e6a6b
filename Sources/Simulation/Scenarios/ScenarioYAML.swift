import Vocabulary
import TraceFormat
/// Writes a scenario as commented YAML that `ScenarioDecoder` reads back to the same values.
package enum ScenarioYAML {
    /// The YAML text of a scenario, every key present, each with its help and range as a comment.
    package static func render(name: String, description: String, topic: Topic, seed: UInt64, values: [String: ScenarioValue]) -> String {
        var out = "# VirtLab scenario — edit and run with `virtlab run FILE.yaml`\n"
        out += "name: \(quoted(name))\n"
        out += "description: \(quoted(description))\n"
        out += "topic: \(topic.rawValue)\n"
        out += "seed: \(seed)\n"
        var openSections: [String] = []
        for key in topic.keys {
            let parts = key.path.split(separator: ".").map(String.init)
            let sections = Array(parts.dropLast())
            var common = 0
            while common < min(sections.count, openSections.count), sections[common] == openSections[common] { common += 1 }
            for (depth, section) in sections.enumerated().dropFirst(common) {
                out += String(repeating: "  ", count: depth) + section + ":\n"
            }
            openSections = sections
            let value = values[key.path] ?? key.defaultValue ?? .text("")
            let text: String
            switch value {
            case let .text(s): text = quoted(s)
            case let .integer(v): text = String(v)
            case let .real(v): text = v.description
            }
            out += String(repeating: "  ", count: sections.count) + parts.last! + ": " + text
            out += "  # \(key.help); \(key.allowed)\n"
        }
        return out
    }

    /// Plain when YAML reads it back as the same string, otherwise double-quoted with escapes.
    static func quoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        } && Double(s) == nil && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(s.lowercased())
        if plain { return s }
        return doubleQuoted(s)
    }

    /// A double-quoted string with JSON escapes — valid both as JSON and as YAML, so the
    /// command line's JSON output uses it too.
    package static func doubleQuoted(_ s: String) -> String { JSONText.quoted(s) }
}
