import TraceFormat

/// The data behind a page's trace explorer, computed in streaming passes: the timeline reduced
/// to `buckets` columns per lane (count, busy share, dominant kind; counters' min and max) — the
/// page builds its coarser zoom levels from these — and, when the trace (or the window) holds
/// at most `rawLimit` events, every event with its fields, so the deepest zoom shows single
/// events. Its size follows the picture: about `buckets` × lanes numbers plus at most
/// `rawLimit` events, whatever the trace's length.
///
/// Written as a script (`window.VIRTLAB_TRACES[id] = {…}`), because browsers refuse `fetch` of
/// local files: a site opened from disk loads it with a `<script>` tag.
package enum ExplorerData {
    /// The default reduction: 2,048 columns and up to 20,000 raw events — under 1.5 MB for any
    /// trace (measured in the tests and the README's speed table).
    package static let buckets = 2_048
    package static let rawLimit = 20_000
    /// The page weight a run's explorer may not exceed: with many lanes (64 vCPUs) the columns
    /// are merged in pairs until the data fits.
    package static let budget = 1_500_000

    /// - Parameters:
    ///   - window: only the events stamped in this range (a `virtlab report --window` page).
    ///   - command: the command that writes a window of this trace at full detail (shown when
    ///     the page does not carry single events).
    package static func script(_ reader: TraceReader, id: String, buckets: Int = buckets, rawLimit: Int = rawLimit, budget: Int = budget,
                               window: ClosedRange<UInt64>? = nil, command: String) throws -> String {
        var timeline = try TimelineReducer.reduce(reader, buckets: buckets, range: window)
        let kinds = reader.header.schema.kinds
        let rawJSON = timeline.events <= UInt64(rawLimit) ? try raw(reader, timeline: timeline, window: window) : "null"
        var lanesJSON = lanes(timeline)
        while lanesJSON.utf8.count + rawJSON.utf8.count > budget - 20_000, timeline.buckets > 64 {
            timeline = halved(timeline)
            lanesJSON = lanes(timeline)
        }
        var out = "{\"id\":\(JSONText.quoted(id)),\"start\":\(timeline.start),\"end\":\(timeline.end),\"buckets\":\(timeline.buckets),"
            + "\"events\":\(timeline.events),\"command\":\(JSONText.quoted(command)),"
            + "\"window\":\(window.map { "[\($0.lowerBound),\($0.upperBound)]" } ?? "null"),"
        // Kinds: names, categories, field names and enumeration labels, for colours and tooltips.
        out += "\"kinds\":[" + kinds.map { k in
            let fields = k.fields.map { JSONText.quoted($0.name) }.joined(separator: ",")
            let enums = k.fields.enumerated().compactMap { i, f -> String? in
                guard case let .enumeration(labels) = f.type else { return nil }
                return "\"\(i)\":[" + labels.map(JSONText.quoted).joined(separator: ",") + "]"
            }.joined(separator: ",")
            let duration = k.shape == .interval ? k.durationIndex.map(String.init) ?? "null" : "null"
            return "{\"name\":\(JSONText.quoted(k.name)),\"category\":\(JSONText.quoted(k.category.name)),\"fields\":[\(fields)],"
                + "\"enums\":{\(enums)},\"duration\":\(duration)}"
        }.joined(separator: ",") + "],"
        // Moments to align runs at (ns from the start), for a comparison's explorers.
        out += "\"marks\":[" + timeline.marks.map { m in
            "{\"name\":\(JSONText.quoted(m.name)),\"t\":\(m.time &- min(m.time, timeline.start)),\"of\":\(m.of.map(JSONText.quoted) ?? "null")}"
        }.joined(separator: ",") + "],"
        out += "\"lanes\":" + lanesJSON + ","
        out += "\"raw\":" + rawJSON + "}"
        return "window.VIRTLAB_TRACES = window.VIRTLAB_TRACES || {};\nwindow.VIRTLAB_TRACES[\(JSONText.quoted(id))] = \(out);\n"
    }

    /// The lanes in the Cairo timeline's order: counts, busy share in percent, dominant kind;
    /// counters' min and max.
    static func lanes(_ timeline: Timeline) -> String {
        "[" + timeline.lanes.map { lane in
            if lane.kind == .counter {
                return "{\"name\":\(JSONText.quoted(lane.name)),\"type\":\"counter\",\"low\":[\(numbers(lane.low))],\"high\":[\(numbers(lane.high))]}"
            }
            let width = timeline.bucketNs
            let busy = lane.busy.map { String(Int((min(1, $0 / width) * 100).rounded())) }.joined(separator: ",")
            return "{\"name\":\(JSONText.quoted(lane.name)),\"type\":\"events\",\"count\":[\(lane.count.map(String.init).joined(separator: ","))],"
                + "\"busy\":[\(busy)],\"dom\":[\(lane.dominant.map(String.init).joined(separator: ","))]}"
        }.joined(separator: ",") + "]"
    }

    /// The timeline with neighbouring columns merged in pairs (the dominant kind of the busier one).
    static func halved(_ t: Timeline) -> Timeline {
        var out = t
        out.buckets = t.buckets / 2
        out.lanes = t.lanes.map { lane in
            var l = lane
            func pairs<T>(_ a: [T], _ f: (T, T) -> T) -> [T] { stride(from: 0, to: a.count - 1, by: 2).map { f(a[$0], a[$0 + 1]) } }
            l.count = pairs(lane.count) { (a: UInt32, b: UInt32) -> UInt32 in a + b }
            l.busy = pairs(lane.busy) { (a: Double, b: Double) -> Double in a + b }
            l.longest = pairs(lane.longest) { (a: UInt64, b: UInt64) -> UInt64 in max(a, b) }
            l.low = pairs(lane.low) { (a: Double, b: Double) -> Double in a.isNaN ? b : b.isNaN ? a : min(a, b) }
            l.high = pairs(lane.high) { (a: Double, b: Double) -> Double in a.isNaN ? b : b.isNaN ? a : max(a, b) }
            l.dominant = stride(from: 0, to: lane.dominant.count - 1, by: 2).map { (i: Int) -> Int16 in
                lane.count[i] >= lane.count[i + 1] ? lane.dominant[i] : lane.dominant[i + 1]
            }
            return l
        }
        return out
    }

    /// Counter values, NaN (no sample) as null.
    static func numbers(_ v: [Double]) -> String {
        v.map { $0.isFinite ? ($0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0)) : "null" }.joined(separator: ",")
    }

    /// Every event: start (ns from the timeline's start), duration, lane, kind, field values —
    /// columns, not objects, so the page parses them fast and the file stays small.
    static func raw(_ reader: TraceReader, timeline: Timeline, window: ClosedRange<UInt64>?) throws -> String {
        let kinds = reader.header.schema.kinds
        let durationField = kinds.map { $0.shape == .interval ? $0.durationIndex : nil }
        let vcpuField = Timeline.laneFields(kinds)
        let laneIndex = Dictionary(timeline.lanes.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var t: [String] = [], d: [String] = [], l: [String] = [], k: [String] = [], f: [String] = []
        try reader.scan(range: window) { e in
            let p = e.position
            // Counters are drawn from their lanes' min–max, not as events.
            if kinds[p].shape == .counter { return }
            let dur = durationField[p].map { e.fields[$0] } ?? 0
            let begin = e.time >= dur ? e.time - dur : 0
            let lane: Int
            if let vf = vcpuField[p] {
                lane = laneIndex[Timeline.laneName(kinds[p], field: vf, value: e.fields[vf])] ?? -1
            } else {
                lane = laneIndex[kinds[p].name] ?? -1
            }
            guard lane >= 0 else { return }
            t.append(String(begin &- min(begin, timeline.start)))
            d.append(String(dur))
            l.append(String(lane))
            k.append(String(p))
            f.append("[" + e.fields.prefix(kinds[p].fields.count).map(String.init).joined(separator: ",") + "]")
        }
        return "{\"t\":[\(t.joined(separator: ","))],\"d\":[\(d.joined(separator: ","))],\"l\":[\(l.joined(separator: ","))],"
            + "\"k\":[\(k.joined(separator: ","))],\"f\":[\(f.joined(separator: ","))]}"
    }
}
