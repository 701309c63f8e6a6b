import TraceFormat
import Vocabulary

extension Metric {
    /// A result under its fixed name, in its unit (both from the vocabulary).
    init(_ name: MetricName, _ value: Double) {
        self.init(name.rawValue, value, name.unit.rawValue)
    }

    /// The result of one member of a family (an exit reason, an instruction, a round).
    init(_ family: MetricFamily, _ member: String, _ value: Double) {
        self.init(family.name(member), value, family.unit.rawValue)
    }
}
