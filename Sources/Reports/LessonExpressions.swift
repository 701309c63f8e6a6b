#if canImport(Glibc)
import Glibc
#endif
import Charts

/// The small language of lesson files: quantities with units, expressions over named values,
/// and claims that compare two expressions. A lesson writes `{{name}}` in prose to print a
/// value and `{{? expression op expression }}` after a sentence to check it against the runs.
///
/// Grammar (whitespace ignored):
///
///     claim   = expr op expr [ "within" number "%" ]     op: < <= > >= == != ~=
///     expr    = term { ("+" | "-") term }
///     term    = unary { ("*" | "/") unary }
///     unary   = "-" unary | primary
///     primary = number [ "%" ] | name [ "(" expr { "," expr } ")" ] | "(" expr ")"
///
/// Functions: `max`, `min`, `sum`, `mean`, `count`, `first`, `last` over their arguments (series
/// flattened), `ratios(series)` (each element over the one before) and `abs`. Arithmetic on a
/// series applies element by element; a comparison with a series holds when it holds for every
/// element. `~=` holds when the sides differ by at most the stated share of the right side.

/// A unit: a dimension and how many base units one of it is (times are kept in nanoseconds,
/// sizes in bytes). Dimensionless quantities (counts, ratios) share the empty dimension.
package struct QuantityUnit: Equatable, Sendable, CustomStringConvertible {
    package var dimension: String
    package var scale: Double

    package static let none = QuantityUnit(dimension: "", scale: 1)

    /// The unit of a metric's unit text (`ms`, `bytes`, `%`, `Mbit/s`…). Counts of things are
    /// plain numbers: a count of pages compares with a count of exits.
    package static func metric(_ text: String) -> QuantityUnit {
        switch text {
        case "ns": QuantityUnit(dimension: "time", scale: 1)
        case "us", "µs": QuantityUnit(dimension: "time", scale: 1e3)
        case "ms": QuantityUnit(dimension: "time", scale: 1e6)
        case "s": QuantityUnit(dimension: "time", scale: 1e9)
        case "bytes", "B": QuantityUnit(dimension: "bytes", scale: 1)
        case "KiB": QuantityUnit(dimension: "bytes", scale: 1_024)
        case "MiB": QuantityUnit(dimension: "bytes", scale: 1_048_576)
        case "GiB": QuantityUnit(dimension: "bytes", scale: 1_073_741_824)
        case "%": QuantityUnit(dimension: "%", scale: 1)
        case "Mbit/s", "mbps": QuantityUnit(dimension: "bit/s", scale: 1e6)
        case "Gbit/s", "gbps": QuantityUnit(dimension: "bit/s", scale: 1e9)
        case "", "count", "ratio", "bool", "pages", "refs": .none
        default: QuantityUnit(dimension: text, scale: 1)
        }
    }

    /// The unit a scenario key's name implies (`…_ms`, `…_mib`, `…_mbps`); plain otherwise.
    package static func parameter(_ key: String) -> QuantityUnit {
        let last = key.split(separator: ".").last.map(String.init) ?? key
        for (suffix, unit) in [("_ms", "ms"), ("_ns", "ns"), ("_us", "us"), ("_mib", "MiB"), ("_gib", "GiB"), ("_kib", "KiB"),
                               ("_bytes", "bytes"), ("_mbps", "Mbit/s"), ("_gbps", "Gbit/s")] where last.hasSuffix(suffix) {
            return metric(unit)
        }
        return .none
    }

    package var description: String { dimension.isEmpty ? "a plain number" : dimension == "time" ? "a time" : dimension }
}

/// A value of a lesson: a number or a series of numbers (in base units), or a text.
package struct Quantity: Sendable {
    package var values: [Double]
    package var isSeries: Bool
    /// The dimension (`scale` is always 1: values are in base units).
    package var dimension: String
    /// A text value (an instruction list, a run's name): prose only.
    package var text: String?
    /// A bare number written in an expression: takes the other side's dimension.
    var literal = false

    package init(_ value: Double, dimension: String = "") {
        values = [value]
        isSeries = false
        self.dimension = dimension
    }

    package init(series: [Double], dimension: String = "") {
        values = series
        isSeries = true
        self.dimension = dimension
    }

    package init(text: String) {
        values = []
        isSeries = false
        dimension = ""
        self.text = text
    }

    package var scalar: Double? { isSeries || text != nil ? nil : values.first }
}

