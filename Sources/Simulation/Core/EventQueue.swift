/// A discrete-event queue: pops the earliest event; events at the same time come out in the order
/// they were pushed (a sequence number breaks ties), so runs are deterministic.
package struct EventQueue<Payload> {
    private struct Entry {
        var time: UInt64
        var sequence: UInt64
        var payload: Payload
        @inline(__always) func before(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var sequence: UInt64 = 0

    package init() {}

    package var isEmpty: Bool { heap.isEmpty }
    package var count: Int { heap.count }

    /// The time of the next event, if any.
    package var nextTime: UInt64? { heap.first?.time }

    /// Schedules `payload` at `time`.
    package mutating func push(_ payload: Payload, at time: UInt64) {
        let entry = Entry(time: time, sequence: sequence, payload: payload)
        sequence &+= 1
        heap.append(entry)
        // Sift up by moving parents into the hole (no swaps).
        heap.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard entry.before(h[parent]) else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = entry
        }
    }

    /// Removes and returns the earliest event.
    package mutating func pop() -> (time: UInt64, payload: Payload)? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return (last.time, last.payload) }
        let top = heap[0]
        // Sift the last entry down from the root by moving children into the hole.
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let r = l + 1
                let m = r < n && h[r].before(h[l]) ? r : l
                guard h[m].before(last) else { break }
                h[i] = h[m]
                i = m
            }
            h[i] = last
        }
        return (top.time, top.payload)
    }
}
