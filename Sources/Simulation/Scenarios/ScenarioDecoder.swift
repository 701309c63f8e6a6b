import Vocabulary
import Yams

/// Reads a scenario from YAML (or JSON) text and checks every key against the topic's key list.
package enum ScenarioDecoder {
    /// Scenario files above this size are refused before parsing.
    package static let maxBytes = 1 << 20
    /// Deepest flow nesting (`[`/`{`) and indentation accepted before parsing; real scenarios use 3 levels.
    package static let maxFlowDepth = 16
    package static let maxIndent = 64

    /// Decodes raw file bytes.
    /// - Parameter source: the file path (or `preset NAME`) for messages.
    /// - Throws: `ScenarioError` naming the key path, line and column, and what is allowed.
    package static func decode(bytes: [UInt8], source: String) throws -> Scenario {
        if let tooLarge = sizeError(bytes.count, source: source) { throw tooLarge }
        guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            throw ScenarioError(source: source, "is not UTF-8 text; a scenario is a YAML or JSON file (see `virtlab scenarios show NAME`)")
        }
        return try decode(text: text, source: source)
    }

    /// The error for a file of `size` bytes, or nil when the size is acceptable.
    package static func sizeError(_ size: Int, source: String) -> ScenarioError? {
        guard size > maxBytes else { return nil }
        return ScenarioError(source: source, "the file is \(size) bytes; scenario files are at most \(maxBytes) bytes (1 MiB) — is this really a scenario?")
    }

    /// The YAML node tree of a scenario or sweep file, with YAML errors as `ScenarioError`s
    /// (line, column) and runaway nesting refused before parsing.
    package static func compose(_ text: String, source: String) throws -> Node? {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ScenarioError(source: source, "is empty; start from `virtlab scenarios show NAME`")
        }
        try checkNesting(text, source: source)
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, source: source, text: text)
        } catch {
            throw ScenarioError(source: source, "is not valid YAML: \(error)")
        }
    }

    /// Decodes scenario text.
    package static func decode(text: String, source: String) throws -> Scenario {
        let root = try compose(text, source: source)
        guard let root, case let .mapping(mapping) = root else {
            throw ScenarioError(source: source, line: root?.mark?.line, column: root?.mark?.column,
                                "must be a mapping of keys (name, topic, seed, and a topic section), not a single value or a list")
        }
        var found: [String: ScenarioValue] = [:]
        var topicSection: (key: String, node: Node)?
        try checkDuplicates(mapping, path: "", source: source)
        for (keyNode, valueNode) in mapping {
            guard case let .scalar(k) = keyNode else {
                throw ScenarioError(source: source, line: keyNode.mark?.line, column: keyNode.mark?.column, "keys must be plain words")
            }
            let key = k.string
            if let spec = Scenario.commonKeys.first(where: { $0.path == key }) {
                guard found[key] == nil else { throw duplicate(key, keyNode, source) }
                found[key] = try scalar(valueNode, spec: spec, source: source)
            } else if Topic(rawValue: key) != nil {
                guard topicSection == nil else { throw duplicate(key, keyNode, source) }
                topicSection = (key, valueNode)
            } else {
                throw ScenarioError(source: source, keyPath: key, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                    key == "sweep" ? "this is a sweep file: run it with `virtlab sweep FILE -o DIR`"
                                        : "unknown key; allowed at the top level: " + allowedTop())
            }
        }
        for spec in Scenario.commonKeys where found[spec.path] == nil {
            guard let d = spec.defaultValue else {
                throw ScenarioError(source: source, keyPath: spec.path, "is required (\(spec.help); \(spec.allowed))")
            }
            found[spec.path] = d
        }
        guard case let .text(topicName)? = found["topic"], let topic = Topic(rawValue: topicName),
              case let .text(name)? = found["name"], case let .text(description)? = found["description"],
              case let .integer(seed)? = found["seed"] else {
            preconditionFailure("common keys were validated above")
        }
        for (key, text, allowed) in [("name", name, ""), ("description", description, "\n\t")] {
            if let u = text.unicodeScalars.first(where: { isInvisibleControl($0) && !allowed.unicodeScalars.contains($0) }) {
                let code = String(u.value, radix: 16, uppercase: true)
                throw ScenarioError(source: source, keyPath: key, "contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code); "
                                    + "names and descriptions are shown on terminals and pages: use printable text")
            }
        }
        if let section = topicSection, section.key != topic.rawValue {
            throw ScenarioError(source: source, keyPath: section.key, line: section.node.mark?.line, column: section.node.mark?.column,
                                "this section does not belong to topic \(topic.rawValue); use a `\(topic.rawValue):` section")
        }
        var values: [String: ScenarioValue] = [:]
        if let section = topicSection {
            try walk(section.node, path: section.key, keys: topic.keys, into: &values, source: source)
        }
        for spec in topic.keys where values[spec.path] == nil {
            guard let d = spec.defaultValue else {
                throw ScenarioError(source: source, keyPath: spec.path, "is required (\(spec.help); \(spec.allowed))")
            }
            values[spec.path] = d
        }
        let scenario = Scenario(name: name, description: description, topic: topic, seed: UInt64(seed), values: values, text: text)
        if let problem = crossCheck(scenario) {
            throw ScenarioError(source: source, keyPath: problem.key, problem.message)
        }
        return scenario
    }

    /// Rules that involve more than one key.
    static func crossCheck(_ s: Scenario) -> (key: String, message: String)? {
        s.topic.simulation.crossCheck(s)
    }

    private static func walk(_ node: Node, path: String, keys: [ScenarioKey], into values: inout [String: ScenarioValue], source: String) throws {
        guard case let .mapping(mapping) = node else {
            throw ScenarioError(source: source, keyPath: path, line: node.mark?.line, column: node.mark?.column,
                                "must be a section of keys: " + childNames(of: path, keys).joined(separator: ", "))
        }
        try checkDuplicates(mapping, path: path, source: source)
        for (keyNode, valueNode) in mapping {
            guard case let .scalar(k) = keyNode else {
                throw ScenarioError(source: source, keyPath: path, line: keyNode.mark?.line, column: keyNode.mark?.column, "keys must be plain words")
            }
            let child = path + "." + k.string
            if let spec = keys.first(where: { $0.path == child }) {
                guard values[child] == nil else { throw duplicate(child, keyNode, source) }
                values[child] = try scalar(valueNode, spec: spec, source: source)
            } else if keys.contains(where: { $0.path.hasPrefix(child + ".") }) {
                try walk(valueNode, path: child, keys: keys, into: &values, source: source)
            } else {
                throw ScenarioError(source: source, keyPath: child, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                    "unknown key; allowed under \(path): " + childNames(of: path, keys).joined(separator: ", "))
            }
        }
    }

    private static func scalar(_ node: Node, spec: ScenarioKey, source: String) throws -> ScenarioValue {
        guard case let .scalar(s) = node else {
            throw ScenarioError(source: source, keyPath: spec.path, line: node.mark?.line, column: node.mark?.column,
                                "must be a single value (\(spec.allowed)), not a section or a list")
        }
        switch spec.parse(s.string) {
        case let .success(v): return v
        case let .failure(why):
            throw ScenarioError(source: source, keyPath: spec.path, line: node.mark?.line, column: node.mark?.column, why.message)
        }
    }

    /// The names directly under a section, in declaration order.
    static func childNames(of path: String, _ keys: [ScenarioKey]) -> [String] {
        var names: [String] = []
        for k in keys where k.path.hasPrefix(path + ".") {
            let rest = k.path.dropFirst(path.count + 1)
            let first = String(rest.split(separator: ".").first ?? rest)
            if !names.contains(first) { names.append(first) }
        }
        return names
    }

    private static func allowedTop() -> String {
        (Scenario.commonKeys.map(\.path) + Topic.allCases.map(\.rawValue)).joined(separator: ", ")
    }

    /// Control characters (C0, DEL, C1) and the bidirectional marks and overrides that reorder text.
    static func isInvisibleControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// A key given twice in one mapping, named with both places (YAML itself allows it).
    package static func checkDuplicates(_ mapping: Node.Mapping, path: String, source: String) throws {
        var seen: [String: Node] = [:]
        for (keyNode, _) in mapping {
            guard let k = keyNode.string else { continue }
            if let first = seen[k] {
                let full = path.isEmpty ? k : "\(path).\(k)"
                let at = { (n: Node) in n.mark.map { "line \($0.line), column \($0.column)" } ?? "?" }
                throw ScenarioError(source: source, keyPath: full, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                    "is given twice (first at \(at(first)), again at \(at(keyNode))); keep one")
            }
            seen[k] = keyNode
        }
    }

    private static func duplicate(_ key: String, _ node: Node, _ source: String) -> ScenarioError {
        ScenarioError(source: source, keyPath: key, line: node.mark?.line, column: node.mark?.column, "is given twice; keep one")
    }

    /// Refuses pathological nesting before the recursive YAML composer sees it.
    private static func checkNesting(_ text: String, source: String) throws {
        var depth = 0, line = 1, column = 0, indent = 0, atLineStart = true
        var quote: UInt8? = nil
        for b in text.utf8 {
            column += 1
            if b == 0x0A { line += 1; column = 0; indent = 0; atLineStart = true; continue }
            if atLineStart {
                if b == 0x20 {
                    indent += 1
                    if indent > maxIndent {
                        throw ScenarioError(source: source, line: line, column: column,
                                            "is indented deeper than \(maxIndent) columns; scenario sections nest only three levels")
                    }
                    continue
                }
                atLineStart = false
            }
            if let q = quote { if b == q { quote = nil }; continue }
            switch b {
            case 0x22, 0x27: quote = b
            case 0x5B, 0x7B:
                depth += 1
                if depth > maxFlowDepth {
                    throw ScenarioError(source: source, line: line, column: column,
                                        "nests brackets deeper than \(maxFlowDepth) levels; scenario sections nest only three levels")
                }
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
        }
    }

    private static func yamlError(_ error: YamlError, source: String, text: String) -> ScenarioError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ScenarioError(source: source, line: mark.line, column: mark.column, "is not valid YAML (\(what))")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams names the mapping; the lines where each key appears are found in the text.
            var lines: [Int] = []
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.drop { $0 == " " || $0 == "-" }
                if duplicates.contains(where: { trimmed.hasPrefix($0 + ":") || trimmed.hasPrefix("\"\($0)\":") }) { lines.append(i + 1) }
            }
            let places = lines.count >= 2 ? " (lines " + lines.map(String.init).joined(separator: ", ") + ")" : ""
            return ScenarioError(source: source, keyPath: duplicates.joined(separator: ", "), line: lines.first ?? context.mark.line,
                                 column: context.mark.column, "is given twice\(places); keep one")
        default:
            return ScenarioError(source: source, "is not valid YAML: \(error)")
        }
    }
}
