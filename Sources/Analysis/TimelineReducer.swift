import TraceFormat
import Vocabulary

/// A trace reduced to one bucket per pixel column for each lane (per vCPU or VM, per other event
/// kind, per counter field): bounded memory and drawing work however many events there are (the
/// Perfetto/KernelShark approach).
package struct Timeline: Sendable {
    package enum LaneKind: Sendable { case events, counter }

    package struct Lane: Sendable {
        package var name: String
        package var kind: LaneKind
        /// Events per bucket.
        package var count: [UInt32]
        /// Nanoseconds of interval events overlapping each bucket (capped at the bucket width).
        package var busy: [Double]
        /// The kind (schema position) seen most often in each bucket, -1 for none.
        package var dominant: [Int16]
        /// The longest interval stamped in each bucket (ns).
        package var longest: [UInt64]
        /// Counter lanes: smallest and largest value per bucket (NaN when the bucket has no sample).
        package var low: [Double]
        package var high: [Double]
    }

    package var start: UInt64
    package var end: UInt64
    package var buckets: Int
    package var lanes: [Lane]
    package var events: UInt64
    /// Kind names by schema position (for legends).
    package var kindNames: [String]
    /// Moments a comparison can align runs at: the first start of each interval kind and, for an
    /// interval kind whose first field is an enumeration (a migration's stages), of each of its
    /// values — "stop_and_copy", "round", "downtime". In time order; times are absolute (ns).
    package var marks: [Mark] = []

    package struct Mark: Equatable, Sendable {
        /// A kind's name ("round") or an enumeration value ("stop_and_copy").
        package var name: String
        package var time: UInt64
        /// The kind whose first field's value `name` is ("stage" for "stop_and_copy"), nil when
        /// `name` is the kind itself.
        package var of: String?
    }

    package var bucketNs: Double { Double(max(end - start, 1)) / Double(buckets) }
    package var eventsPerBucket: Double { Double(events) / Double(max(buckets, 1)) }
}

extension Timeline {
    /// For each kind, the field that puts its events on a lane of their own per vCPU (or per VM
    /// for I/O): the one rule the timeline and the explorer share.
    static func laneFields(_ kinds: [EventKind]) -> [Int?] { kinds.map { $0.fieldIndex(FieldName.vcpu) ?? $0.fieldIndex(FieldName.vm) } }

    /// The name of the lane of `value` in `kind`'s lane field: "vCPU 3" or "VM 1".
    static func laneName(_ kind: EventKind, field: Int, value: UInt64) -> String {
        "\(kind.fields[field].name == FieldName.vm.rawValue ? "VM" : "vCPU") \(value)"
    }
}

package enum TimelineReducer {
    /// Reduces a whole trace in two streaming passes (span, then buckets), or only the events
    /// stamped within `range` (one pass; the footer index makes it a range read).
    /// - Parameter buckets: usually the plot's width in pixels.
    package static func reduce(_ reader: TraceReader, buckets: Int, maxCounterLanes: Int = 3, range: ClosedRange<UInt64>? = nil) throws -> Timeline {
        let kinds = reader.header.schema.kinds
        var first: UInt64?, last: UInt64 = 0, total: UInt64 = 0
        // Interval events start `duration` before their stamp.
        let durationField = kinds.map { $0.shape == .interval ? $0.durationIndex : nil }
        if let range {
            first = range.lowerBound
            last = range.upperBound
        } else if let footer = reader.footer {
            // A closed trace's index gives the span without a pass over the events; an interval that
            // began before the first stamp is drawn from the timeline's start.
            first = footer.blocks.first?.firstTime
            last = footer.blocks.last?.lastTime ?? 0
            total = footer.totalEvents
        } else {
            try reader.scan { e in
                let s = durationField[e.position].map { e.time >= e.fields[$0] ? e.time - e.fields[$0] : 0 } ?? e.time
                if first == nil || s < first! { first = s }
                last = max(last, e.time)
                total += 1
            }
        }
        let start = first ?? 0, end = max(last, start == .max ? start : start + 1) // a time of 2^64−1 must not wrap
        let width = Double(end - start) / Double(buckets)
        // Lanes: one per vCPU seen in a `vcpu` field, one per category for other events, and counter fields.
        let vcpuField = Timeline.laneFields(kinds)
        var counterFields: [[Int]] = kinds.map { _ in [] }
        var counterLanes = 0
        for (p, k) in kinds.enumerated() where k.shape == .counter {
            for i in k.fields.indices where counterLanes < maxCounterLanes {
                counterFields[p].append(i)
                counterLanes += 1
            }
        }
        var acc = Accumulator(kinds: kinds, buckets: buckets, start: start, width: width, durationField: durationField,
                              vcpuField: vcpuField, counterFields: counterFields)
        if let range {
            try reader.scan(range: range) { e in
                total += 1
                acc.add(e)
            }
        } else {
            try reader.scan { e in acc.add(e) }
        }
        var lanes = acc.finish()
        let marks = acc.marks()
        lanes.removeAll { lane in lane.count.allSatisfy { $0 == 0 } }
        // vCPU and VM lanes first, in number order; then categories; counters last.
        lanes.sort { a, b in
            func rank(_ x: Timeline.Lane) -> Int { x.kind == .counter ? 2 : (x.name.hasPrefix("vCPU") || x.name.hasPrefix("VM") ? 0 : 1) }
            return rank(a) != rank(b) ? rank(a) < rank(b) : naturalOrder(a.name, b.name)
        }
        return Timeline(start: start, end: end, buckets: buckets, lanes: lanes, events: total, kindNames: kinds.map(\.name), marks: marks)
    }
}

