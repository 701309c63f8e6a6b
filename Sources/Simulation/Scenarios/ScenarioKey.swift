/// A typed scalar from a scenario file.
package enum ScenarioValue: Equatable, Sendable, CustomStringConvertible {
    case integer(Int64)
    case real(Double)
    case text(String)

    package var description: String {
        switch self {
        case let .integer(v): String(v)
        case let .real(v): v.description
        case let .text(s): s
        }
    }
}

/// What one scenario key accepts, its default, and a line of help; the single source for
/// validation, `scenarios show`, and (later) sweep parameters.
package struct ScenarioKey: Sendable {
    package enum Kind: Sendable {
        case integer(ClosedRange<Int64>, powerOfTwo: Bool = false)
        case real(ClosedRange<Double>)
        case choice([String])
        case text(maxBytes: Int)
    }

    /// Dotted path, e.g. `memory.tlb.sets`.
    package let path: String
    package let kind: Kind
    /// nil for a required key.
    package let defaultValue: ScenarioValue?
    package let help: String

    package init(_ path: String, _ kind: Kind, default value: ScenarioValue?, _ help: String) {
        self.path = path
        self.kind = kind
        self.defaultValue = value
        self.help = help
    }

    /// What the key allows, in words, for error messages and comments.
    package var allowed: String {
        switch kind {
        case let .integer(r, pow2):
            return (pow2 ? "a power of two" : "an integer") + " from \(r.lowerBound) to \(r.upperBound)"
        case let .real(r):
            return "a number from \(r.lowerBound) to \(r.upperBound)"
        case let .choice(values):
            return "one of " + values.joined(separator: ", ")
        case let .text(max):
            return "text of at most \(max) bytes"
        }
    }

    /// Parses and range-checks a scalar's text.
    /// - Returns: the value, or a sentence saying what is wrong.
    package func parse(_ raw: String) -> Result<ScenarioValue, KeyProblem> {
        switch kind {
        case let .integer(range, pow2):
            let cleaned = raw.replacingOccurrences(of: "_", with: "")
            guard let v = Int64(cleaned) else {
                if Double(cleaned) != nil { return .failure(KeyProblem("must be a whole number (\(allowed)), got \(raw)")) }
                return .failure(KeyProblem("must be \(allowed), got '\(raw)'"))
            }
            guard range.contains(v) else { return .failure(KeyProblem("must be \(allowed), got \(v)")) }
            if pow2, v & (v - 1) != 0 { return .failure(KeyProblem("must be \(allowed), got \(v)")) }
            return .success(.integer(v))
        case let .real(range):
            guard let v = Double(raw.replacingOccurrences(of: "_", with: "")), v.isFinite else {
                return .failure(KeyProblem("must be \(allowed), got '\(raw)'"))
            }
            guard range.contains(v) else { return .failure(KeyProblem("must be \(allowed), got \(raw)")) }
            return .success(.real(v))
        case let .choice(values):
            guard values.contains(raw) else { return .failure(KeyProblem("must be \(allowed), got '\(raw)'")) }
            return .success(.text(raw))
        case let .text(max):
            guard raw.utf8.count <= max else { return .failure(KeyProblem("must be \(allowed), got \(raw.utf8.count) bytes")) }
            return .success(.text(raw))
        }
    }
}

/// Why a scalar does not fit its key, as a sentence.
package struct KeyProblem: Error, Equatable {
    package let message: String
    init(_ message: String) { self.message = message }
}
