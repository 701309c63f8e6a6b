import CSQLite

/// A failure of an export or a query: bad input (exit 2) or an internal failure (exit 1).
package enum ExportError: Error, CustomStringConvertible, Equatable {
    case badInput(String)
    case failed(String)

    package var description: String {
        switch self {
        case let .badInput(s), let .failed(s): s
        }
    }

    /// A statement that would change the database.
    static func writingQuery(_ sql: String) -> ExportError {
        .badInput("SQL: a query reads the traces and cannot change the database; use SELECT (or WITH … SELECT)\n  in: \(sql)")
    }

    /// A statement the engine refused: its message and the statement (exit 2).
    static func sql(_ message: String, _ sql: String) -> ExportError {
        if message.contains("too many attached databases") {
            return .badInput("SQL: ATTACH is not allowed: a query reads only the traces it is given (name them all on the command line)\n  in: \(sql)")
        }
        return .badInput("SQL: \(message)\n  in: \(sql)")
    }
}

/// A connection to an SQLite database through the system library (libsqlite3): the thin layer
/// the exporter and `virtlab query` need — execute, prepare, bind, step — and nothing else.
package final class SQLiteDatabase {
    let handle: OpaquePointer
    package let path: String

    /// Opens (or creates, unless `readOnly`) the database at `path`.
    package init(path: String, readOnly: Bool) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw ExportError.failed("cannot open the database \(path): \(message)")
        }
        handle = db
        self.path = path
        if readOnly {
            // A query reads: no ATTACH (it could create files), and the connection refuses writes.
            sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0)
            try execute("PRAGMA query_only = ON")
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// The engine's message for the last failure.
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs statements that return no rows.
    package func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw ExportError.failed("SQLite: \(message) in: \(sql)")
        }
    }

    /// Compiles one statement; a mistake in `sql` is the user's (exit 2) with the engine's message.
    package func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let rc = sql.withCString { sqlite3_prepare_v2(handle, $0, -1, &stmt, &tail) }
        guard rc == SQLITE_OK, let stmt else {
            throw ExportError.sql(lastMessage, sql)
        }
        let statement = SQLiteStatement(stmt, database: self)
        // One statement at a time: text after it would otherwise be ignored without a word.
        if let tail, String(cString: tail).contains(where: { !$0.isWhitespace && $0 != ";" }) {
            throw ExportError.badInput("SQL: give one statement at a time (this has more after the first ';')\n  in: \(sql)")
        }
        return statement
    }

    /// The tables a statement reads: from the `OpenRead` instructions of its compiled program
    /// (root pages mapped to tables through sqlite_master), so `COUNT(*)`, subqueries and
    /// index-only scans count too.
    package func tablesRead(by sql: String) throws -> Set<String> {
        var roots: [Int64: String] = [:]
        let master = try prepare("SELECT rootpage, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
        while try master.step() {
            if case let .integer(page) = master.value(0), case let .text(table) = master.value(1) { roots[page] = table }
        }
        _ = try prepare(sql) // the engine's message for a mistake, before EXPLAIN's
        let explain = try prepare("EXPLAIN " + sql)
        var tables = Set<String>()
        while try explain.step() {
            guard case let .text(op) = explain.value(1), op == "OpenRead", case let .integer(page) = explain.value(3) else { continue }
            if let t = roots[page] { tables.insert(t) }
        }
        return tables
    }

    /// Whether a table or view of this name exists.
    package func hasTable(_ name: String) throws -> Bool {
        let s = try prepare("SELECT 1 FROM sqlite_master WHERE name = ?1")
        s.bind(text: name, at: 1)
        return try s.step()
    }
}

/// A prepared statement: bind, step, read columns.
package final class SQLiteStatement {
    let handle: OpaquePointer
    let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Whether the statement only reads (`SELECT`, `EXPLAIN`, read-only `PRAGMA`s).
    package var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Binds an unsigned trace value: as an integer when it fits SQLite's 64-bit signed
    /// integers, as a real otherwise (2^63 and above, which only damaged or extreme traces hold).
    @inline(__always)
    package func bind(unsigned v: UInt64, at i: Int32) {
        if v <= UInt64(Int64.max) { sqlite3_bind_int64(handle, i, Int64(v)) } else { sqlite3_bind_double(handle, i, Double(v)) }
    }

    @inline(__always)
    package func bind(int v: Int64, at i: Int32) { sqlite3_bind_int64(handle, i, v) }

    package func bind(double v: Double, at i: Int32) { sqlite3_bind_double(handle, i, v) }

    /// Binds text SQLite copies (for values that do not outlive the call).
    package func bind(text: String, at i: Int32) {
        sqlite3_bind_text(handle, i, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Binds NUL-terminated text that stays alive until the statement is finalised (no copy).
    @inline(__always)
    package func bind(staticText p: UnsafePointer<CChar>, length: Int32, at i: Int32) {
        sqlite3_bind_text(handle, i, p, length, nil)
    }

    package func bindNull(at i: Int32) { sqlite3_bind_null(handle, i) }

    /// Runs one step: true when a row is ready, false when the statement is done.
    @discardableResult @inline(__always)
    package func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let message = database.lastMessage
        let sql = sqlite3_sql(handle).map { String(cString: $0) } ?? ""
        if rc == SQLITE_READONLY || rc == SQLITE_CONSTRAINT || rc == SQLITE_ERROR || rc == SQLITE_MISMATCH || rc == SQLITE_RANGE {
            throw ExportError.sql(message, sql)
        }
        throw ExportError.failed("SQLite: \(message) (code \(rc)) in: \(sql)")
    }

    /// Resets for the next row of bindings (keeps the bindings).
    @inline(__always)
    package func reset() { sqlite3_reset(handle) }

    package var columnCount: Int { Int(sqlite3_column_count(handle)) }
    package func columnName(_ i: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(i))) }

    /// One value of the current row.
    package enum Value: Equatable, Sendable {
        case null, integer(Int64), real(Double), text(String), blob(Int)
    }

    package func value(_ i: Int) -> Value {
        let c = Int32(i)
        switch sqlite3_column_type(handle, c) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, c))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, c))
        case SQLITE_TEXT: return .text(sqlite3_column_text(handle, c).map { String(cString: $0) } ?? "")
        case SQLITE_BLOB: return .blob(Int(sqlite3_column_bytes(handle, c)))
        default: return .null
        }
    }
}