/// The timeline's tallies while the trace streams past. A struct with mutating methods: as
/// variables captured by local functions, every access in the hot loop was checked for
/// exclusivity at run time (a fifth of a report's time on a big trace).
private struct Accumulator {
    let kinds: [EventKind]
    let buckets: Int
    let start: UInt64
    let width: Double
    let inverseWidth: Double
    let durationField: [Int?]
    let vcpuField: [Int?]
    let counterFields: [[Int]]
    let kindCount: Int
    var laneIndex: [String: Int] = [:]
    var lanes: [Timeline.Lane] = []
    /// Lane of an event: by kind position, or by (vCPU/VM number) for kinds with such a field.
    var laneOfPosition: [Int]
    var laneOfVCPU = [Int](repeating: -1, count: 4_096)
    /// Flat per-lane storage (lane × buckets), so the hot loop touches no nested arrays.
    var counts: [UInt32] = [], busy: [Double] = [], tallies: [UInt32] = [], longest: [UInt64] = []
    var counterLane: [[Int]]
    /// First start per mark slot (see `Timeline.marks`): slot `markBase[p]`, plus the value of the
    /// kind's enumerated first field; names by slot.
    var markBase: [Int]
    var markNames: [String] = []
    var markOf: [String?] = []
    var markSpan: [Int]
    var firstStart: [UInt64] = []

    init(kinds: [EventKind], buckets: Int, start: UInt64, width: Double, durationField: [Int?], vcpuField: [Int?], counterFields: [[Int]]) {
        self.kinds = kinds
        self.buckets = buckets
        self.start = start
        self.width = width
        inverseWidth = 1 / width
        self.durationField = durationField
        self.vcpuField = vcpuField
        self.counterFields = counterFields
        kindCount = max(kinds.count, 1)
        laneOfPosition = [Int](repeating: -1, count: kinds.count)
        counterLane = [[Int]](repeating: [], count: kinds.count)
        markBase = [Int](repeating: -1, count: kinds.count)
        markSpan = [Int](repeating: 0, count: kinds.count)
        for (p, k) in kinds.enumerated() where durationField[p] != nil {
            markBase[p] = markNames.count
            if let f = k.fields.first, case let .enumeration(labels) = f.type, !labels.isEmpty {
                markSpan[p] = labels.count
                markNames += labels
                markOf += labels.map { _ in k.name }
            } else {
                markSpan[p] = 1
                markNames.append(k.name)
                markOf.append(nil)
            }
        }
        firstStart = [UInt64](repeating: .max, count: markNames.count)
        for (p, fields) in counterFields.enumerated() where !fields.isEmpty {
            counterLane[p] = fields.map { newLane(kinds[p].fields[$0].name, .counter) }
        }
    }

    mutating func lane(_ name: String, _ kind: Timeline.LaneKind) -> Int {
        if let i = laneIndex[name] { return i }
        lanes.append(Timeline.Lane(name: name, kind: kind, count: Array(repeating: 0, count: buckets), busy: Array(repeating: 0, count: buckets),
                                   dominant: Array(repeating: -1, count: buckets), longest: Array(repeating: 0, count: buckets), low: Array(repeating: .nan, count: buckets),
                                   high: Array(repeating: .nan, count: buckets)))
        laneIndex[name] = lanes.count - 1
        return lanes.count - 1
    }

