import Course
import Foundation
import SafeOutput
import Simulation
import Testing
import TraceFormat
@testable import VirtLabCommands
import Reports

/// Every reproducer of the reliability review, kept as a regression test: the built `virtlab`
/// run as a user would, in a scratch folder (special files made there — never the real /dev/null).
@Suite(.serialized) struct ReliabilityTests {
    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    /// Runs the built binary; `stdoutPath` redirects its standard output to a file.
    static func cli(_ args: [String], stdoutPath: String? = nil) throws -> Outcome {
        let exe = try #require(SweepTests.virtlab(), "no built virtlab next to the tests")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ["VIRTLAB_TEMPLATES": CommandTests.repoRoot + "/Templates", "PATH": "/usr/bin:/bin", "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no"]
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

    static func folder(_ tag: String) -> String {
        let dir = NSTemporaryDirectory() + "virtlab-rel-\(tag)-\(UUID().uuidString)"
        try? makeDirectory(dir)
        return dir
    }

    static func fileType(_ path: String) -> mode_t? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    /// A small real trace, rewritten in 2 KiB blocks so it has dozens of them.
    static func smallTrace(in dir: String, seed: UInt64? = nil, name: String = "t") throws -> String {
        var s = try CommandTests.small()
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

    // MARK: 1 — `-o` never replaces a special file

    @Test func exportIntoADeviceAFIFOAndALinkWritesThrough() throws {
        let dir = Self.folder("special")
        defer { removeTree(dir) }
        let trace = try Self.smallTrace(in: dir)
        if mknod("\(dir)/null", S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 {
            let r = try Self.cli(["export", trace, "--format", "csv", "-o", "\(dir)/null"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.fileType("\(dir)/null") == S_IFCHR, "the device node was replaced")
        } else {
            print("skipped the device part: cannot mknod here")
        }
        // A symbolic link: its target gets the CSV, the link stays.
        try OutputFile.write(text: "old", to: "\(dir)/target.csv")
        symlink("\(dir)/target.csv", "\(dir)/link.csv")
        let l = try Self.cli(["export", trace, "--format", "csv", "-o", "\(dir)/link.csv"])
        #expect(l.status == 0, "\(l.stderr)")
        #expect(Self.fileType("\(dir)/link.csv") == S_IFLNK)
        #expect(String(decoding: readFile("\(dir)/target.csv") ?? [], as: UTF8.self).hasPrefix("time_ns,kind"))
        // /dev/stdout is standard output.
        let s = try Self.cli(["export", trace, "--format", "jsonl", "-o", "/dev/stdout"])
        #expect(s.status == 0)
        #expect(s.stdout.hasPrefix("{\"time_ns\":"))
    }

    // MARK: 2 — a folder VirtLab did not make is never deleted

    @Test func aReportIntoAUsersFolderIsRefusedAndTheFolderKept() throws {
        let dir = Self.folder("docs")
        defer { removeTree(dir) }
        let trace = try Self.smallTrace(in: dir)
        let report = try Self.cli(["report", trace, "-o", "\(dir)/report"])
        #expect(report.status == 0, "\(report.stderr)")
        try makeDirectory("\(dir)/docs/sub")
        try OutputFile.write(text: "precious", to: "\(dir)/docs/thesis.tex")
        try OutputFile.write(text: "dot", to: "\(dir)/docs/.hidden")
        try OutputFile.write(readFile("\(dir)/report/index.html")!, to: "\(dir)/docs/index.html")
        let r = try Self.cli(["report", trace, "-o", "\(dir)/docs"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("thesis.tex") && r.stderr.contains("--force"), "\(r.stderr)")
        #expect(String(decoding: readFile("\(dir)/docs/thesis.tex") ?? [], as: UTF8.self) == "precious")
        #expect(fileExists("\(dir)/docs/.hidden") && isDirectory("\(dir)/docs/sub"))
        // A report VirtLab made is rebuilt in place…
        #expect(try Self.cli(["report", trace, "-o", "\(dir)/report"]).status == 0)
        // …unless its input lies inside it.
        try OutputFile.write(readFile(trace)!, to: "\(dir)/report/t.vlt")
        let inside = try Self.cli(["report", "\(dir)/report/t.vlt", "-o", "\(dir)/report"])
        #expect(inside.status == 2, "\(inside.stderr)")
        #expect(fileExists("\(dir)/report/t.vlt"))
    }

    @Test func twoReportsIntoOneFolderAtOnceLeaveOneWholeSite() throws {
        let dir = Self.folder("race")
        defer { removeTree(dir) }
        let a = try Self.smallTrace(in: dir, name: "a"), b = try Self.smallTrace(in: dir, seed: 5, name: "b")
        let group = DispatchGroup()
        let statuses = StatusBox()
        for trace in [a, b, a, b] {
            DispatchQueue.global().async(group: group) {
                let status = (try? Self.cli(["report", trace, "-o", "\(dir)/site"]).status) ?? -1
                statuses.add(status)
            }
        }
        group.wait()
        #expect(statuses.all.allSatisfy { $0 == 0 || $0 == 2 }, "\(statuses.all)")
        #expect(statuses.all.contains(0))
        // Whatever won, the folder is one whole site that VirtLab can prove it made.
        #expect(FolderGuard.foreignFiles(in: "\(dir)/site", mark: Site.marker).isEmpty)
        #expect(directoryNames(dir).allSatisfy { !$0.contains("staging") })
    }

    final class StatusBox: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int32] = []
        func add(_ v: Int32) { lock.lock(); values.append(v); lock.unlock() }
        var all: [Int32] { lock.lock(); defer { lock.unlock() }; return values }
    }

    // MARK: 3 — sweeps

    @Test func aSweepNeverOverwritesAUsersFilesOrAnotherSweep() throws {
        let dir = Self.folder("sweep")
        defer { removeTree(dir) }
        try makeDirectory("\(dir)/mine")
        try OutputFile.write(text: "<p>my page</p>", to: "\(dir)/mine/index.html")
        let args = ["sweep", "net-native", "--vary", "io.requests=200,400", "--quiet"]
        let r = try Self.cli(args + ["-o", "\(dir)/mine"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(String(decoding: readFile("\(dir)/mine/index.html") ?? [], as: UTF8.self) == "<p>my page</p>")
        // A sweep into its own folder twice is fine (the second skips the done runs); another plan is refused.
        #expect(try Self.cli(args + ["-o", "\(dir)/s"]).status == 0)
        #expect(try Self.cli(args + ["-o", "\(dir)/s"]).status == 0)
        let other = try Self.cli(["sweep", "net-native", "--vary", "io.requests=300,500", "--quiet", "-o", "\(dir)/s"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("another sweep"), "\(other.stderr)")
        #expect(try Self.cli(["sweep", "net-native", "--vary", "io.requests=300,500", "--quiet", "-o", "\(dir)/s", "--force"]).status == 0)
    }

    // MARK: 4 — numbers from users

    @Test(arguments: [
        ["--vary", "memory.levels=nan:5:3"], ["--vary", "memory.levels=inf:5:3"], ["--vary", "memory.levels=1e300:5:3"],
        ["--vary", "memory.levels=-1e19:5:3"], ["--vary", "memory.workload.accesses=1:1e19:3"],
        ["--vary", "memory.levels=2,3", "--repeat", "9223372036854775807"], ["--vary", "memory.levels=2,3", "--repeat", "4611686018427387904"],
        ["--vary", "memory.workload.accesses=1000:100000000:100000", "--vary", "memory.workload.zipf_exponent=0.1:2:100000",
         "--vary", "memory.workload.write_fraction=0:1:100000", "--vary", "memory.guest_memory_mib=64:100000:100000"],
        ["--vary", "memory.levels=2,3", "--vary", "memory.levels=4"],
    ])
    func badSweepInputsAreLocatedErrorsNotTraps(_ extra: [String]) throws {
        let dir = Self.folder("axes")
        defer { removeTree(dir) }
        let r = try Self.cli(["sweep", "tlb-thrash-native"] + extra + ["-o", "\(dir)/s", "--quiet"])
        #expect(r.status == 2, "\(extra): \(r.status) \(r.stderr)")
        #expect(r.stderr.hasPrefix("virtlab: error:") || r.stderr.contains("Error:"), "\(r.stderr)")
        #expect(!fileExists("\(dir)/s"), "a refused sweep wrote its folder")
    }

    @Test func aKeyVariedTwiceNamesBothPlaces() throws {
        let dir = Self.folder("twice")
        defer { removeTree(dir) }
        try OutputFile.write(text: "sweep:\n  scenario: tlb-thrash-native\n  vary:\n    - memory.levels=2,3\n", to: "\(dir)/s.yaml")
        let r = try Self.cli(["sweep", "\(dir)/s.yaml", "--vary", "memory.levels=4", "-o", "\(dir)/out", "--quiet"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("s.yaml:4") && r.stderr.contains("--vary memory.levels=4"), "\(r.stderr)")
        try OutputFile.write(text: "name: x\ntopic: memory\nmemory:\n  levels: 3\n  levels: 4\n", to: "\(dir)/d.yaml")
        let d = try Self.cli(["run", "\(dir)/d.yaml", "-o", "\(dir)/d.vlt"])
        #expect(d.status == 2)
        #expect(d.stderr.contains("lines 4, 5"), "\(d.stderr)")
        #expect(!fileExists("\(dir)/d.vlt"))
    }

    // MARK: 5 — traces are untrusted input

    /// A trace whose summary holds extreme finite values and whose events end at 2^64 − 1.
    static func hostileTrace(in dir: String) throws -> String {
        let source = try TraceReader(path: try smallTrace(in: dir))
        let events = try source.events()
        let shift = UInt64.max - events.last!.time
        let extremes: [Double] = [1e300, -1.7e308, 5e-324, 1e19, -1e19, 1.7976931348623157e308]
        let metrics = (source.summary ?? []).enumerated().map { i, m in Metric(m.name, extremes[i % extremes.count], m.unit) }
        let path = "\(dir)/hostile.vlt"
        let w = try TraceWriter(path: path, header: source.header)
        for e in events { try w.append(Event(kind: e.kind, time: e.time + shift, fields: e.fields)) }
        try w.close(summary: metrics)
        return path
    }

    @Test func extremeValuesAndTimesNeverCrashAReader() throws {
        let dir = Self.folder("hostile")
        defer { removeTree(dir) }
        let trace = try Self.hostileTrace(in: dir)
        for args in [["inspect", trace], ["inspect", trace, "--json"], ["report", trace, "-o", "\(dir)/r"],
                     ["render", trace, "--chart", "timeline", "-o", "\(dir)/t.png"], ["export", trace, "--format", "chrome", "-o", "\(dir)/c.json"]] {
            let r = try Self.cli(args)
            #expect(r.status == 0 || r.status == 2, "\(args[0]): status \(r.status) \(r.stderr)")
        }
    }

    @Test func nonFiniteResultsAreRefusedByTheWriterAndTheReader() throws {
        let dir = Self.folder("nan")
        defer { removeTree(dir) }
        let source = try TraceReader(path: try Self.smallTrace(in: dir))
        let w = try TraceWriter(path: "\(dir)/nan.vlt", header: source.header)
        #expect(throws: TraceError.self) { try w.close(summary: [Metric("x", .nan, "count")]) }
    }

    // MARK: 6 — damage the CRC cannot see

    /// The bytes of each block of a closed trace, and what is before and after them.
    static func blocks(_ path: String) throws -> (head: [UInt8], blocks: [[UInt8]], tail: [UInt8]) {
        let reader = try TraceReader(path: path)
        let bytes = readFile(path)!
        let footer = try #require(reader.footer)
        let end = Int(footer.summaryOffset != 0 ? footer.summaryOffset : footer.indexOffset)
        let offsets = footer.blocks.map { Int($0.offset) } + [end]
        return (Array(bytes[..<offsets[0]]), (0..<footer.blocks.count).map { Array(bytes[offsets[$0]..<offsets[$0 + 1]]) }, Array(bytes[end...]))
    }

    @Test func swappedDroppedRepeatedAndForeignBlocksAreCaught() throws {
        let dir = Self.folder("blocks")
        defer { removeTree(dir) }
        let trace = try Self.smallTrace(in: dir)
        let (head, blocks, tail) = try Self.blocks(trace)
        try #require(blocks.count >= 3, "the sample trace needs three blocks")
        let foreignPath = try Self.smallTrace(in: dir, seed: 99, name: "other")
        let foreign = try Self.blocks(foreignPath).blocks
        let cases: [(String, [UInt8])] = [
            ("swapped", head + blocks[0] + blocks[2] + blocks[1] + blocks[3...].flatMap { $0 } + tail),
            ("dropped", head + blocks[0] + blocks[2...].flatMap { $0 } + tail),
            ("repeated", head + blocks[0] + blocks[1] + blocks[1...].flatMap { $0 } + tail),
            ("foreign", head + blocks[0] + foreign[1] + blocks[2...].flatMap { $0 } + tail),
            ("concatenated", readFile(trace)! + readFile(foreignPath)!),
            ("cut at a block boundary", head + blocks[0] + blocks[1]),
        ]
        for (what, bytes) in cases {
            let path = "\(dir)/\(what.replacingOccurrences(of: " ", with: "-")).vlt"
            try OutputFile.write(bytes, to: path)
            let strict = try Self.cli(["export", path, "--format", "jsonl", "-o", "\(dir)/out.jsonl"])
            #expect(strict.status == 2, "\(what): strict export exited \(strict.status)")
            #expect(strict.stderr.contains("byte"), "\(what): \(strict.stderr)")
            #expect(!fileExists("\(dir)/out.jsonl"), "\(what): a failed export left its output")
            for args in [["inspect", path, "--salvage"], ["report", path, "--salvage", "-o", "\(dir)/salvaged-\(what.count)"]] {
                let r = try Self.cli(args)
                #expect(r.status == 0 || r.status == 2, "\(what) \(args[0]) --salvage: status \(r.status) \(r.stderr)")
            }
        }
    }

    // MARK: 7 — write errors are failures

    @Test func aFullStandardOutputIsAFailure() throws {
        guard Self.fileType("/dev/full") == S_IFCHR else { return }
        for args in [["scenarios", "show", "fork-heavy-shadow"], ["scenarios", "list"], ["isa", "list"]] {
            let r = try Self.cli(args, stdoutPath: "/dev/full")
            #expect(r.status == 1, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("No space left"), "\(r.stderr)")
        }
        let dir = Self.folder("full")
        defer { removeTree(dir) }
        let trace = try Self.smallTrace(in: dir)
        let e = try Self.cli(["export", trace, "--format", "csv", "-o", "/dev/full"])
        #expect(e.status == 1, "\(e.stderr)")
        #expect(Self.fileType("/dev/full") == S_IFCHR)
    }

    @Test func aRunThatFillsTheDiskFailsAndLeavesNothing() throws {
        let dir = Self.folder("tmpfs")
        defer { removeTree(dir) }
        guard getuid() == 0, system("mount -t tmpfs -o size=256k virtlab-run-test \(dir) 2>/dev/null") == 0 else {
            print("skipped: cannot mount a small tmpfs here")
            return
        }
        defer { _ = system("umount \(dir)") }
        let refused = try Self.cli(["run", "tlb-thrash-nested", "-o", "\(dir)/t.vlt", "--quiet"])
        #expect(refused.status == 2 && refused.stderr.contains("would not fit"), "\(refused.stderr)")
        let run = try Self.cli(["run", "tlb-thrash-nested", "-o", "\(dir)/t.vlt", "--quiet", "--yes"])
        #expect(run.status == 1, "run: \(run.status) \(run.stderr)")
        #expect(run.stderr.contains("No space left"), "\(run.stderr)")
        #expect(directoryNames(dir).isEmpty, "\(directoryNames(dir))")
        // Nearly full: a small PDF no longer fits (it used to be reported written, truncated).
        _ = system("dd if=/dev/zero of=\(dir)/fill bs=1k count=254 2>/dev/null")
        let pdf = try Self.cli(["render", "--chart", "2d-walk", "--format", "pdf", "-o", "\(dir)/walk.pdf"])
        #expect(pdf.status == 1, "render: \(pdf.status) \(pdf.stderr)")
        #expect(directoryNames(dir) == ["fill"], "\(directoryNames(dir))")
    }

    @Test func aKilledRunLeavesNoPartialTraceBehindForLong() throws {
        let exe = try #require(SweepTests.virtlab())
        let dir = Self.folder("killed-run")
        defer { removeTree(dir) }
        func start() throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["run", "tlb-thrash-nested", "-o", "\(dir)/t.vlt", "--quiet", "--yes"]
            try p.run()
            // Until the run has a partial trace of some size.
            for _ in 0..<2_000 {
                if let name = directoryNames(dir).first(where: { $0.hasSuffix(".partial") }), (regularFileSize("\(dir)/\(name)") ?? 0) > 0 { break }
                usleep(5_000)
            }
            return p
        }
        // SIGTERM (and Ctrl-C): the run removes its own partial file before it dies.
        let term = try start()
        #expect(directoryNames(dir).contains { $0.hasSuffix(".partial") }, "the run never started writing")
        kill(term.processIdentifier, SIGTERM)
        term.waitUntilExit()
        #expect(term.terminationReason == .uncaughtSignal)
        #expect(directoryNames(dir).isEmpty, "\(directoryNames(dir))")
        // SIGKILL cannot be caught: the partial file stays until the next write into the folder.
        let killed = try start()
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(directoryNames(dir).count == 1)
        let next = try Self.cli(["scenarios", "show", "net-native"], stdoutPath: nil)
        #expect(next.status == 0)
        try OutputFile.write(text: next.stdout, to: "\(dir)/s.yaml")
        #expect(directoryNames(dir) == ["s.yaml"], "\(directoryNames(dir))")
    }

    @Test func inspectEscapesControlCharactersFromASharedTrace() throws {
        let dir = Self.folder("escape")
        defer { removeTree(dir) }
        let source = try TraceReader(path: try Self.smallTrace(in: dir))
        var header = source.header
        header.metadata = header.metadata.map { $0.key == "scenario_name" ? (key: $0.key, value: "evil\u{1B}]0;pwned\u{07}\u{202E}") : $0 }
        let path = "\(dir)/evil.vlt"
        let w = try TraceWriter(path: path, header: header)
        try source.scan { try w.append($0.owned) }
        try w.close(summary: source.summary ?? [])
        let r = try Self.cli(["inspect", path])
        #expect(r.status == 0)
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(r.stdout.contains("evil\\u{1B}]0;pwned\\u{7}\\u{202E}"), "\(r.stdout.prefix(300))")
    }

    // MARK: 8 — names

    @Test func runsNamedAlikeGetTheirOwnPagesAndReproductionFiles() throws {
        let dir = Self.folder("names")
        defer { removeTree(dir) }
        var traces: [String] = []
        for (i, name) in ["a", "a-3", "a", "a/b", "a_b"].enumerated() {
            let yaml = try CommandTests.small().text.replacingOccurrences(of: "name: tlb-thrash-native", with: "name: \"\(name)\"")
            let s = try ScenarioDecoder.decode(text: yaml, source: name)
            #expect(s.name == name)
            let path = "\(dir)/t\(i).vlt"
            _ = try Runs.simulate(s, to: path)
            traces.append(path)
        }
        let r = try Self.cli(["report"] + traces + ["-o", "\(dir)/cmp"])
        #expect(r.status == 0, "\(r.stderr)")
        let pages = directoryNames("\(dir)/cmp/runs").filter { $0.hasSuffix(".html") }
        let yamls = directoryNames("\(dir)/cmp/runs").filter { $0.hasSuffix(".yaml") }
        #expect(pages.count == 5, "\(pages)")
        #expect(yamls.count == 5, "\(yamls)")
    }

    @Test func controlCharactersAreRefusedInNamesAndEscapedOnTerminals() throws {
        for bad in ["a\u{1B}[31mred", "bell\u{07}", "rtl\u{202E}gnp.exe"] {
            let yaml = "name: \"\(bad.unicodeScalars.map { $0.value < 0x20 ? "\\x" + String($0.value, radix: 16) : String($0) }.joined())\"\ntopic: memory\n"
            #expect(throws: ScenarioError.self, "\(bad)") { try ScenarioDecoder.decode(text: yaml, source: "t") }
        }
        #expect(Format.terminalSafe("a\u{1B}[31m\u{0}b\u{202E}c") == "a\\u{1B}[31m\\u{0}b\\u{202E}c")
        #expect(Format.terminalSafe("plain – ünïcode ✓") == "plain – ünïcode ✓")
    }

    @Test func anEnormousNameStaysCheap() throws {
        let dir = Self.folder("long-name")
        defer { removeTree(dir) }
        var traces: [String] = []
        for i in 0..<2 {
            let source = try TraceReader(path: try Self.smallTrace(in: dir, name: "s\(i)"))
            var header = source.header
            let long = String(repeating: "n", count: 80_000) + "\(i)"
            header.metadata = header.metadata.map { $0.key == "scenario_name" ? (key: $0.key, value: long) : $0 }
            let path = "\(dir)/long\(i).vlt"
            let w = try TraceWriter(path: path, header: header)
            try source.scan { try w.append($0.owned) }
            try w.close(summary: source.summary ?? [])
            traces.append(path)
        }
        let started = Date()
        let r = try Self.cli(["report"] + traces + ["-o", "\(dir)/cmp"])
        print("two-trace comparison with 80 KB names: \(Date().timeIntervalSince(started)) s")
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func aSweepFileNamedDotsIsRefusedNotBuiltIntoTheSiteRoot() throws {
        let dir = Self.folder("dots")
        defer { removeTree(dir) }
        try makeDirectory("\(dir)/sweeps")
        try OutputFile.write(text: "sweep:\n  scenario: net-native\n  vary:\n    - io.requests=200,400\n", to: "\(dir)/sweeps/sweep-...yaml")
        #expect(throws: CourseError.self) {
            _ = try CourseBuilder.build(output: "\(dir)/site", sweeps: "\(dir)/sweeps", presets: Array(SiteTests.tinyPresets.prefix(1)))
        }
        #expect(!fileExists("\(dir)/site"))
    }

    // MARK: 9 — resources

    @Test func aLargeRunIsAnnouncedAndNeedsYes() throws {
        let dir = Self.folder("large")
        defer { removeTree(dir) }
        let yaml = Preset.named("net-native")!.yaml.replacingOccurrences(of: "requests: 200000", with: "requests: 100000000")
        try OutputFile.write(text: yaml, to: "\(dir)/big.yaml")
        let r = try Self.cli(["run", "\(dir)/big.yaml", "-o", "\(dir)/big.vlt"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--yes") && r.stderr.contains("io.requests") && r.stderr.contains("events"), "\(r.stderr)")
        #expect(directoryNames(dir) == ["big.yaml"])
        let sweep = try Self.cli(["sweep", "\(dir)/big.yaml", "--vary", "io.approach=native,emulation", "-o", "\(dir)/s"])
        #expect(sweep.status == 2, "\(sweep.stderr)")
        #expect(!fileExists("\(dir)/s"))
    }

    @Test func theEstimateFollowsTheRun() throws {
        for (preset, key, value) in [("tlb-thrash-nested", "accesses: 2000000", "accesses: 200000"), ("net-paravirtual", "requests: 200000", "requests: 100000")] {
            let yaml = Preset.named(preset)!.yaml.replacingOccurrences(of: key, with: value)
            let s = try ScenarioDecoder.decode(text: yaml, source: preset)
            let cost = try RunCost.estimate(s)
            let dir = Self.folder("estimate")
            defer { removeTree(dir) }
            let (events, _) = try Runs.simulate(s, to: "\(dir)/t.vlt")
            let bytes = Double(regularFileSize("\(dir)/t.vlt")!)
            #expect(cost.events >= Double(events) * 0.7 && cost.events <= Double(events) * 3, "\(preset): estimated \(cost.events), ran \(events)")
            #expect(cost.bytes >= bytes * 0.7 && cost.bytes <= bytes * 3, "\(preset): estimated \(cost.bytes) bytes, wrote \(bytes)")
        }
    }
}

/// Wherever round 1 of pre-copy is drawn short, the figure says why.
@Suite struct FirstRoundNoteTests {
    @Test func aShortFirstRoundIsExplained() throws {
        let dir = ReliabilityTests.folder("round1")
        defer { removeTree(dir) }
        for (skip, explained) in [("yes", true), ("no", false)] {
            let yaml = Preset.named("precopy-busy")!.yaml.replacingOccurrences(of: "skip_redirtied: \"yes\"", with: "skip_redirtied: \"\(skip)\"")
            let s = try ScenarioDecoder.decode(text: yaml, source: "busy")
            let path = "\(dir)/busy-\(skip).vlt"
            _ = try Runs.simulate(s, to: path)
            let caption = try FigureCatalog.chart(.rounds, TraceReader(path: path)).caption()
            #expect(caption.contains("Round 1 sent") == explained, "skip_redirtied \(skip): \(caption)")
        }
    }
}
