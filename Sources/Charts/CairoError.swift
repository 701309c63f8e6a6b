import CCairo

/// A drawing that could not be made or written.
package enum ChartError: Error, Equatable, CustomStringConvertible {
    /// Cairo reported a status other than success.
    case cairo(operation: String, status: String)
    /// A width or height of zero or beyond the limit.
    case badSize(width: Int, height: Int)
    /// A `--size` that is none of the forms allowed.
    case badSizeSpec(String)

    package var description: String {
        switch self {
        case let .cairo(op, status): "Cairo failed to \(op): \(status)"
        case let .badSize(w, h): "a figure must be 1–16384 pixels wide and high, not \(w)×\(h)"
        case let .badSizeSpec(s): "--size \(s): use slides, paper-1col, paper-2col, or WIDTHxHEIGHT with an optional unit px, in, mm, cm or pt (800x480, 3.5x2.5in, 89x60mm), 16–16384 pixels or points each way"
        }
    }
}

func check(_ status: cairo_status_t, _ operation: String) throws {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw ChartError.cairo(operation: operation, status: String(cString: cairo_status_to_string(status)))
    }
}
