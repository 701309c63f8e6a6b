#if canImport(Glibc)
import Glibc
#endif
import VirtLabCommands

@main
struct VirtLabMain {
    static func main() {
        tuneMalloc()
        VirtLabCLI.runAndExit()
    }

    /// Keeps large blocks (figure pixels, PNG buffers, simulator tables: a few MB each) in the heap
    /// for reuse, instead of a fresh mmap per figure that the kernel must fault in and clear.
    /// Freed memory then stays with the process until it exits, which a command that runs for
    /// seconds can afford. glibc's `mallopt` is in <malloc.h>, which Swift's Glibc module does
    /// not include: it is looked up at run time (and skipped where there is none).
    static func tuneMalloc() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3 // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 256 << 20)
        _ = mallopt(trimThreshold, 512 << 20)
        #endif
    }
}
