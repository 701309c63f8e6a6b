import Dispatch
import Testing
import TestKit
@testable import SafeOutput
#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder under /tmp for one test.
func scratchFolder(_ name: String) -> String {
    let dir = "/tmp/virtlab-safeoutput-\(getpid())-\(name)"
    removeTree(dir)
    mkdir(dir, 0o755)
    return dir
}

func fileType(_ path: String) -> mode_t? {
    var st = stat()
    guard lstat(path, &st) == 0 else { return nil }
    return st.st_mode & S_IFMT
}

func contents(_ path: String) -> String? { readFile(path).map { String(decoding: $0, as: UTF8.self) } }

struct OutputFileTests {
    @Test func newFileAppearsWholeAndNoTemporaryIsLeft() throws {
        let dir = scratchFolder("new")
        try OutputFile.write(text: "hello", to: "\(dir)/a.txt")
        expectEqual(contents("\(dir)/a.txt"), "hello")
        expectEqual(directoryNames(dir), ["a.txt"])
    }

    @Test func aFailedBodyLeavesNothingUnderTheFinalNameAndKeepsTheOldFile() throws {
        let dir = scratchFolder("fail")
        try OutputFile.write(text: "old", to: "\(dir)/a.txt")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try OutputFile.writing("\(dir)/a.txt") { f in
                try f.write("new, half written")
                throw Boom()
            }
        }
        expectEqual(contents("\(dir)/a.txt"), "old")
        expectEqual(directoryNames(dir), ["a.txt"])
    }

    @Test func aReplacedFileKeepsItsPermissions() throws {
        let dir = scratchFolder("mode")
        try OutputFile.write(text: "v1", to: "\(dir)/run.sh")
        chmod("\(dir)/run.sh", 0o750)
        try OutputFile.write(text: "v2", to: "\(dir)/run.sh")
        var st = stat()
        stat("\(dir)/run.sh", &st)
        expectEqual(st.st_mode & 0o7777, 0o750)
        expectEqual(contents("\(dir)/run.sh"), "v2")
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let dir = scratchFolder("link")
        try OutputFile.write(text: "target before", to: "\(dir)/target.csv")
        symlink("\(dir)/target.csv", "\(dir)/link.csv")
        try OutputFile.write(text: "through the link", to: "\(dir)/link.csv")
        expectEqual(fileType("\(dir)/link.csv"), S_IFLNK)
        expectEqual(contents("\(dir)/target.csv"), "through the link")
    }

    @Test func aDanglingLinkAFolderAndASocketAreRefused() throws {
        let dir = scratchFolder("refuse")
        symlink("\(dir)/nowhere", "\(dir)/dangling")
        #expect(throws: OutputError.self) { try OutputFile.write(text: "x", to: "\(dir)/dangling") }
        expectEqual(fileType("\(dir)/dangling"), S_IFLNK)
        #expect(throws: OutputError.self) { try OutputFile.write(text: "x", to: dir) }
        let s = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = "\(dir)/sock"
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if bound == 0 {
            #expect(throws: OutputError.badPath("\(path) is a socket; name a file")) { try OutputFile.write(text: "x", to: path) }
            expectEqual(fileType(path), S_IFSOCK)
        }
    }

    @Test func aMissingFolderIsTheUsersToFix() {
        #expect(throws: OutputError.self) { try OutputFile.write(text: "x", to: "/tmp/no-such-folder-\(getpid())/a.txt") }
        do { try OutputFile.write(text: "x", to: "/tmp/no-such-folder-\(getpid())/a.txt") } catch let e as OutputError {
            guard case .badPath = e else { Issue.record("a missing folder is bad input, got \(e)"); return }
        } catch { Issue.record("\(error)") }
    }

    @Test func aFIFOIsWrittenThroughNotReplaced() throws {
        let dir = scratchFolder("fifo")
        let fifo = "\(dir)/pipe"
        expectEqual(mkfifo(fifo, 0o644), 0)
        let received = ReceivedBytes()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let fd = open(fifo, O_RDONLY)
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n <= 0 { break }
                received.append(Array(buf[0..<n]))
            }
            close(fd)
        }
        let f = try OutputFile.open(fifo)
        expectEqual(f.kind, .passThrough)
        try f.write("through the pipe")
        try f.commit()
        group.wait()
        expectEqual(String(decoding: received.bytes, as: UTF8.self), "through the pipe")
        expectEqual(fileType(fifo), S_IFIFO)
    }

    @Test func aCharacterDeviceIsWrittenThroughNotReplaced() throws {
        let dir = scratchFolder("device")
        let node = "\(dir)/null"
        // A private /dev/null (major 1, minor 3): never the system's. Needs root (CI runs as root).
        guard mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 else {
            print("skipped: cannot mknod here (\(String(cString: strerror(errno))))")
            return
        }
        let f = try OutputFile.open(node)
        expectEqual(f.kind, .passThrough)
        try f.write([UInt8](repeating: 7, count: 100_000))
        try f.commit()
        expectEqual(fileType(node), S_IFCHR)
        // A symbolic link to the device: written through as well.
        symlink(node, "\(dir)/to-null")
        try OutputFile.write(text: "x", to: "\(dir)/to-null")
        expectEqual(fileType(node), S_IFCHR)
        expectEqual(fileType("\(dir)/to-null"), S_IFLNK)
        expectEqual(directoryNames(dir), ["null", "to-null"])
    }

    @Test func standardStreamsAreRecognised() throws {
        for path in ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            let f = try OutputFile.open(path)
            expectEqual(f.kind, .standardStream)
            expectEqual(f.fd, 1)
            f.abandon()
        }
        expectEqual(OutputFile.standardStream("/dev/stderr"), 2)
        expectEqual(OutputFile.standardStream("out.csv"), nil)
    }

    @Test func aDeadProcesssTemporaryFileIsRemovedByTheNextWrite() throws {
        let dir = scratchFolder("dead")
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        // Made by hand: the first write of this process into the folder sweeps it.
        let stale = "\(dir)/.t.vlt.\(dead)-1.partial", staleOther = "\(dir)/.x.csv.\(dead)-7.partial"
        let alive = "\(dir)/.t.vlt.1-1.partial" // pid 1 always exists: kept
        for path in [stale, staleOther, alive] { close(open(path, O_WRONLY | O_CREAT, 0o644)) }
        try OutputFile.write(text: "whole", to: "\(dir)/t.vlt")
        expectEqual(directoryNames(dir), [".t.vlt.1-1.partial", "t.vlt"])
    }

    @Test func twoConcurrentWritersLeaveOneWholeFile() throws {
        let dir = scratchFolder("concurrent")
        let path = "\(dir)/same.vlt"
        let a = [UInt8](repeating: 0x61, count: 3 << 20), b = [UInt8](repeating: 0x62, count: 3 << 20)
        let group = DispatchGroup()
        for bytes in [a, b] {
            DispatchQueue.global().async(group: group) { try? OutputFile.write(bytes, to: path) }
        }
        group.wait()
        let result = readFile(path) ?? []
        #expect(result == a || result == b)
        expectEqual(directoryNames(dir), ["same.vlt"])
    }

    @Test func aFullDiskIsAFailureAndLeavesNothing() throws {
        let dir = scratchFolder("full")
        guard getuid() == 0, system("mount -t tmpfs -o size=64k virtlab-test \(dir) 2>/dev/null") == 0 else {
            print("skipped: cannot mount a small tmpfs here (needs root and mount permission)")
            return
        }
        defer { _ = system("umount \(dir)") }
        do {
            try OutputFile.write([UInt8](repeating: 1, count: 1 << 20), to: "\(dir)/big.bin")
            Issue.record("a 1 MiB write into a 64 KiB file system succeeded")
        } catch let e as OutputError {
            guard case let .failed(message) = e else { Issue.record("ENOSPC is a failure (exit 1), got \(e)"); return }
            expectContains(message, "\(dir)/big.bin")
            expectContains(message, "No space left")
        }
        #expect(directoryNames(dir).isEmpty)
    }

    @Test func theFullDeviceFailsAWrite() throws {
        guard fileType("/dev/full") == S_IFCHR else { return }
        let f = try OutputFile.open("/dev/full")
        #expect(throws: OutputError.self) { try f.write("x") }
        expectEqual(fileType("/dev/full"), S_IFCHR)
    }

    @Test func failedWriteLeavesNothingUnderTheFinalName() throws {
        let dir = scratchFolder("atomic")
        defer { removeTree(dir) }
        let target = dir + "/t.vlt"
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try OutputFile.writing(target) { file in
                try file.write([1, 2, 3])
                throw Boom()
            }
        }
        expectEqual(regularFileSize(target), nil)
        let (folder, base) = splitPath(target)
        #expect(!directoryNames(folder).contains { $0.hasPrefix(".\(base).") }, "no temporary file left beside the target")
    }
}

final class ReceivedBytes: @unchecked Sendable {
    private(set) var bytes: [UInt8] = []
    func append(_ b: [UInt8]) { bytes += b }
}
