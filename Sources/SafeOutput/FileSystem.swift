#if canImport(Glibc)
import Glibc
#endif

// The file-system helpers every layer uses, beside the writer they belong with.

/// Creates a directory (and its parents) if missing.
package func makeDirectory(_ path: String) throws {
    var built = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
        built += part + "/"
        if mkdir(built, 0o755) != 0 && errno != EEXIST {
            throw OutputError.from(errno: errno, "create the folder", built)
        }
    }
}

/// Removes a file or a whole directory tree (no error if it is missing).
package func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        for name in directoryNames(path) { removeTree("\(path)/\(name)") }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// The size of a regular file, or nil when there is none at `path`; with `followingLinks: false`
/// a symbolic link is not a regular file (what a folder's owner check needs).
package func regularFileSize(followingLinks: Bool = true, _ path: String) -> Int? {
    var st = stat()
    guard (followingLinks ? stat(path, &st) : lstat(path, &st)) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(st.st_size)
}

/// Reads a whole file; nil when it cannot be opened or a read fails (a folder, an I/O error):
/// never the part before the failure.
package func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { break }
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

