import Course
import Foundation
import SafeOutput
import Simulation
import Testing
import VirtLabTestSupport
import TraceFormat
import Vocabulary

/// What the command tests share besides `TestFixtures`: scratch paths and the built `virtlab`
/// run as a user would (helpers, not a source mirror).
enum Fixtures {
    static let dir = FileManager.default.temporaryDirectory.path
    static func tracePath(_ tag: String) -> String { TestFixtures.freshPath(tag) + ".vlt" }

    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    /// Runs the built binary; `stdoutPath` redirects its standard output to a file.
    static func cli(_ args: [String], stdoutPath: String? = nil) throws -> Outcome {
        let exe = try #require(TestFixtures.virtlab(), "no built virtlab next to the tests")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ["VIRTLAB_TEMPLATES": TestFixtures.repoRoot + "/Templates", "PATH": "/usr/bin:/bin", "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no"]
        let err = Pipe(), out = Pipe()
        p.standardError = err
        if let stdoutPath {
            p.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        } else {
            p.standardOutput = out
        }
        try p.run()
        // Both pipes drained at once: a child blocked on a full stdout pipe would never close stderr.
        let outBox = DataBox()
        let reader = Thread { outBox.data = stdoutPath == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data(); outBox.done.signal() }
        reader.start()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        outBox.done.wait()
        let outData = outBox.data
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return Outcome(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

    static func fileType(_ path: String) -> mode_t? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    /// A small real trace, rewritten in 2 KiB blocks so it has dozens of them.
    static func smallTrace(in dir: String, seed: UInt64? = nil, name: String = "t") throws -> String {
        var s = try TestFixtures.smallMemory()
        if let seed { s.seed = seed }
        let run = "\(dir)/\(name)-run.vlt", path = "\(dir)/\(name).vlt"
        _ = try Runs.simulate(s, to: run)
        let source = try TraceReader(path: run)
        let w = try TraceWriter(path: path, header: source.header, blockSize: 2_048)
        try source.scan { try w.append($0.owned) }
        try w.close(summary: source.summary ?? [])
        unlink(run)
        return path
    }
}
