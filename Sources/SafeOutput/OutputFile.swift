#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Why an output could not be written. `badPath` is the user's choice of path (exit 2: say what
/// to choose instead); `failed` is the system refusing a write that should have worked — a full
/// disk, an I/O error, a quota (exit 1).
package enum OutputError: Error, CustomStringConvertible, Equatable {
    case badPath(String)
    case failed(String)

    package var description: String {
        switch self {
        case let .badPath(s), let .failed(s): s
        }
    }

    /// The error for `errno` while doing `what` to `path`: errors that name the path itself
    /// (missing folder, no permission, read-only file system, a name too long) are the user's
    /// to fix; everything else (ENOSPC, EIO, EDQUOT, …) is a failure of the write.
    package static func from(errno e: Int32, _ what: String, _ path: String) -> OutputError {
        let message = "cannot \(what) \(path): \(String(cString: strerror(e)))"
        switch e {
        case EACCES, EPERM, ENOENT, ENOTDIR, EROFS, EISDIR, ENAMETOOLONG, ELOOP, EEXIST, ENXIO, ETXTBSY:
            return .badPath(message)
        default:
            return .failed(message)
        }
    }
}

/// One file being written, the only way VirtLab writes a file.
///
/// What `open(path)` does with what is already at `path`:
/// - nothing there, or a regular file (also through a symbolic link to one): the bytes go to a
///   temporary file beside the real target (`.NAME.PID-N.partial`), which `commit()` syncs to
///   disk and renames over it: readers see the old file or the whole new one, never a part;
/// - `-`, `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: standard output; `/dev/stderr` likewise;
/// - a character device or a FIFO (also through a symbolic link): written through, never
///   replaced (`-o /dev/null` stays the system's `/dev/null`, even as root);
/// - a folder, a block device, a socket or a dangling symbolic link: refused (`badPath`).
///
/// Every write, the sync, the close and the rename are checked; on any failure the temporary
/// file is removed and nothing appears under the final name. A temporary file left by a process
/// that was killed is removed by the next write into the same folder; SIGINT, SIGTERM and SIGHUP
/// remove this process's temporary files before it dies (`OutputFile.installSignalCleanup()`).
package final class OutputFile {
    /// The path the user named.
    package let path: String
    /// Where the bytes are going now (the temporary file, the device, or standard output).
    package private(set) var fd: Int32
    /// The temporary file and its final name, when the output is atomic.
    private let temporary: String?
    private let final: String?
    private let durable: Bool
    private let ownsDescriptor: Bool
    private var done = false
    private var slot: Int?

    /// The temporary file the bytes go to before they take the final name (atomic outputs
    /// only): for writers that open the file themselves, such as SQLite.
    package var temporaryPath: String? { temporary }

    /// How the output reaches `path`.
    package enum Kind: Equatable { case atomic, passThrough, standardStream }
    package let kind: Kind

    /// Opens `path` for writing (see the type's documentation).
    /// - Parameter durable: sync the file to disk before it takes the final name (traces and
    ///   single outputs); a site's many files are synced once, by `syncFileSystem`, instead.
    package static func open(_ path: String, durable: Bool = true) throws -> OutputFile {
        if let stream = standardStream(path) {
            return OutputFile(path: path, fd: stream, temporary: nil, final: nil, durable: false, owns: false, kind: .standardStream)
        }
        guard !path.isEmpty else { throw OutputError.badPath("an output path cannot be empty") }
        var st = stat()
        var target = path
        var mode: mode_t = 0o644
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK {
                guard stat(path, &st) == 0 else {
                    throw OutputError.badPath("\(path) is a symbolic link to something that does not exist; remove it or name another file")
                }
                guard let resolved = realPath(path) else { throw OutputError.from(errno: errno, "resolve", path) }
                target = resolved
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                mode = st.st_mode & 0o7777 // the replacement keeps the file's permissions
            case S_IFCHR, S_IFIFO:
                let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
                guard fd >= 0 else { throw OutputError.from(errno: errno, "open", path) }
                return OutputFile(path: path, fd: fd, temporary: nil, final: nil, durable: false, owns: true, kind: .passThrough)
            case S_IFDIR:
                throw OutputError.badPath("\(path) is a folder; name a file to write")
            case S_IFBLK:
                throw OutputError.badPath("\(path) is a block device; VirtLab does not write to disks directly — name a file")
            case S_IFSOCK:
                throw OutputError.badPath("\(path) is a socket; name a file")
            default:
                throw OutputError.badPath("\(path) is not a regular file; name a file")
            }
        }
        let (dir, base) = splitPath(target)
        guard !base.isEmpty else { throw OutputError.badPath("\(path) names a folder; name a file to write") }
        removeDeadPartials(in: dir)
        let temp = "\(dir).\(base).\(getpid())-\(nextSerial()).partial"
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError.from(errno: errno, "create a file in the folder of", path) }
        if mode != 0o644 { fchmod(fd, mode) }
        let file = OutputFile(path: path, fd: fd, temporary: temp, final: target, durable: durable, owns: true, kind: .atomic)
        file.slot = PendingFiles.register(temp)
        return file
    }

    private init(path: String, fd: Int32, temporary: String?, final: String?, durable: Bool, owns: Bool, kind: Kind) {
        self.path = path
        self.fd = fd
        self.temporary = temporary
        self.final = final
        self.durable = durable
        self.ownsDescriptor = owns
        self.kind = kind
    }

    deinit { if !done { abandon() } }

    /// The file descriptor of a standard stream named by `path`, if it names one.
    static func standardStream(_ path: String) -> Int32? {
        switch path {
        case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": 1
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": 2
        default: nil
        }
    }

    /// Writes all `count` bytes (retrying short writes and interruptions).
    package func write(_ p: UnsafeRawPointer, count: Int) throws {
        guard !done else { throw OutputError.failed("cannot write \(path): the output was already \(fd < 0 ? "given up after an error" : "finished")") }
        var written = 0
        while written < count {
            let n = Glibc.write(fd, p + written, count - written)
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                abandon()
                throw OutputError.from(errno: e, "write", path).asFailure
            }
            if n == 0 {
                abandon()
                throw OutputError.failed("cannot write \(path): the device accepted no bytes")
            }
            written += n
        }
    }

    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            try write(base, count: raw.count)
        }
    }

    package func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Finishes the output: sync (when durable), close, and rename the temporary file over the
    /// final name. After an error nothing is left under the final name that was not there before.
    package func commit() throws {
        guard !done else { throw OutputError.failed("cannot finish \(path): the output was already \(fd < 0 ? "given up after an error" : "finished")") }
        switch kind {
        case .standardStream:
            done = true
        case .passThrough:
            done = true
            if Glibc.close(fd) != 0, errno != EINTR { throw OutputError.from(errno: errno, "close", path).asFailure }
        case .atomic:
            if durable, fsync(fd) != 0, errno != EINVAL {
                let e = errno
                abandon()
                throw OutputError.from(errno: e, "sync", path).asFailure
            }
            let closed = Glibc.close(fd)
            let closeErrno = errno
            fd = -1
            if closed != 0, closeErrno != EINTR {
                abandon()
                throw OutputError.from(errno: closeErrno, "close", path).asFailure
            }
            guard rename(temporary!, final!) == 0 else {
                let e = errno
                abandon()
                throw OutputError.from(errno: e, "move the finished file to", path)
            }
            done = true
            PendingFiles.unregister(slot)
            if durable { syncFolder(of: final!) }
        }
    }

    /// Drops the output: the temporary file is removed; a device or stream is left as it is.
    package func abandon() {
        guard !done else { return }
        done = true
        if ownsDescriptor, fd >= 0 { Glibc.close(fd) }
        fd = -1
        if let temporary {
            unlink(temporary)
            PendingFiles.unregister(slot)
        }
    }

    // MARK: - Conveniences

    /// Writes `bytes` to `path` as one output.
    package static func write(_ bytes: [UInt8], to path: String, durable: Bool = true) throws {
        let f = try open(path, durable: durable)
        try f.write(bytes)
        try f.commit()
    }

    /// Writes `text` to `path` as one output.
    package static func write(text: String, to path: String, durable: Bool = true) throws {
        try write(Array(text.utf8), to: path, durable: durable)
    }

    /// Opens `path`, runs `body` with it, and commits; abandons the output if `body` throws.
    package static func writing<T>(_ path: String, durable: Bool = true, _ body: (OutputFile) throws -> T) throws -> T {
        let f = try open(path, durable: durable)
        do {
            let result = try body(f)
            try f.commit()
            return result
        } catch {
            f.abandon()
            throw error
        }
    }

    // MARK: - Leftovers and signals

    private static let serial = Atomic<Int>(0)
    private static func nextSerial() -> Int { serial.add(1, ordering: .relaxed).newValue }

    /// Folders already swept of dead partial files by this process: a site writes a thousand
    /// files into one folder, and reading the folder before each write made that quadratic.
    private static let swept = Mutex(Set<String>())

    /// Removes `.BASE.PID-N.partial` files in `dir` whose process no longer exists (a killed
    /// write); each folder once per process (and every name in it then, not only BASE's).
    static func removeDeadPartials(in dir: String) {
        let key = dir.isEmpty ? "." : dir
        guard swept.withLock({ $0.insert(key).inserted }) else { return }
        for entry in directoryNames(key) where entry.hasPrefix(".") && entry.hasSuffix(".partial") {
            let stem = entry.dropLast(".partial".count)
            guard let dot = stem.lastIndex(of: "."), let dash = stem[dot...].firstIndex(of: "-"),
                  let pid = Int32(stem[stem.index(after: dot)..<dash]), pid > 0,
                  Int(stem[stem.index(after: dash)...]) != nil else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH { unlink(dir + entry) }
        }
    }

    /// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove this process's temporary
    /// files, then die of the same signal (so the shell sees the usual status).
    package static func installSignalCleanup() {
        // A parent may have blocked them (test runners' worker threads do); a user's Ctrl-C or
        // kill must reach the handler.
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for s in [SIGINT, SIGTERM, SIGHUP] {
            let previous = signal(s) { sig in
                PendingFiles.unlinkAll()
                signal(sig, SIG_DFL)
                raise(sig)
            }
            // A signal the parent ignores (`nohup`, background jobs) stays ignored.
            if let previous, unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                signal(s, SIG_IGN)
            }
        }
    }
}

