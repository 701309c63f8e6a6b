import Course
import Foundation
import SafeOutput
import Simulation

/// What the Course and command tests share (a library target under Tests/, not a test target):
/// the checkout, scratch folders, the built `virtlab`, small scenarios and a site checker.
package enum TestFixtures {
    /// The checkout: Tests/Support/TestFixtures.swift → ../..
    package static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A fresh, empty folder under the temporary directory; the caller removes it.
    package static func folder(_ tag: String) -> String {
        let dir = NSTemporaryDirectory() + "virtlab-test-\(tag)-\(UUID().uuidString)"
        try? makeDirectory(dir)
        return dir
    }

    /// A path under the temporary directory that does not exist yet (for outputs that must be new).
    package static func freshPath(_ tag: String) -> String {
        NSTemporaryDirectory() + "virtlab-test-\(tag)-\(UUID().uuidString)"
    }

    /// The built `virtlab` beside the test bundle.
    package static func virtlab() -> String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("virtlab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs a shell command line (as a user would paste it) in `dir`, with the built virtlab
    /// first on PATH; its exit status (127 when there is no built virtlab).
    package static func shell(_ line: String, in dir: String) throws -> Int32 {
        guard let exe = virtlab() else { return 127 }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", line]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ["PATH": splitPath(exe).0 + ":/usr/bin:/bin", "VIRTLAB_TEMPLATES": repoRoot + "/Templates"]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// A 50,000-access native TLB run over 8 MiB: a run takes milliseconds.
    package static func smallMemory(_ name: String = "test") throws -> Scenario {
        let yaml = Preset.named(.tlbThrashNative).yaml
            .replacingOccurrences(of: "accesses: 2000000", with: "accesses: 50000").replacingOccurrences(of: "working_set_mib: 512", with: "working_set_mib: 8")
            .replacingOccurrences(of: "counter_interval: 65536", with: "counter_interval: 5000")
        return try ScenarioDecoder.decode(text: yaml, source: name)
    }

    /// A 64 MiB pre-copy migration: a run takes milliseconds.
    package static func smallMigration() throws -> Scenario {
        let yaml = Preset.named(.precopyModerate).yaml
            .replacingOccurrences(of: "memory_mib: 2048", with: "memory_mib: 64")
            .replacingOccurrences(of: "hot_pages: 16384", with: "hot_pages: 1024")
        return try ScenarioDecoder.decode(text: yaml, source: "sweep-test")
    }

    /// Every preset of every topic, shrunk to run in milliseconds.
    package static let allTinyPresets: [Preset] = Preset.all.map { p in
        var o = tinyPresets.first { $0.name == p.name }?.overrides ?? p.overrides
        switch p.topic {
        case .cpu: o["cpu.workload.instructions"] = .integer(50_000)
        case .io: o["io.requests"] = .integer(2_000)
        default: break
        }
        return Preset(name: p.name, topic: p.topic, summary: p.summary, seed: p.seed, overrides: o)
    }

    /// Every memory and migration preset, shrunk to run in milliseconds; CPU and I/O left out so
    /// their topic pages must say they are pending.
    package static let tinyPresets: [Preset] = Preset.all.compactMap { p in
        var o = p.overrides
        switch p.topic {
        case .memory:
            o["memory.workload.accesses"] = .integer(20_000)
            o["memory.workload.working_set_mib"] = .integer(p.name.contains("thrash") ? 16 : 2)
            o["memory.os.fork_every"] = o["memory.os.fork_every"] == nil ? nil : .integer(5_000)
            o["memory.os.fork_child_accesses"] = o["memory.os.fork_child_accesses"] == nil ? nil : .integer(500)
        case .migration:
            o["migration.vm.memory_mib"] = .integer(64)
            o["migration.workload.hot_pages"] = .integer(1_024)
            o["migration.vm.disk_gib"] = .integer(1)
        default:
            return nil
        }
        return Preset(name: p.name, topic: p.topic, summary: p.summary, seed: p.seed, overrides: o)
    }

    /// A small memory scenario with a hostile name and description.
    package static func hostileTrace(_ path: String, seed: UInt64 = 1) throws {
        let yaml = Preset.named(.tlbThrashShadow).yaml
            .replacingOccurrences(of: "accesses: 2000000", with: "accesses: 30000").replacingOccurrences(of: "working_set_mib: 512", with: "working_set_mib: 8")
            // Cold, so that shadow paging's first touches give the comparison something to chart.
            .replacingOccurrences(of: "warmup: touch", with: "warmup: none")
        var s = try ScenarioDecoder.decode(text: yaml, source: "hostile")
        s.name = "<script>alert(1)</script>"
        s.description = "<img src=x onerror=alert(2)> & \"quotes\""
        s.seed = seed
        _ = try Runs.simulate(s, to: path)
    }

    /// All files under a folder, relative paths, sorted.
    package static func files(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { !isDirectory("\(root)/\($0)") }.sorted()
    }

    /// Checks every page: links and images resolve, images have alt text, a title, one h1 first and
    /// no skipped heading levels, tables with headers, and balanced tags. Returns the problems.
    package static func checkPages(_ root: String) -> [String] {
        var problems: [String] = []
        let voids: Set<String> = ["meta", "link", "img", "source", "br", "hr", "input"]
        for page in files(root) where page.hasSuffix(".html") {
            let html = String(decoding: readFile("\(root)/\(page)")!, as: UTF8.self)
            let base = (page as NSString).deletingLastPathComponent
            if !html.hasPrefix("<!DOCTYPE html>") { problems.append("\(page): no doctype") }
            if html.range(of: "<title>[^<]+</title>", options: .regularExpression) == nil { problems.append("\(page): no title") }
            // Tags in order.
            var stack: [String] = [], level = 0, h1s = 0
            let tagPattern = try! NSRegularExpression(pattern: "<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
            let ns = html as NSString
            for m in tagPattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
                let closing = ns.substring(with: m.range(at: 1)) == "/"
                let name = ns.substring(with: m.range(at: 2)).lowercased()
                let attrs = ns.substring(with: m.range(at: 3))
                if !closing {
                    if name.count == 2, name.hasPrefix("h"), let n = Int(name.dropFirst()) {
                        if n == 1 { h1s += 1 }
                        if n > level + 1 { problems.append("\(page): <\(name)> after h\(level)") }
                        level = n
                    }
                    if name == "img" {
                        if attrs.range(of: "alt=\"[^\"]+\"", options: .regularExpression) == nil { problems.append("\(page): img without alt") }
                    }
                    for attr in ["href", "src", "srcset"] {
                        guard let r = attrs.range(of: " \(attr)=\"[^\"]*\"", options: .regularExpression) else { continue }
                        var target = String(attrs[r].dropFirst(attr.count + 3).dropLast())
                        if target.hasPrefix("data:") { continue }
                        if target.hasPrefix("http:") || target.hasPrefix("https:") || target.hasPrefix("//") {
                            problems.append("\(page): external resource \(target)")
                            continue
                        }
                        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
                        if target.isEmpty { continue }
                        let resolved = ((base.isEmpty ? root : "\(root)/\(base)") as NSString).appendingPathComponent(target)
                        if !FileManager.default.fileExists(atPath: resolved) { problems.append("\(page): broken \(attr) \(target)") }
                    }
                    if !voids.contains(name) { stack.append(name) }
                } else if stack.last == name {
                    stack.removeLast()
                } else {
                    problems.append("\(page): </\(name)> closes <\(stack.last ?? "nothing")>")
                    break
                }
            }
            if !stack.isEmpty { problems.append("\(page): unclosed \(stack)") }
            if h1s != 1 { problems.append("\(page): \(h1s) h1 headings") }
            let tables = html.components(separatedBy: "<table").count - 1
            let headed = html.components(separatedBy: "<thead><tr><th scope=\"col\">").count - 1
            if tables != headed { problems.append("\(page): \(tables - headed) tables without column headers") }
        }
        return problems
    }
}
