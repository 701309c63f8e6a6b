#if canImport(Glibc)
import Glibc
#endif

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

/// Writes a file through a temporary name beside it and renames it into place on success, so a
/// failure never leaves a half-written file under the final name.
package enum AtomicFile {
    /// The temporary path used while `path` is being written.
    package static func temporaryPath(for path: String) -> String {
        let (dir, base) = splitPath(path)
        return "\(dir).\(base).\(getpid()).partial"
    }

    /// Writes `text` to `path` atomically.
    package static func write(text: String, to path: String) throws {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically.
    package static func write(bytes: [UInt8], to path: String) throws {
        try write(path) { temp in
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw ReportError.badInput("cannot write \(path): \(String(cString: strerror(errno))); choose a writable folder")
            }
            defer { close(fd) }
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ReportError.internalFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
                done += n
            }
        }
    }

    /// Runs `body` with a temporary path, then renames it to `path`; removes it if `body` throws.
    package static func write<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
        let temp = temporaryPath(for: path)
        do {
            let result = try body(temp)
            guard rename(temp, path) == 0 else {
                let why = String(cString: strerror(errno))
                unlink(temp)
                throw ReportError.badInput("cannot move the finished file to \(path): \(why)")
            }
            return result
        } catch {
            unlink(temp)
            throw error
        }
    }
}

/// ("dir/", "name") for "dir/name"; ("", "name") without a slash.
package func splitPath(_ path: String) -> (String, String) {
    guard let slash = path.lastIndex(of: "/") else { return ("", path) }
    return (String(path[...slash]), String(path[path.index(after: slash)...]))
}

/// Creates a directory (and its parents) if missing.
package func makeDirectory(_ path: String) throws {
    var built = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
        built += part + "/"
        if mkdir(built, 0o755) != 0 && errno != EEXIST {
            throw ReportError.badInput("cannot create the folder \(built): \(String(cString: strerror(errno)))")
        }
    }
}

/// Removes a file or a whole directory tree (no error if it is missing).
package func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        for name in directoryEntries(path) { removeTree("\(path)/\(name)") }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// The names in a directory except "." and "..", sorted (none if it cannot be read).
package func directoryEntries(_ path: String) -> [String] {
    guard let d = opendir(path) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let entry = readdir(d) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// The size of a regular file, or nil when there is none at `path`.
package func regularFileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(st.st_size)
}

/// Reads a whole regular file; nil when it cannot be opened.
package func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}

/// Whether a path names an existing file or directory.
package func fileExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
}

/// Whether a path names an existing directory.
package func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// This program's own path (from /proc/self/exe), nil when it cannot be read.
package func executablePath() -> String? {
    var buffer = [CChar](repeating: 0, count: 4_096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
}