extension OutputError {
    /// The same message as a failure of the write (exit 1): once a file is open, an error is
    /// the system's, not the path's.
    var asFailure: OutputError {
        if case let .badPath(s) = self { return .failed(s) }
        return self
    }
}

/// Temporary files of this process, in fixed slots of C strings that a signal handler can read
/// without locks or allocation.
enum PendingFiles {
    static let capacity = 256
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    static let lock = Mutex(0)

    static func register(_ path: String) -> Int? {
        lock.withLock { _ in
            for i in 0..<capacity where slots[i] == nil {
                slots[i] = strdup(path)
                return i
            }
            return nil
        }
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { _ in
            let p = slots[slot]
            slots[slot] = nil
            free(p)
        }
    }

    /// Async-signal-safe: only reads the slots and calls unlink.
    static func unlinkAll() {
        for i in 0..<capacity { if let p = slots[i] { unlink(p) } }
    }
}

/// Flushes the folder entry of a renamed file (a rename is durable only once its folder is).
func syncFolder(of path: String) {
    let (dir, _) = splitPath(path)
    let fd = Glibc.open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    Glibc.close(fd)
}

/// The canonical absolute path (symbolic links resolved); nil when it cannot be resolved.
package func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}

/// ("dir/", "name") for "dir/name"; ("", "name") without a slash.
package func splitPath(_ path: String) -> (String, String) {
    guard let slash = path.lastIndex(of: "/") else { return ("", path) }
    return (String(path[...slash]), String(path[path.index(after: slash)...]))
}

