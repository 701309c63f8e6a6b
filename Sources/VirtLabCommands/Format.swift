import Course
import Reports
import Simulation

extension Format {
    /// A JSON string literal.
    static func json(_ s: String) -> String { ScenarioYAML.doubleQuoted(s) }
}