/// An expression in a lesson, parsed; evaluation looks names up in a table of quantities.
package indirect enum LessonExpression: Sendable, CustomStringConvertible {
    case number(Double, percent: Bool)
    case name(String)
    case negate(LessonExpression)
    case binary(Character, LessonExpression, LessonExpression)
    case call(String, [LessonExpression])

    package static let functions = ["max", "min", "sum", "mean", "count", "first", "last", "ratios", "abs"]

    package var description: String {
        switch self {
        case let .number(v, percent): Format.number(v) + (percent ? "%" : "")
        case let .name(n): n
        case let .negate(e): "-" + e.description
        case let .binary(op, a, b): "\(a) \(op) \(b)"
        case let .call(f, args): "\(f)(\(args.map(\.description).joined(separator: ", ")))"
        }
    }

    /// Every value name the expression uses.
    package var names: [String] {
        switch self {
        case .number: []
        case let .name(n): [n]
        case let .negate(e): e.names
        case let .binary(_, a, b): a.names + b.names
        case let .call(_, args): args.flatMap(\.names)
        }
    }

    package func evaluate(_ lookup: (String) throws -> Quantity) throws -> Quantity {
        switch self {
        case let .number(v, percent):
            var q = Quantity(percent ? v / 100 : v)
            q.literal = true
            return q
        case let .name(n):
            let q = try lookup(n)
            if q.text != nil { throw LessonError("'\(n)' is a text; only numbers can be computed with") }
            return q
        case let .negate(e):
            var q = try e.evaluate(lookup)
            q.values = q.values.map { -$0 }
            return q
        case let .binary(op, a, b):
            return try Self.combine(op, try a.evaluate(lookup), try b.evaluate(lookup))
        case let .call(f, args):
            let qs = try args.map { try $0.evaluate(lookup) }
            let dims = Set(qs.filter { !$0.literal }.map(\.dimension))
            guard dims.count <= 1 else {
                throw LessonError("\(f)(…) mixes \(dims.sorted().map { QuantityUnit(dimension: $0, scale: 1).description }.joined(separator: " and "))")
            }
            let dim = dims.first ?? ""
            let all = qs.flatMap(\.values)
            switch f {
            case "ratios":
                guard qs.count == 1, qs[0].isSeries else { throw LessonError("ratios(…) takes one series") }
                let v = qs[0].values
                return Quantity(series: zip(v.dropFirst(), v).map { $1 == 0 ? .infinity : $0 / $1 })
            case "abs":
                guard qs.count == 1 else { throw LessonError("abs(…) takes one argument") }
                var q = qs[0]
                q.values = q.values.map(Swift.abs)
                return q
            case "count": return Quantity(Double(all.count))
            default:
                guard !all.isEmpty else { throw EmptySeries(expression: "\(f)(…)") }
                let v: Double
                switch f {
                case "max": v = all.max()!
                case "min": v = all.min()!
                case "sum": v = all.reduce(0, +)
                case "mean": v = all.reduce(0, +) / Double(all.count)
                case "first": v = all[0]
                case "last": v = all[all.count - 1]
                default: throw LessonError("unknown function '\(f)'; allowed: \(Self.functions.joined(separator: ", "))")
                }
                return Quantity(v, dimension: dim)
            }
        }
    }

    static func combine(_ op: Character, _ a: Quantity, _ b: Quantity) throws -> Quantity {
        if a.values.isEmpty || b.values.isEmpty { throw EmptySeries(expression: "an operand of \(op)") }
        let n = max(a.values.count, b.values.count)
        if a.isSeries && b.isSeries && a.values.count != b.values.count {
            throw LessonError("series of different lengths (\(a.values.count) and \(b.values.count))")
        }
        func at(_ q: Quantity, _ i: Int) -> Double { q.isSeries ? q.values[i] : q.values[0] }
        let values = (0..<(a.isSeries || b.isSeries ? n : 1)).map { i -> Double in
            switch op {
            case "+": at(a, i) + at(b, i)
            case "-": at(a, i) - at(b, i)
            case "*": at(a, i) * at(b, i)
            default: at(b, i) == 0 ? .infinity : at(a, i) / at(b, i)
            }
        }
        var dim: String
        switch op {
        case "+", "-":
            guard a.literal || b.literal || a.dimension == b.dimension else {
                throw LessonError("cannot \(op == "+" ? "add" : "subtract") \(QuantityUnit(dimension: b.dimension, scale: 1)) and \(QuantityUnit(dimension: a.dimension, scale: 1))")
            }
            dim = a.literal ? b.dimension : a.dimension
        case "*":
            dim = a.dimension.isEmpty ? b.dimension : b.dimension.isEmpty ? a.dimension : "\(a.dimension)·\(b.dimension)"
        default:
            dim = a.dimension == b.dimension ? "" : b.dimension.isEmpty ? a.dimension : "\(a.dimension.isEmpty ? "1" : a.dimension)/\(b.dimension)"
        }
        var q = a.isSeries || b.isSeries ? Quantity(series: values, dimension: dim) : Quantity(values[0], dimension: dim)
        q.literal = a.literal && b.literal
        return q
    }
}

