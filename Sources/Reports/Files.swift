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

/// A path as a page shows it: relative to the working directory when it lies inside it (so a
/// site built in any checkout says `Templates/lessons/memory.md`, and its bytes do not depend
/// on where the checkout is), else as given.
package func displayPath(_ path: String, from directory: String? = nil) -> String {
    var base = directory ?? ""
    if directory == nil {
        var buffer = [CChar](repeating: 0, count: 4_096)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        base = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    let prefix = base.hasSuffix("/") ? base : base + "/"
    return path.hasPrefix(prefix) && path.count > prefix.count ? String(path.dropFirst(prefix.count)) : path
}
