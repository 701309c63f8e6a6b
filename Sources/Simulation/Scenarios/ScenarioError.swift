/// A scenario that cannot be run, with where and why, so the user can fix the file.
package struct ScenarioError: Error, Equatable, CustomStringConvertible {
    /// The file (or `preset NAME`).
    package var source: String
    /// The dotted key path, empty for problems with the whole file.
    package var keyPath: String
    /// 1-based line and column, when the YAML parser knows them.
    package var line: Int?
    package var column: Int?
    package var message: String

    package init(source: String, keyPath: String = "", line: Int? = nil, column: Int? = nil, _ message: String) {
        self.source = source
        self.keyPath = keyPath
        self.line = line
        self.column = column
        self.message = message
    }

    package var description: String {
        var s = source
        if let line { s += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        s += ": "
        if !keyPath.isEmpty { s += "\(keyPath): " }
        return s + message
    }
}
