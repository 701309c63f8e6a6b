import Foundation

/// Python 3 for the tests that check VirtLab's files with an independent reader (zipfile,
/// xml.etree, the trace specification's reader): one way to find the interpreter, pass
/// arguments and collect both output streams. A support library under Tests/ that depends on
/// nothing, so every test target can use it (VirtLabTestSupport needs Course).
package enum Python {
    /// The interpreter, or nil (tests that need it are then skipped, saying why).
    package static let path: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    package struct Result: Sendable {
        package let status: Int32
        package let output: Data
        /// Standard error, for the failure message.
        package let problems: String
        package var text: String { String(decoding: output, as: UTF8.self) }
        package var lines: [String] { text.split(separator: "\n").map(String.init) }
        package var succeeded: Bool { status == 0 }
    }

    /// Runs `python3 -c code arguments…` (`script: true` runs the file `code` instead). Standard
    /// error goes to a scratch file, not a pipe, so a script that writes a lot to both streams
    /// cannot fill one pipe while the other is being read.
    package static func run(_ code: String, script: Bool = false, _ arguments: [String]) throws -> Result {
        guard let path else { throw CocoaError(.executableNotLoadable) }
        let errPath = NSTemporaryDirectory() + "virtlab-python-\(UUID().uuidString).err"
        guard FileManager.default.createFile(atPath: errPath, contents: nil), let err = FileHandle(forWritingAtPath: errPath) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? err.close(); try? FileManager.default.removeItem(atPath: errPath) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = (script ? [code] : ["-c", code]) + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let problems = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: p.terminationStatus, output: data, problems: problems)
    }
}
