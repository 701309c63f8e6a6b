/// A failure in the application layer (courses, sweeps, runs, benchmarks): bad input (the
/// command exits 2) or an internal failure (exit 1).
package enum CourseError: Error, CustomStringConvertible, Equatable {
    case badInput(String)
    case internalFailure(String)

    package var description: String {
        switch self {
        case let .badInput(s), let .internalFailure(s): s
        }
    }

    package var exitCode: Int32 {
        switch self {
        case .badInput: 2
        case .internalFailure: 1
        }
    }
}
