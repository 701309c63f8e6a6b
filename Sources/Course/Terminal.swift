import Reports
#if canImport(Glibc)
import Glibc
#endif

/// Writes a message to standard error at once (unbuffered).
package func writeStandardError(_ s: String) {
    var bytes = Array(s.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + done, $0.count - done) }
        if n <= 0 { return }
        done += n
    }
}

/// The number of online cores (the default parallelism).
package func coreCount() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }


/// A word for a POSIX shell (see `Format.shellWord`).
package func shellQuote(_ s: String) -> String { Format.shellWord(s) }
