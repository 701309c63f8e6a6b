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
        heap.append(Entry(time: time, sequence: sequence, payload: payload))
        sequence &+= 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].before(heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest event.
    package mutating func pop() -> (time: UInt64, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, heap[l].before(heap[m]) { m = l }
            if r < heap.count, heap[r].before(heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return (top.time, top.payload)
    }
}
