import Yams

/// A sweep file: optional `name` and `description`, and `sweep:` with `scenario` (a file, found
/// next to the sweep file, or a preset), `vary` (a list of `KEY=…` strings), `repeat`, and
/// `headline` (the key metric whose figure stands for the sweep on the course site).
package enum SweepFile {
    package struct Spec: Equatable {
        package var scenario: String
        package var vary: [String]
        /// Where each `vary` entry is ("FILE:LINE:COLUMN"), for messages naming a key varied twice.
        package var varySources: [String] = []
        package var repeats: Int
        package var description: String?
        package var headline: String?
    }

    /// - Throws: `ScenarioError` with the line of the offending key.
    package static func decode(text: String, source: String) throws -> Spec {
        guard case let .mapping(top)? = try ScenarioDecoder.compose(text, source: source) else {
            throw ScenarioError(source: source, "a sweep file is a mapping with a `sweep:` section")
        }
        var description: String?, section: Node.Mapping?
        try ScenarioDecoder.checkDuplicates(top, path: "", source: source)
        for (keyNode, value) in top {
            switch keyNode.string {
            case "name": break
            case "description": description = value.string
            case "sweep":
                guard case let .mapping(m) = value else { throw error(source, "sweep", value, "must be a mapping of scenario, vary and repeat") }
                section = m
            default:
                throw error(source, keyNode.string ?? "?", keyNode, "a sweep file has `sweep:` (and optionally name and description) at the top level")
            }
        }
        guard let section else { throw ScenarioError(source: source, keyPath: "sweep", "is required") }
        var scenario: String?, vary: [String] = [], varySources: [String] = [], repeats = 1, headline: String?
        try ScenarioDecoder.checkDuplicates(section, path: "sweep", source: source)
        for (keyNode, value) in section {
            let path = "sweep.\(keyNode.string ?? "?")"
            switch keyNode.string {
            case "scenario": scenario = value.string
            case "vary":
                guard case let .sequence(items) = value else { throw error(source, path, value, "must be a list of KEY=VALUES entries") }
                for item in items {
                    guard let text = item.string else { throw error(source, path, item, "each entry is a KEY=VALUES string") }
                    vary.append(text)
                    varySources.append("\(source):\(item.mark?.line ?? 0):\(item.mark?.column ?? 0)")
                }
            case "repeat":
                guard let r = value.int, r >= 1 else { throw error(source, path, value, "must be a whole number from 1") }
                repeats = r
            case "headline":
                guard let h = value.string, !h.isEmpty else { throw error(source, path, value, "must be a metric name") }
                headline = h
            default:
                throw error(source, path, keyNode, "unknown key in `sweep:`; allowed: scenario, vary, repeat, headline")
            }
        }
        guard let scenario, !scenario.isEmpty else { throw ScenarioError(source: source, keyPath: "sweep.scenario", "is required") }
        guard !vary.isEmpty else { throw ScenarioError(source: source, keyPath: "sweep.vary", "needs at least one KEY=VALUES entry") }
        return Spec(scenario: scenario, vary: vary, varySources: varySources, repeats: repeats, description: description, headline: headline)
    }

    private static func error(_ source: String, _ path: String, _ node: Node, _ message: String) -> ScenarioError {
        ScenarioError(source: source, keyPath: path, line: node.mark?.line, column: node.mark?.column, message)
    }
}