/// A claim: two expressions compared. It holds, or the data disagrees, or it cannot be
/// evaluated (a lesson error).
package struct LessonClaim: Sendable, CustomStringConvertible {
    package var left: LessonExpression
    package var op: String
    package var right: LessonExpression
    /// For `~=`: the largest allowed difference as a share of the right side.
    package var tolerance: Double?
    package var source: String

    package static let operators = ["<=", ">=", "==", "!=", "~=", "<", ">"]

    package var description: String { source }

    /// Whether the claim holds, and the numbers that decide it ("0.53 ≤ 0.91").
    package func check(_ lookup: (String) throws -> Quantity) throws -> (holds: Bool, detail: String) {
        // A series the run left empty (no rounds, no points) cannot support the claim: the data disagrees.
        let a: Quantity, b: Quantity
        do {
            (a, b) = (try left.evaluate(lookup), try right.evaluate(lookup))
        } catch let e as EmptySeries {
            return (false, "\(e.expression) has no elements in these runs")
        }
        if a.values.isEmpty || b.values.isEmpty { return (false, "\(a.values.isEmpty ? left : right) has no elements in these runs") }
        guard a.literal || b.literal || a.dimension == b.dimension else {
            throw LessonError("compares \(QuantityUnit(dimension: a.dimension, scale: 1)) with \(QuantityUnit(dimension: b.dimension, scale: 1))")
        }
        if a.isSeries && b.isSeries && a.values.count != b.values.count {
            throw LessonError("compares series of different lengths (\(a.values.count) and \(b.values.count))")
        }
        let n = max(a.values.count, b.values.count)
        guard n > 0 else { throw LessonError("compares an empty series") }
        var failures: [String] = []
        for i in 0..<n {
            let x = a.isSeries ? a.values[i] : a.values[0], y = b.isSeries ? b.values[i] : b.values[0]
            let ok: Bool
            switch op {
            case "<": ok = x < y
            case "<=": ok = x <= y
            case ">": ok = x > y
            case ">=": ok = x >= y
            case "==": ok = x == y
            case "!=": ok = x != y
            default: ok = Swift.abs(x - y) <= (tolerance ?? 0) * Swift.abs(y)
            }
            if !ok { failures.append("\(Self.show(x)) \(Self.symbol(op)) \(Self.show(y))" + (a.isSeries || b.isSeries ? " (element \(i + 1))" : "")) }
        }
        func side(_ q: Quantity) -> String { q.isSeries ? "[" + q.values.map(Self.show).joined(separator: ", ") + "]" : Self.show(q.values[0]) }
        // Each side's value, except a number written in the claim ("exits = 8", not "exits = 8; 2 = 2").
        let sides = [(left, a), (right, b)].filter { !$0.1.literal || (a.literal && b.literal) }
        let shown = sides.map { "\($0.0) = \(side($0.1))" }.joined(separator: "; ") + (tolerance.map { " (within \(Format.number($0 * 100)) %)" } ?? "")
        return failures.isEmpty ? (true, shown) : (false, "not " + failures.prefix(3).joined(separator: ", ") + " — " + shown)
    }

    static func symbol(_ op: String) -> String {
        switch op {
        case "<=": "≤"
        case ">=": "≥"
        case "!=": "≠"
        case "~=": "≈"
        default: op
        }
    }

    /// Four significant digits: enough to see why a comparison went one way.
    static func show(_ v: Double) -> String {
        guard v.isFinite else { return v.description }
        let a = Swift.abs(v)
        if a >= 1_000 || a == 0 { return Format.number(v.rounded()) }
        var digits = 3
        if a < 1 { digits = min(5, 3 - Int(log10(a).rounded(.down))) }
        return String(format4: v, digits: digits)
    }
}

