import CSQLite
import Simulation
import TraceFormat
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

/// Traces → one SQLite database: a table per event kind with typed columns, and the tables
/// about each run (see docs/analysis.md for the layout and example queries).
///
/// Several traces go into one database; every table has a `run` column (the trace's name)
/// that tells them apart. Events are inserted through one prepared statement per kind inside
/// one transaction per trace, with the journal off (the file is a temporary until it is
/// complete, so a crash leaves nothing to recover); indexes are built once at the end.
package final class SQLiteExport {
    /// Tables VirtLab writes besides the event tables; an event kind of the same name gets
    /// the table `event_NAME` instead.
    package static let runTables = ["runs", "metadata", "results", "scenario", "kinds", "exit_reasons", "cache_key", "loaded_kinds"]

    let db: SQLiteDatabase
    /// Event table → its columns in order (run, time_ns, start_ns for intervals (generated), fields…).
    private var tables: [String: [String]] = [:]
    private var tableOrder: [String] = []
    private(set) package var events: UInt64 = 0

    /// Creates the run tables in a new database at `path`.
    package init(path: String) throws {
        db = try SQLiteDatabase(path: path, readOnly: false)
        try db.execute("""
        PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
        PRAGMA cache_size = -65536;
        CREATE TABLE runs (run TEXT PRIMARY KEY, path TEXT, topic TEXT, scenario_name TEXT, seed INTEGER,
                           writer_version TEXT, events INTEGER, first_ns INTEGER, last_ns INTEGER, trace_bytes INTEGER);
        CREATE TABLE metadata (run TEXT, key TEXT, value TEXT);
        CREATE TABLE results (run TEXT, metric TEXT, value REAL, unit TEXT);
        CREATE TABLE scenario (run TEXT, key TEXT, value, type TEXT, is_default INTEGER);
        CREATE TABLE kinds (run TEXT, kind TEXT, "table" TEXT, category TEXT, shape TEXT, events INTEGER);
        CREATE TABLE exit_reasons (run TEXT, reason TEXT, exits INTEGER, total_ns INTEGER, mean_ns REAL, max_ns INTEGER);
        """)
    }

    /// The kinds whose events are in the database (nil: every kind of every trace).
    private(set) package var loadedKinds: Set<String>?

    /// Adds the run tables of one trace under the name `run`, and the events of every kind
    /// (or only of the kinds named in `only`; the other kinds' tables are created empty, and
    /// `loaded_kinds` says which hold events). `eventsToo: false` reads only the header (a
    /// schema for checking a query before anything is loaded).
    /// - Throws: `TraceError` for a damaged trace (strict readers), `ExportError` for a name
    ///   already used or a database failure.
    package func add(_ reader: TraceReader, run: String, only: Set<String>? = nil, eventsToo: Bool = true) throws {
        if let only { loadedKinds = (loadedKinds ?? []).union(only) }
        let header = reader.header
        let kinds = header.schema.kinds
        try db.execute("BEGIN")
        let exists = try db.prepare("SELECT 1 FROM runs WHERE run = ?1")
        exists.bind(text: run, at: 1)
        guard try !exists.step() else { throw ExportError.badInput("two traces are both named \(run); give them different file names") }

        // Tables and one INSERT per kind.
        var tableNames: [String] = []
        var inserts: [Batch?] = []
        var binders: [[FieldBinder]] = []
        let strings = CStrings(header.strings)
        var enumTexts: [CStrings] = []
        for kind in kinds {
            let table = Self.table(forKind: kind.name)
            var columns = ["run", "time_ns"]
            var types = ["TEXT", "INTEGER"]
            // An interval's start, computed when read (a generated column costs no space or insert time).
            let duration = kind.shape == .interval ? kind.durationIndex : nil
            if duration != nil { columns.append("start_ns"); types.append("") }
            var fieldBinders: [FieldBinder] = []
            for f in kind.fields {
                var name = f.name
                while columns.contains(name) { name += "_field" }
                columns.append(name)
                switch f.type {
                case .unsigned, .duration:
                    types.append("INTEGER")
                    fieldBinders.append(.unsigned)
                case .signed:
                    types.append("INTEGER")
                    fieldBinders.append(.signed)
                case let .enumeration(values):
                    types.append("TEXT")
                    enumTexts.append(CStrings(values))
                    fieldBinders.append(.text(enumTexts.count - 1))
                case .string:
                    types.append("TEXT")
                    fieldBinders.append(.string)
                }
            }
            if let d = duration, let i = columns.firstIndex(of: "start_ns") {
                let name = Self.quote(columns[columns.count - kind.fields.count + d])
                types[i] = "INTEGER GENERATED ALWAYS AS (CASE WHEN time_ns >= \(name) THEN time_ns - \(name) ELSE 0 END) VIRTUAL"
            }
            try createOrExtend(table, columns: columns, types: types)
            let stored = columns.filter { $0 != "start_ns" || duration == nil }
            tableNames.append(table)
            if only?.contains(kind.name) ?? true {
                inserts.append(try Batch(db: db, table: table, columns: stored, run: run, rows: Batch.rows))
            } else {
                inserts.append(nil)
            }
            binders.append(fieldBinders)
        }

        // The events: one pass, one bound INSERT each.
        var counts = [UInt64](repeating: 0, count: kinds.count)
        var first: UInt64?, last: UInt64 = 0
        // Exit statistics as the events go by (a GROUP BY afterwards sorts every exit).
        var exits = ExitTally(kinds, loaded: { inserts[$0] != nil })
        if eventsToo { try reader.scan { e in
            counts[e.position] += 1
            if first == nil { first = e.time }
            last = e.time
            guard let batch = inserts[e.position] else { return }
            exits.add(e)
            // Rows are bound into a multi-row INSERT and run Batch.rows at a time (one statement
            // step per batch instead of per event).
            Self.bindRow(batch.statement, row: batch.filled, width: batch.width, time: e.time, binders: binders[e.position],
                         enumTexts: enumTexts, strings: strings) { e.fields[$0] }
            batch.rowAdded(time: e.time, fields: e.fields)
            if batch.filled == Batch.rows { try batch.flushFull() }
        } }
        // The last rows of each kind: a statement of exactly that many rows, bound again from the batch's copy.
        for (p, batch) in inserts.enumerated() {
            guard let batch, batch.filled > 0 else { continue }
            let rest = try Batch(db: db, table: tableNames[p], columns: batch.columns, run: run, rows: batch.filled)
            let fb = binders[p]
            for r in 0..<batch.filled {
                Self.bindRow(rest.statement, row: r, width: batch.width, time: batch.pendingTimes[r], binders: fb,
                             enumTexts: enumTexts, strings: strings) { batch.pendingFields[r * fb.count + $0] }
            }
            try rest.statement.step()
        }
        let total = counts.reduce(0, +)
        events += total

        // The run tables.
        let runRow = try db.prepare("INSERT INTO runs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        runRow.bind(text: run, at: 1)
        runRow.bind(text: reader.path, at: 2)
        runRow.bind(text: header[metadata: "topic"] ?? "", at: 3)
        runRow.bind(text: header[metadata: "scenario_name"] ?? "", at: 4)
        runRow.bind(unsigned: header.seed, at: 5)
        runRow.bind(text: header.writerVersion, at: 6)
        runRow.bind(unsigned: total, at: 7)
        if let first { runRow.bind(unsigned: first, at: 8); runRow.bind(unsigned: last, at: 9) } else { runRow.bindNull(at: 8); runRow.bindNull(at: 9) }
        runRow.bind(unsigned: reader.fileSize, at: 10)
        try runRow.step()

        let meta = try db.prepare("INSERT INTO metadata VALUES (?1, ?2, ?3)")
        meta.bind(text: run, at: 1)
        for (k, v) in [("writer_version", header.writerVersion), ("clock_unit", header.clockUnit), ("seed", String(header.seed))] + header.metadata.map({ ($0.key, $0.value) }) {
            meta.bind(text: k, at: 2)
            meta.bind(text: v, at: 3)
            try meta.step()
            meta.reset()
        }

        let results = try db.prepare("INSERT INTO results VALUES (?1, ?2, ?3, ?4)")
        results.bind(text: run, at: 1)
        for m in reader.summary ?? [] {
            results.bind(text: m.name, at: 2)
            results.bind(double: m.value, at: 3)
            results.bind(text: m.unit, at: 4)
            try results.step()
            results.reset()
        }

        let scenario = try db.prepare("INSERT INTO scenario VALUES (?1, ?2, ?3, ?4, ?5)")
        scenario.bind(text: run, at: 1)
        for row in ResolvedScenario.rows(header) {
            scenario.bind(text: row.key, at: 2)
            switch row.value {
            case let .integer(v): scenario.bind(int: v, at: 3)
            case let .real(v): scenario.bind(double: v, at: 3)
            case let .text(v): scenario.bind(text: v, at: 3)
            }
            scenario.bind(text: row.type, at: 4)
            scenario.bind(int: row.isDefault ? 1 : 0, at: 5)
            try scenario.step()
            scenario.reset()
        }

        let exitRow = try db.prepare("INSERT INTO exit_reasons VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        exitRow.bind(text: run, at: 1)
        for r in exits.rows {
            exitRow.bind(text: r.reason, at: 2)
            exitRow.bind(unsigned: r.exits, at: 3)
            exitRow.bind(unsigned: r.total, at: 4)
            exitRow.bind(double: Double(r.total) / Double(r.exits), at: 5)
            exitRow.bind(unsigned: r.max, at: 6)
            try exitRow.step()
            exitRow.reset()
        }

        let kindRow = try db.prepare("INSERT INTO kinds VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        kindRow.bind(text: run, at: 1)
        for (i, k) in kinds.enumerated() {
            kindRow.bind(text: k.name, at: 2)
            kindRow.bind(text: tableNames[i], at: 3)
            kindRow.bind(text: k.category.name, at: 4)
            kindRow.bind(text: k.shape.name, at: 5)
            kindRow.bind(unsigned: counts[i], at: 6)
            try kindRow.step()
            kindRow.reset()
        }
        try db.execute("COMMIT")
        withExtendedLifetime((strings, enumTexts)) {}
    }

    /// Binds one event as row `row` of a multi-row INSERT (the run's name is bound already).
    @inline(__always)
    private static func bindRow(_ s: SQLiteStatement, row: Int, width: Int, time: UInt64, binders fb: [FieldBinder],
                                enumTexts: [CStrings], strings: CStrings, value: (Int) -> UInt64) {
        let base = Int32(row * width)
        s.bind(unsigned: time, at: base + 2)
        var column = base + 3
        for i in 0..<fb.count {
            let v = value(i)
            switch fb[i] {
            case .unsigned: s.bind(unsigned: v, at: column)
            case .signed: s.bind(int: Int64(bitPattern: v), at: column)
            case let .text(t): enumTexts[t].bind(Int(v), to: s, at: column)
            case .string: strings.bind(Int(v), to: s, at: column)
            }
            column += 1
        }
    }

    /// The table of an event kind: its name, or `event_NAME` when a run table has that name.
    package static func table(forKind kind: String) -> String {
        runTables.contains(kind) ? "event_\(kind)" : kind
    }

    /// Builds the time indexes; the database is complete after this.
    package func finish() throws {
        var sql = "BEGIN;\n"
        for table in tableOrder {
            sql += "CREATE INDEX \(Self.quote("\(table)_time")) ON \(Self.quote(table)) (time_ns);\n"
        }
        sql += "CREATE INDEX results_metric ON results (metric, run); CREATE INDEX scenario_key ON scenario (key, run);\n"
        // Which kinds hold their events (a query's cache is complete for the kinds listed).
        sql += "CREATE TABLE loaded_kinds (kind TEXT);\n"
        if let loadedKinds {
            sql += loadedKinds.sorted().map { "INSERT INTO loaded_kinds VALUES ('\($0)');\n" }.joined()
        } else {
            sql += "INSERT INTO loaded_kinds VALUES ('*');\n"
        }
        sql += "COMMIT;"
        try db.execute(sql)
    }

    /// The event kinds a read-only statement needs loaded (exit_reasons needs vm_exit).
    /// - Throws: `ExportError.badInput` with the engine's message for invalid SQL or a statement that writes.
    package func kindsRead(by sql: String) throws -> Set<String> {
        let statement = try db.prepare(sql)
        guard statement.isReadOnly else { throw ExportError.writingQuery(sql) }
        let tables = try db.tablesRead(by: sql)
        var kinds = Set<String>()
        let map = try db.prepare("SELECT DISTINCT kind, \"table\" FROM kinds")
        while try map.step() {
            guard case let .text(kind) = map.value(0), case let .text(table) = map.value(1) else { continue }
            if tables.contains(table) || (kind == VMExitEvent.kindName && tables.contains("exit_reasons")) { kinds.insert(kind) }
        }
        return kinds
    }

    /// Records the cache key (what the database was built from) in the database.
    package func setCacheKey(_ key: String) throws {
        try db.execute("CREATE TABLE cache_key (key TEXT)")
        let s = try db.prepare("INSERT INTO cache_key VALUES (?1)")
        s.bind(text: key, at: 1)
        try s.step()
    }

    /// Creates an event table, or adds the columns a newer trace has to an existing one.
    private func createOrExtend(_ table: String, columns: [String], types: [String]) throws {
        if let existing = tables[table] {
            var all = existing
            for (c, t) in zip(columns, types) where !existing.contains(c) {
                try db.execute("ALTER TABLE \(Self.quote(table)) ADD COLUMN \(Self.quote(c)) \(t)")
                all.append(c)
            }
            tables[table] = all
            return
        }
        let defs = zip(columns, types).map { "\(Self.quote($0)) \($1)" }.joined(separator: ", ")
        try db.execute("CREATE TABLE \(Self.quote(table)) (\(defs))")
        tables[table] = columns
        tableOrder.append(table)
    }

    /// An SQL identifier in double quotes (trace names are [a-z0-9_], but quoting keeps
    /// keywords such as `round` or `order` usable as table names).
    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    private enum FieldBinder { case unsigned, signed, text(Int), string }
}

/// NUL-terminated copies of a list of strings, bound without copying.
final class CStrings {
    private let storage: [UnsafeMutablePointer<CChar>]
    private let lengths: [Int32]

    init(_ strings: [String]) {
        storage = strings.map { strdup($0)! }
        lengths = strings.map { Int32($0.utf8.count) }
    }

    deinit { storage.forEach { free($0) } }

    @inline(__always)
    func bind(_ index: Int, to s: SQLiteStatement, at column: Int32) {
        if index < storage.count { s.bind(staticText: storage[index], length: lengths[index], at: column) } else { s.bindNull(at: column) }
    }
}

/// Exits by reason of one trace, counted during the scan: the `exit_reasons` rows.
struct ExitTally {
    struct Row { var reason: String; var exits: UInt64; var total: UInt64; var max: UInt64 }
    /// Per position: (reason field, duration field, reason names) for loaded vm_exit kinds.
    private let plan: [(reason: Int?, duration: Int, names: [String])?]
    private var counts: [[UInt64]], totals: [[UInt64]], maxima: [[UInt64]]

    init(_ kinds: [EventKind], loaded: (Int) -> Bool) {
        plan = kinds.indices.map { p in
            let k = kinds[p]
            guard k.name == VMExitEvent.kindName, loaded(p), let d = k.durationIndex else { return nil }
            let r = k.fieldIndex(VMExitEvent.Field.reason.rawValue)
            var names = ["unknown"]
            if let r, case let .enumeration(values) = k.fields[r].type { names = values }
            return (r, d, names)
        }
        counts = plan.map { [UInt64](repeating: 0, count: $0?.names.count ?? 0) }
        totals = counts
        maxima = counts
    }

    @inline(__always)
    mutating func add(_ e: RawEvent) {
        guard let p = plan[e.position] else { return }
        let r = p.reason.map { Int(e.fields[$0]) } ?? 0
        guard r < p.names.count else { return }
        let d = e.fields[p.duration]
        counts[e.position][r] += 1
        totals[e.position][r] &+= d
        if d > maxima[e.position][r] { maxima[e.position][r] = d }
    }

    /// One row per reason that occurred, most exits first (then by name).
    var rows: [Row] {
        var byName: [String: Row] = [:]
        for (p, plan) in plan.enumerated() {
            guard let plan else { continue }
            for (r, name) in plan.names.enumerated() where counts[p][r] > 0 {
                var row = byName[name] ?? Row(reason: name, exits: 0, total: 0, max: 0)
                row.exits += counts[p][r]
                row.total &+= totals[p][r]
                row.max = Swift.max(row.max, maxima[p][r])
                byName[name] = row
            }
        }
        return byName.values.sorted { ($0.exits, $1.reason) > ($1.exits, $0.reason) }
    }
}

/// A multi-row INSERT for one event table: `rows` rows of `width` parameters each (the run's
/// name bound once per row position), with a copy of the values bound since the last step so
/// the rows left at the end can be inserted by a shorter statement.
final class Batch {
    /// Rows per statement: measured on a 10 M-event trace, 32 rows cut the insert time by a fifth.
    static let rows = 32
    let statement: SQLiteStatement
    let columns: [String]
    let width: Int
    private(set) var filled = 0
    private(set) var pendingTimes: [UInt64] = []
    private(set) var pendingFields: [UInt64] = []

    init(db: SQLiteDatabase, table: String, columns: [String], run: String, rows: Int) throws {
        self.columns = columns
        width = columns.count
        let list = columns.map(SQLiteExport.quote).joined(separator: ", ")
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        statement = try db.prepare("INSERT INTO \(SQLiteExport.quote(table)) (\(list)) VALUES " + Array(repeating: row, count: rows).joined(separator: ", "))
        for r in 0..<rows { statement.bind(text: run, at: Int32(r * columns.count + 1)) }
        pendingTimes.reserveCapacity(Self.rows)
    }

    @inline(__always)
    func rowAdded(time: UInt64, fields: UnsafeBufferPointer<UInt64>) {
        pendingTimes.append(time)
        pendingFields.append(contentsOf: fields)
        filled += 1
    }

    func flushFull() throws {
        try statement.step()
        statement.reset()
        filled = 0
        pendingTimes.removeAll(keepingCapacity: true)
        pendingFields.removeAll(keepingCapacity: true)
    }
}
