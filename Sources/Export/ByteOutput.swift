import Simulation
import SafeOutput
#if canImport(Glibc)
import Glibc
#endif

/// A buffered byte sink to standard output or an `OutputFile` (the hot export loops append to it).
package final class FileHandleOutput {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private let file: OutputFile?

    package init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        self.file = nil
        buffer.reserveCapacity(1 << 16)
    }

    /// Buffers in front of an output file (its commit is the caller's).
    package init(_ file: OutputFile) {
        self.fd = file.fd
        self.path = file.path
        self.file = file
        buffer.reserveCapacity(1 << 16)
    }

    package func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends without flushing on error (for the hot export loop, which flushes through `flushIfFull`).
    @inline(__always)
    package func append(_ s: String) { buffer.append(contentsOf: s.utf8) }

    /// Appends raw bytes (pre-rendered text).
    @inline(__always)
    package func append(bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// Appends an unsigned integer in decimal without building a String.
    @inline(__always)
    package func append(decimal v: UInt64) {
        if v < 10 {
            buffer.append(0x30 &+ UInt8(v))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes of scratch, enough for 20 digits
        let n = withUnsafeMutableBytes(of: &digits) { raw -> Int in
            var x = v
            var i = 24
            while x > 0 {
                i -= 1
                raw[i] = 0x30 &+ UInt8(x % 10)
                x /= 10
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i..<24]))
            return 24 - i
        }
        _ = n
    }

    /// Appends a signed integer in decimal.
    @inline(__always)
    package func append(signed v: Int64) {
        if v < 0 {
            buffer.append(0x2D)
            append(decimal: v == .min ? UInt64(Int64.max) + 1 : UInt64(-v))
        } else {
            append(decimal: UInt64(v))
        }
    }

    /// Appends nanoseconds as microseconds with exactly three decimals (Chrome trace `ts`).
    @inline(__always)
    package func append(micros ns: UInt64) {
        append(decimal: ns / 1_000)
        let f = ns % 1_000
        buffer.append(0x2E)
        buffer.append(0x30 &+ UInt8(f / 100))
        buffer.append(0x30 &+ UInt8(f / 10 % 10))
        buffer.append(0x30 &+ UInt8(f % 10))
    }

    /// Appends one byte (a separator).
    @inline(__always)
    package func append(byte: UInt8) { buffer.append(byte) }

    package func flushIfFull() throws { if buffer.count >= 1 << 16 { try flush() } }

    package func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        if let file {
            try file.write(buffer)
            return
        }
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                throw OutputError.failed("cannot write \(path): \(String(cString: n < 0 ? strerror(errno) : strerror(EIO)))")
            }
            done += n
        }
    }
}

/// Text escaping for the text exports.
package enum ExportText {
    /// A CSV cell, quoted when it holds a comma, quote or line break.
    package static func csv(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A JSON string literal (the scenario writer's escaping, valid JSON and YAML).
    package static func json(_ s: String) -> String { ScenarioYAML.doubleQuoted(s) }
}