/// A function or operator met a series with no elements.
struct EmptySeries: Error { var expression: String }

/// A mistake in a lesson's expression or value (the caller adds the file and line).
package struct LessonError: Error, CustomStringConvertible {
    package var description: String
    package init(_ message: String) { description = message }
}

/// Parses expressions and claims.
package struct LessonExpressionParser {
    private let chars: [Character]
    private var i = 0

    private init(_ text: String) { chars = Array(text) }

    package static func expression(_ text: String) throws -> LessonExpression {
        var p = LessonExpressionParser(text)
        let e = try p.sum()
        p.skipSpace()
        guard p.i == p.chars.count else { throw LessonError("unexpected '\(String(p.chars[p.i...]))' in '\(text)'") }
        return e
    }

    package static func claim(_ text: String) throws -> LessonClaim {
        var p = LessonExpressionParser(text)
        let left = try p.sum()
        p.skipSpace()
        guard let op = LessonClaim.operators.first(where: { p.peek($0) }) else {
            throw LessonError("a claim compares two expressions with one of \(LessonClaim.operators.joined(separator: " ")): '\(text)'")
        }
        p.i += op.count
        let right = try p.sum()
        p.skipSpace()
        var tolerance: Double?
        if p.peek("within") {
            p.i += "within".count
            p.skipSpace()
            guard case let .number(v, percent)? = try? p.primary(), percent else {
                throw LessonError("'within' takes a percentage, e.g. within 10%: '\(text)'")
            }
            tolerance = v / 100
            p.skipSpace()
        }
        guard p.i == p.chars.count else { throw LessonError("unexpected '\(String(p.chars[p.i...]))' in the claim '\(text)'") }
        if op == "~=" && tolerance == nil { throw LessonError("~= needs a tolerance: '\(text) within 10%'") }
        if op != "~=" && tolerance != nil { throw LessonError("'within' goes with ~= only: '\(text)'") }
        return LessonClaim(left: left, op: op, right: right, tolerance: tolerance, source: text.trimmingWhitespace())
    }

    private mutating func skipSpace() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
    private func peek(_ s: String) -> Bool {
        let a = Array(s)
        return i + a.count <= chars.count && Array(chars[i..<(i + a.count)]) == a
    }

    private mutating func sum() throws -> LessonExpression { try level(["+", "-"]) { try $0.product() } }

    private mutating func product() throws -> LessonExpression { try level(["*", "/"]) { try $0.unary() } }

    /// A left-associative run of `next`-level operands joined by one of `ops`.
    private mutating func level(_ ops: Set<Character>, _ next: (inout LessonExpressionParser) throws -> LessonExpression) throws -> LessonExpression {
        var e = try next(&self)
        while true {
            skipSpace()
            guard i < chars.count, ops.contains(chars[i]) else { return e }
            let op = chars[i]
            i += 1
            e = .binary(op, e, try next(&self))
        }
    }

    private mutating func unary() throws -> LessonExpression {
        skipSpace()
        if i < chars.count, chars[i] == "-" {
            i += 1
            return .negate(try unary())
        }
        return try primary()
    }

    private mutating func primary() throws -> LessonExpression {
        skipSpace()
        guard i < chars.count else { throw LessonError("an expression ends too early") }
        let c = chars[i]
        if c == "(" {
            i += 1
            let e = try sum()
            skipSpace()
            guard i < chars.count, chars[i] == ")" else { throw LessonError("a '(' is not closed") }
            i += 1
            return e
        }
        if c.isNumber || c == "." {
            var s = ""
            while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "_" || chars[i] == "e"
                    || ((chars[i] == "-" || chars[i] == "+") && s.last == "e") {
                if chars[i] != "_" { s.append(chars[i]) }
                i += 1
            }
            guard let v = Double(s) else { throw LessonError("'\(s)' is not a number") }
            skipSpace()
            if i < chars.count, chars[i] == "%" {
                i += 1
                return .number(v, percent: true)
            }
            return .number(v, percent: false)
        }
        guard c.isLetter || c == "_" else { throw LessonError("unexpected '\(c)': expected a number, a value name or '('") }
        var name = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
            name.append(chars[i])
            i += 1
        }
        skipSpace()
        guard i < chars.count, chars[i] == "(" else { return .name(name) }
        guard LessonExpression.functions.contains(name) else {
            throw LessonError("unknown function '\(name)'; allowed: \(LessonExpression.functions.joined(separator: ", "))")
        }
        i += 1
        var args: [LessonExpression] = []
        while true {
            args.append(try sum())
            skipSpace()
            guard i < chars.count else { throw LessonError("\(name)( is not closed") }
            if chars[i] == ")" { i += 1; break }
            guard chars[i] == "," else { throw LessonError("expected ',' or ')' in \(name)(…)") }
            i += 1
        }
        return .call(name, args)
    }
}

