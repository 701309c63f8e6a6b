#if canImport(Glibc)
import Glibc
#endif
import SafeOutput

/// A failure while building a report: bad input (exit 2) or an internal failure (exit 1).
package enum ReportError: Error, CustomStringConvertible, Equatable {
    case badInput(String)
    case internalFailure(String)

    package var description: String {
        switch self {
        case let .badInput(s), let .internalFailure(s): s
        }
    }
}

/// This program's own path (from /proc/self/exe), nil when it cannot be read.
package func executablePath() -> String? {
    var buffer = [CChar](repeating: 0, count: 4_096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
}
