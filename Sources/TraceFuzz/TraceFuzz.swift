import TraceFormat

import SafeOutput

#if canImport(Glibc)
import Glibc
#endif

/// Feeds bytes to the trace reader in both modes: it may throw, it must never crash, hang or over-allocate.
func exercise(_ bytes: UnsafeRawBufferPointer, scratchPath: String) {
    guard let f = fopen(scratchPath, "wb") else { return }
    if let base = bytes.baseAddress { fwrite(base, 1, bytes.count, f) }
    fclose(f)
    for mode in [ReadMode.strict, .salvage] {
        guard let reader = try? TraceReader(path: scratchPath, mode: mode) else { continue }
        var sum: UInt64 = 0
        _ = try? reader.scan { sum &+= $0.time &+ UInt64($0.fields.count) }
        _ = try? reader.scan(range: 10...1_000) { sum &+= $0.time }
    }
}

#if FUZZING
/// libFuzzer's driver (in libclang_rt.fuzzer), called from our own entry point.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry point as `TargetName_main`; here it hands over to libFuzzer.
@_cdecl("TraceFuzz_main")
public func traceFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzTraceReader(data, size) }
}

/// libFuzzer's per-input entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTraceReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    exercise(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size), scratchPath: "/tmp/virtlab-fuzz-\(getpid()).vlt")
    return 0
}
#else
/// Without -DFUZZING: replays the files named on the command line (a crash corpus, say) through the reader.
@main
struct TraceFuzzReplay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            print("usage: TraceFuzz FILE… — replays each file through the trace reader (strict and salvage)")
            return
        }
        for path in paths {
            guard let bytes = readFile(path) else { print("\(path): cannot open"); continue }
            bytes.withUnsafeBytes { exercise($0, scratchPath: "/tmp/virtlab-replay-\(getpid()).vlt") }
            print("\(path): ok (\(bytes.count) bytes)")
        }
    }
}
#endif