/// The names in a directory except "." and "..", sorted (none if it cannot be read).
package func directoryNames(_ path: String) -> [String] {
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

/// Flushes the file system holding `path` to disk (syncfs where the C library has it, else sync):
/// one call before a site's folder swap instead of a sync per file.
package func syncFileSystem(of path: String) {
    typealias SyncFS = @convention(c) (Int32) -> Int32
    let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    defer { if fd >= 0 { Glibc.close(fd) } }
    if fd >= 0, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") {
        _ = unsafeBitCast(symbol, to: SyncFS.self)(fd)
    } else {
        sync()
    }
}

/// Flushes standard output's C buffer (what `print` writes) and reports a failed write: on a
/// full disk or `> /dev/full`, `virtlab scenarios show NAME > file` must not exit 0.
package func finishStandardOutput() throws {
    // `stdout` is a C global; reading the pointer once is safe (it never changes).
    guard let out = unsafe_stdout() else { return }
    if fflush(out) != 0 || ferror(out) != 0 {
        throw OutputError.failed("cannot write standard output: \(String(cString: strerror(errno)))")
    }
}

/// The C library's `stdout` stream (looked up by symbol: Swift 6 refuses to read the C global).
private func unsafe_stdout() -> UnsafeMutablePointer<FILE>? {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "stdout") else { return nil }
    return symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee
}