    mutating func newLane(_ name: String, _ kind: Timeline.LaneKind) -> Int {
        let l = lane(name, kind)
        counts.append(contentsOf: repeatElement(0, count: buckets))
        busy.append(contentsOf: repeatElement(0, count: buckets))
        longest.append(contentsOf: repeatElement(0, count: buckets))
        tallies.append(contentsOf: repeatElement(0, count: buckets * kindCount))
        return l
    }

    mutating func add(_ e: RawEvent) {
        let p = e.position
        let b = min(buckets - 1, Int(Double(e.time &- min(e.time, start)) * inverseWidth))
        if !counterLane[p].isEmpty {
            for (j, f) in counterFields[p].enumerated() {
                let l = counterLane[p][j]
                let v = Double(e.fields[f])
                lanes[l].low[b] = lanes[l].low[b].isNaN ? v : min(lanes[l].low[b], v)
                lanes[l].high[b] = lanes[l].high[b].isNaN ? v : max(lanes[l].high[b], v)
                counts[l * buckets + b] &+= 1
            }
            return
        }
        var l: Int
        if let f = vcpuField[p] {
            let n = Int(min(e.fields[f], 4_095))
            l = laneOfVCPU[n]
            if l < 0 {
                l = newLane(Timeline.laneName(kinds[p], field: f, value: e.fields[f]), .events)
                laneOfVCPU[n] = l
            }
        } else {
            l = laneOfPosition[p]
            if l < 0 {
                l = newLane(kinds[p].name, .events)
                laneOfPosition[p] = l
            }
        }
        counts[l * buckets + b] &+= 1
        tallies[(l * buckets + b) * kindCount + p] &+= 1
        if let d = durationField[p] {
            if e.fields[d] > longest[l * buckets + b] { longest[l * buckets + b] = e.fields[d] }
            // Spread the interval's time over the buckets it covers.
            let begin = e.time >= e.fields[d] ? e.time - e.fields[d] : 0
            let value = markSpan[p] > 1 ? Int(min(e.fields[0], UInt64(markSpan[p] - 1))) : 0
            if begin < firstStart[markBase[p] + value] { firstStart[markBase[p] + value] = begin }
            let s = Double(begin &- min(start, begin)), t = Double(e.time - start)
            var i = max(0, Int(s * inverseWidth))
            while i < buckets, Double(i) * width < t {
                let lo = max(s, Double(i) * width), hi = min(t, Double(i + 1) * width)
                if hi > lo {
                    busy[l * buckets + i] = min(width, busy[l * buckets + i] + hi - lo)
                    if i != b { tallies[(l * buckets + i) * kindCount + p] &+= 1 } // colours the buckets the interval covers
                }
                i += 1
            }
        }
    }

    /// The marks seen, in time order (names in schema order break ties).
    func marks() -> [Timeline.Mark] {
        firstStart.indices.filter { firstStart[$0] != .max }
            .map { Timeline.Mark(name: markNames[$0], time: firstStart[$0], of: markOf[$0]) }
            .enumerated().sorted { a, b in a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset }
            .map(\.element)
    }

    /// The lanes with their buckets filled in and each bucket's dominant kind.
    mutating func finish() -> [Timeline.Lane] {
        for l in lanes.indices {
            lanes[l].count = Array(counts[(l * buckets)..<((l + 1) * buckets)])
            lanes[l].busy = Array(busy[(l * buckets)..<((l + 1) * buckets)])
            lanes[l].longest = Array(longest[(l * buckets)..<((l + 1) * buckets)])
            guard lanes[l].kind == .events else { continue }
            for b in 0..<buckets {
                var bestKind = -1, bestCount: UInt32 = 0
                let base = (l * buckets + b) * kindCount
                for p in 0..<kindCount where tallies[base + p] > bestCount {
                    bestCount = tallies[base + p]
                    bestKind = p
                }
                lanes[l].dominant[b] = Int16(bestKind)
            }
        }
        return lanes
    }
}

/// "vCPU 2" before "vCPU 10": compares the text, then a trailing number as a number.
func naturalOrder(_ a: String, _ b: String) -> Bool {
    func split(_ s: String) -> (String, Int) {
        let digits = s.reversed().prefix { $0.isNumber }
        let head = String(s.dropLast(digits.count))
        return (head, Int(String(digits.reversed())) ?? -1)
    }
    let (ha, na) = split(a), (hb, nb) = split(b)
    return ha != hb ? ha < hb : na < nb
}
