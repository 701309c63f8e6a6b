#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An owned POSIX file descriptor; closed exactly once.
final class PosixFile {
    let path: String
    private(set) var fd: Int32

    init(path: String, writing: Bool) throws {
        self.path = path
        let flags = writing ? (O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC) : (O_RDONLY | O_CLOEXEC)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw TraceError.io(path: path, operation: writing ? "create it" : "open it", errno: errno) }
        self.fd = fd
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }

    func close() throws {
        guard fd >= 0 else { return }
        let r = Glibc.close(fd)
        fd = -1
        if r != 0 { throw TraceError.io(path: path, operation: "close it", errno: errno) }
    }

    var size: UInt64 {
        get throws {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw TraceError.io(path: path, operation: "stat it", errno: errno) }
            return UInt64(st.st_size)
        }
    }

    /// Writes all `count` bytes, retrying short writes.
    func writeAll(_ p: UnsafeRawPointer, count: Int) throws {
        var done = 0
        while done < count {
            let n = write(fd, p + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw TraceError.io(path: path, operation: "write it", errno: errno)
            }
            done += n
        }
    }

    func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0.baseAddress!, count: $0.count) }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(into p: UnsafeMutableRawPointer, count: Int, at offset: UInt64) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, p + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw TraceError.io(path: path, operation: "read it", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset` into an array, or fewer at the end of the file.
    func bytes(at offset: UInt64, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let n = try out.withUnsafeMutableBytes { try read(into: $0.baseAddress!, count: count, at: offset) }
        out.removeLast(count - n)
        return out
    }
}
