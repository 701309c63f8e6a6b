import Archive
import SafeOutput
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// `virtlab query`: SQL over one trace or many, through the SQLite database `SQLiteExport`
/// writes. The database is cached per set of traces in the user's cache folder (never beside
/// the traces: a sweep folder or a read-only course stays as it is), named by a hash of what
/// it was built from — each trace's name, size and CRC-32 of every byte — so a changed trace
/// is never answered from an old database. The query runs on a read-only connection.
package enum TraceQuery {
    /// One trace and the name its rows carry in the `run` column.
    package struct Input: Equatable, Sendable {
        package var path: String
        package var run: String

        package init(path: String, run: String) {
            self.path = path
            self.run = run
        }
    }

    /// Output formats of a query's rows.
    package enum Format: String, CaseIterable, Sendable { case table, csv, json }

    /// Expands the command line's files and folders into traces: a folder stands for the
    /// `.vlt` files directly in it (a sweep folder, a course's runs), in name order. Runs are
    /// named by file name without `.vlt`; when two inputs share a name, by the path as given.
    package static func inputs(_ arguments: [String]) throws -> [Input] {
        var paths: [String] = []
        for a in arguments {
            if isDirectory(a) {
                let found = directoryNames(a).filter { $0.hasSuffix(".vlt") && !$0.hasPrefix(".") }.sorted()
                guard !found.isEmpty else { throw ExportError.badInput("\(a) is a folder with no .vlt traces in it; name traces or a sweep folder") }
                paths += found.map { (a.hasSuffix("/") ? a : a + "/") + $0 }
            } else {
                guard fileExists(a) else { throw ExportError.badInput("\(a): no such trace or folder") }
                paths.append(a)
            }
        }
        guard !paths.isEmpty else { throw ExportError.badInput("name at least one trace or sweep folder before the SQL") }
        func stem(_ p: String) -> String {
            let base = String(p.split(separator: "/").last ?? Substring(p))
            return base.hasSuffix(".vlt") ? String(base.dropLast(4)) : base
        }
        var seen: [String: Int] = [:]
        for p in paths { seen[stem(p), default: 0] += 1 }
        var inputs: [Input] = []
        var used = Set<String>()
        for p in paths where used.insert(p).inserted {
            inputs.append(Input(path: p, run: seen[stem(p)]! > 1 ? p : stem(p)))
        }
        return inputs
    }

    /// Where cached databases live: `$VIRTLAB_CACHE_DIR`, else `$XDG_CACHE_HOME/virtlab`, else
    /// `~/.cache/virtlab`; nil when none can be named.
    package static func cacheFolder() -> String? {
        func env(_ k: String) -> String? { getenv(k).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        if let d = env("VIRTLAB_CACHE_DIR") { return d + "/query" }
        if let d = env("XDG_CACHE_HOME") { return d + "/virtlab/query" }
        if let h = env("HOME") { return h + "/.cache/virtlab/query" }
        return nil
    }

    /// How many databases the cache keeps (the least recently used go first).
    package static let cacheEntries = 16

    /// What a database for `inputs` is built from, as text stored in the database: a format
    /// line, then one line per trace with its run name, size and the CRC-32 of its bytes.
    package static func cacheKey(_ inputs: [Input], salvage: Bool) throws -> String {
        var key = "virtlab-sqlite 1\(salvage ? " salvage" : "")\n"
        for i in inputs {
            let (size, crc) = try fingerprint(i.path)
            key += "\(i.run)\t\(size)\t\(String(crc, radix: 16))\n"
        }
        return key
    }

    /// The size and CRC-32 of a file, read in 1 MiB pieces.
    static func fingerprint(_ path: String) throws -> (UInt64, UInt32) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ExportError.badInput("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var crc: UInt32 = 0, size: UInt64 = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ExportError.badInput("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            crc = chunk.withUnsafeBytes { ZipWriter.crc32(UnsafeRawBufferPointer(rebasing: $0[0..<n]), continuing: crc) }
            size += UInt64(n)
        }
        return (size, crc)
    }

    /// Builds the database of `inputs` at `path` (through a temporary file: complete or
    /// absent), with the events of every kind or only of `kinds`.
    package static func build(_ inputs: [Input], salvage: Bool, key: String?, kinds: Set<String>? = nil, to path: String) throws {
        let file = try OutputFile.open(path, durable: false)
        guard file.kind == .atomic, let temporary = file.temporaryPath else {
            file.abandon()
            throw ExportError.badInput("\(path): an SQLite database must be a regular file (not standard output, a device or a pipe)")
        }
        do {
            // SQLite writes the temporary file itself; the OutputFile only names, syncs and renames it.
            let export = try SQLiteExport(path: temporary)
            for i in inputs {
                try export.add(try TraceReader(path: i.path, mode: salvage ? .salvage : .strict), run: i.run, only: kinds)
            }
            try export.finish()
            if let key { try export.setCacheKey(key) }
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }

    /// The event kinds `sql` reads, found by compiling it against the traces' schemas (headers
    /// only, nothing loaded): a mistake in the SQL is reported before any work.
    package static func kindsRead(by sql: String, inputs: [Input], salvage: Bool) throws -> Set<String> {
        let skeleton = try SQLiteExport(path: ":memory:")
        for i in inputs {
            try skeleton.add(try TraceReader(path: i.path, mode: salvage ? .salvage : .strict), run: i.run, only: [], eventsToo: false)
        }
        try skeleton.finish()
        return try skeleton.kindsRead(by: sql)
    }

    /// The database to query `sql` over `inputs`, holding the events of the kinds the query
    /// reads: a cached one when its key matches and it holds those kinds; else one built now
    /// (into the cache — with the kinds it held before — when the cache folder can be written,
    /// else into a temporary file the caller removes).
    /// - Parameter cache: the cache folder (default: `cacheFolder()`, from the environment).
    package static func database(for inputs: [Input], sql: String, salvage: Bool, useCache: Bool,
                                 cache: String? = cacheFolder()) throws -> (path: String, temporary: Bool) {
        let needed = try kindsRead(by: sql, inputs: inputs, salvage: salvage)
        let key = try cacheKey(inputs, salvage: salvage)
        if useCache, let folder = cache, (try? makeDirectory(folder)) != nil {
            let name = String(CRC32C.checksum(Array(key.utf8)), radix: 16) + "-" + String(fnv1a(key), radix: 16)
            let path = "\(folder)/\(name).sqlite"
            var kinds = needed
            if fileExists(path), (try? storedKey(path)) == key, let held = try? Optional(loadedKinds(path)) {
                guard let held, !needed.isSubset(of: held) else {
                    utime(path, nil) // most recently used
                    return (path, false)
                }
                kinds.formUnion(held)
            }
            if (try? build(inputs, salvage: salvage, key: key, kinds: kinds, to: path)) != nil {
                trimCache(folder)
                return (path, false)
            }
        }
        let temp = temporaryFolder() + "/virtlab-query-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        try build(inputs, salvage: salvage, key: key, kinds: needed, to: temp)
        return (temp, true)
    }

    /// The kinds whose events a database holds: nil for all.
    static func loadedKinds(_ path: String) throws -> Set<String>? {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let s = try db.prepare("SELECT kind FROM loaded_kinds")
        var kinds = Set<String>()
        while try s.step() {
            if case let .text(k) = s.value(0) {
                if k == "*" { return nil }
                kinds.insert(k)
            }
        }
        return kinds
    }

    static func storedKey(_ path: String) throws -> String? {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let s = try db.prepare("SELECT key FROM cache_key")
        guard try s.step(), case let .text(k) = s.value(0) else { return nil }
        return k
    }

    /// Keeps the `cacheEntries` most recently used databases.
    static func trimCache(_ folder: String) {
        var entries: [(String, Int)] = []
        for name in directoryNames(folder) where name.hasSuffix(".sqlite") {
            var st = stat()
            if stat("\(folder)/\(name)", &st) == 0 { entries.append(("\(folder)/\(name)", st.st_mtim.tv_sec)) }
        }
        guard entries.count > cacheEntries else { return }
        for (path, _) in entries.sorted(by: { $0.1 > $1.1 }).dropFirst(cacheEntries) { unlink(path) }
    }

    static func temporaryFolder() -> String {
        getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Runs one read-only statement on the database at `path` and prints its rows.
    /// - Returns: the number of rows.
    /// - Throws: `ExportError.badInput` with the engine's message for invalid SQL or a statement that writes.
    @discardableResult
    package static func run(_ sql: String, database path: String, format: Format, to out: FileHandleOutput, tableLimit: Int = 10_000) throws -> Int {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let s = try db.prepare(sql)
        guard s.isReadOnly else { throw ExportError.writingQuery(sql) }
        let names = (0..<s.columnCount).map(s.columnName)
        var rows = 0
        switch format {
        case .csv:
            out.append(names.map(ExportText.csv).joined(separator: ",") + "\n")
            while try s.step() {
                out.append((0..<names.count).map { cell(s.value($0), csv: true) }.joined(separator: ",") + "\n")
                rows += 1
                try out.flushIfFull()
            }
        case .json:
            out.append("[")
            let keys = names.map { ExportText.json($0) + ": " }
            while try s.step() {
                out.append(rows == 0 ? "\n{" : ",\n{")
                for i in 0..<names.count { out.append((i > 0 ? ", " : "") + keys[i] + json(s.value(i))) }
                out.append("}")
                rows += 1
                try out.flushIfFull()
            }
            out.append(rows == 0 ? "]\n" : "\n]\n")
        case .table:
            var cells: [[String]] = [], numeric = [Bool](repeating: true, count: names.count)
            var more = 0
            while try s.step() {
                rows += 1
                guard cells.count < tableLimit else { more += 1; continue }
                var row: [String] = []
                for i in 0..<names.count {
                    let v = s.value(i)
                    if case .text = v { numeric[i] = false }
                    row.append(cell(v, csv: false))
                }
                cells.append(row)
            }
            let widths = names.indices.map { i in cells.reduce(names[i].count) { max($0, $1[i].count) } }
            func line(_ r: [String]) -> String {
                r.indices.map { i in
                    let pad = String(repeating: " ", count: widths[i] - r[i].count)
                    return numeric[i] ? pad + r[i] : r[i] + pad
                }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            }
            out.append(line(names))
            out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
            for r in cells { out.append(line(r)); try out.flushIfFull() }
            out.append("(\(rows) row\(rows == 1 ? "" : "s")\(more > 0 ? "; the first \(tableLimit) shown — use --format csv for all" : ""))\n")
        }
        return rows
    }

    /// A value as table or CSV text: integers exactly, reals in the shortest form that reads back.
    static func cell(_ v: SQLiteStatement.Value, csv: Bool) -> String {
        switch v {
        case .null: csv ? "" : "NULL"
        case let .integer(i): String(i)
        case let .real(d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) + (csv ? "" : ".0") : d.description
        case let .text(t): csv ? ExportText.csv(t) : t.unicodeScalars.contains { $0.value < 0x20 } ? ExportText.json(t) : t
        case let .blob(n): "<\(n) bytes>"
        }
    }

    static func json(_ v: SQLiteStatement.Value) -> String {
        switch v {
        case .null: "null"
        case let .integer(i): String(i)
        case let .real(d): d.isFinite ? d.description : "null"
        case let .text(t): ExportText.json(t)
        case let .blob(n): "\"<\(n) bytes>\""
        }
    }
}

extension String {
    /// The string without spaces at its end (a table's last column is not padded).
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
