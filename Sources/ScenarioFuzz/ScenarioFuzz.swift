import Vocabulary
import Simulation

import SafeOutput

#if canImport(Glibc)
import Glibc
#endif

/// Feeds text to the scenario decoder, the sweep-file decoder and the sweep-axis parser (each
/// line as a `--vary` value, for every topic): they may throw, they must never crash or hang.
func exercise(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? ScenarioDecoder.decode(text: text, source: "fuzz")
    _ = try? SweepFile.decode(text: text, source: "fuzz")
    for line in text.split(separator: "\n").prefix(8) {
        for topic in Topic.allCases {
            guard let axis = try? SweepPlan.axis(String(line), topic: topic),
                  let base = Preset.all.first(where: { $0.topic == topic }).flatMap({ try? $0.scenario() }) else { continue }
            _ = try? SweepPlan(base: base, axes: [axis, axis], repeats: Int(line.count % 3) + 1, maxRuns: 64)
        }
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("ScenarioFuzz_main")
public func scenarioFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzScenarios(data, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarios(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    exercise(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
#else
/// Without -DFUZZING: replays the files named on the command line through the decoders.
@main
struct ScenarioFuzzReplay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            print("usage: ScenarioFuzz FILE… — replays each file through the scenario, sweep-file and sweep-axis parsers")
            return
        }
        for path in paths {
            guard let bytes = readFile(path) else { print("\(path): cannot open"); continue }
            bytes.withUnsafeBytes { exercise($0) }
            print("\(path): ok (\(bytes.count) bytes)")
        }
    }
}
#endif
