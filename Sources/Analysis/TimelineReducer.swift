import TraceFormat

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

    package var bucketNs: Double { Double(max(end - start, 1)) / Double(buckets) }
    package var eventsPerBucket: Double { Double(events) / Double(max(buckets, 1)) }
}

package enum TimelineReducer {
    /// Reduces a whole trace in two streaming passes (span, then buckets).
    /// - Parameter buckets: usually the plot's width in pixels.
    package static func reduce(_ reader: TraceReader, buckets: Int, maxCounterLanes: Int = 3) throws -> Timeline {
        let kinds = reader.header.schema.kinds
        var first: UInt64?, last: UInt64 = 0, total: UInt64 = 0
        // Interval events start `duration` before their stamp.
        let durationField = kinds.map { $0.shape == .interval ? $0.durationIndex : nil }
        try reader.scan { e in
            let s = durationField[e.position].map { e.time >= e.fields[$0] ? e.time - e.fields[$0] : 0 } ?? e.time
            if first == nil || s < first! { first = s }
            last = max(last, e.time)
            total += 1
        }
        let start = first ?? 0, end = max(last, start + 1)
        let width = Double(end - start) / Double(buckets)
        // Lanes: one per vCPU seen in a `vcpu` field, one per category for other events, and counter fields.
        var laneIndex: [String: Int] = [:]
        var lanes: [Timeline.Lane] = []
        func lane(_ name: String, _ kind: Timeline.LaneKind) -> Int {
            if let i = laneIndex[name] { return i }
            lanes.append(Timeline.Lane(name: name, kind: kind, count: Array(repeating: 0, count: buckets), busy: Array(repeating: 0, count: buckets),
                                       dominant: Array(repeating: -1, count: buckets), low: Array(repeating: .nan, count: buckets),
                                       high: Array(repeating: .nan, count: buckets)))
            laneIndex[name] = lanes.count - 1
            return lanes.count - 1
        }
        let vcpuField = kinds.map { $0.fieldIndex("vcpu") ?? $0.fieldIndex("vm") }
        var counterFields: [[Int]] = kinds.map { _ in [] }
        var counterLanes = 0
        for (p, k) in kinds.enumerated() where k.shape == .counter {
            for i in k.fields.indices where counterLanes < maxCounterLanes {
                counterFields[p].append(i)
                counterLanes += 1
            }
        }
        // Per lane, a dense tally of kinds per bucket (buckets × kinds) to find the dominant one.
        let kindCount = max(kinds.count, 1)
        var tallies: [[UInt32]] = []
        try reader.scan { e in
            let k = kinds[e.position]
            let b = min(buckets - 1, Int(Double(e.time - min(e.time, start)) / width))
            if k.shape == .counter {
                for f in counterFields[e.position] {
                    let l = lane("\(k.fields[f].name)", .counter)
                    let v = Double(e.fields[f])
                    lanes[l].low[b] = lanes[l].low[b].isNaN ? v : min(lanes[l].low[b], v)
                    lanes[l].high[b] = lanes[l].high[b].isNaN ? v : max(lanes[l].high[b], v)
                    lanes[l].count[b] &+= 1
                }
                return
            }
            let name = vcpuField[e.position].map { "\(k.fields[$0].name == "vm" ? "VM" : "vCPU") \(e.fields[$0])" } ?? k.name
            let l = lane(name, .events)
            while tallies.count < lanes.count { tallies.append([UInt32](repeating: 0, count: buckets * kindCount)) }
            lanes[l].count[b] &+= 1
            tallies[l][b * kindCount + e.position] &+= 1
            if let d = durationField[e.position] {
                // Spread the interval's time over the buckets it covers.
                let s = Double((e.time >= e.fields[d] ? e.time - e.fields[d] : 0) - min(start, e.time >= e.fields[d] ? e.time - e.fields[d] : 0))
                let t = Double(e.time - start)
                var i = max(0, Int(s / width))
                while i < buckets, Double(i) * width < t {
                    let lo = max(s, Double(i) * width), hi = min(t, Double(i + 1) * width)
                    if hi > lo {
                        lanes[l].busy[i] = min(width, lanes[l].busy[i] + hi - lo)
                        if i != b { tallies[l][i * kindCount + e.position] &+= 1 } // colours the buckets the interval covers
                    }
                    i += 1
                }
            }
        }
        for (l, tally) in tallies.enumerated() {
            for b in 0..<buckets {
                var bestKind = -1, bestCount: UInt32 = 0
                for p in 0..<kindCount where tally[b * kindCount + p] > bestCount {
                    bestCount = tally[b * kindCount + p]
                    bestKind = p
                }
                lanes[l].dominant[b] = Int16(bestKind)
            }
        }
        // vCPU and VM lanes first, in number order; then categories; counters last.
        lanes.sort { a, b in
            func rank(_ x: Timeline.Lane) -> Int { x.kind == .counter ? 2 : (x.name.hasPrefix("vCPU") || x.name.hasPrefix("VM") ? 0 : 1) }
            return rank(a) != rank(b) ? rank(a) < rank(b) : naturalOrder(a.name, b.name)
        }
        return Timeline(start: start, end: end, buckets: buckets, lanes: lanes, events: total, kindNames: kinds.map(\.name))
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