/// How a value is printed in prose.
package enum ValueFormat: String, CaseIterable, Sendable {
    /// Grouped digits, rounded to `digits` decimals (default: whole from 100 up, two below).
    case number
    /// A whole number with thousands grouped.
    case count
    /// Percent: a `%` quantity as is, a plain ratio × 100; one decimal.
    case percent
    /// A time (ns, µs, ms, s).
    case time
    /// A size (KiB, MiB, GiB).
    case bytes
    /// A factor: 3.2×.
    case times
    /// A rate in Mbit/s or Gbit/s.
    case rate

    /// The natural format of a dimension.
    package static func natural(_ dimension: String) -> ValueFormat {
        switch dimension {
        case "time": .time
        case "bytes": .bytes
        case "%": .percent
        case "bit/s": .rate
        default: .number
        }
    }

    package func text(_ v: Double, dimension: String, digits: Int?) -> String {
        guard v.isFinite else { return v > 0 ? "∞" : v.description }
        switch self {
        case .number:
            let d = digits ?? (Swift.abs(v) >= 100 ? 0 : 2)
            return Format.grouped(String(format4: v, digits: d))
        case .count: return Format.grouped(String(format4: v.rounded(), digits: 0))
        case .percent:
            let p = dimension == "%" ? v : v * 100
            return Format.grouped(String(format4: p, digits: digits ?? 1)) + " %"
        case .time:
            guard let digits else { return Format.duration(v) }
            for (scale, unit) in [(1e9, "s"), (1e6, "ms"), (1e3, "µs")] where Swift.abs(v) >= scale {
                return String(format4: v / scale, digits: digits) + " " + unit
            }
            return String(format4: v, digits: digits) + " ns"
        case .bytes:
            guard let digits else { return AxisUnit.bytes.label(v) }
            for (scale, unit) in [(1_073_741_824.0, "GiB"), (1_048_576, "MiB"), (1_024, "KiB")] where Swift.abs(v) >= scale {
                return String(format4: v / scale, digits: digits) + " " + unit
            }
            return String(format4: v, digits: 0) + " B"
        case .times: return Format.grouped(String(format4: v, digits: digits ?? 1)) + "×"
        case .rate:
            if Swift.abs(v) >= 1e9 { return String(format4: v / 1e9, digits: digits ?? 1) + " Gbit/s" }
            return Format.grouped(String(format4: v / 1e6, digits: digits ?? 0)) + " Mbit/s"
        }
    }

}
