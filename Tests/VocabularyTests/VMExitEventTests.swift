import Foundation
import Testing
import TestKit
@testable import TraceFormat
@testable import Vocabulary

/// The one VM-exit kind: written by any simulator's reasons, found again by any reader.
struct VMExitEventTests {
    enum Reasons: Int, VMExitReason, CaseIterable { case ioInstruction, hlt, eptViolation }

    @Test func reasonsAreNamedInSnakeCaseInTheirOrder() {
        expectEqual(Reasons.allCases.map(\.name), ["io_instruction", "hlt", "ept_violation"])
        let kind = VMExitEvent.kind(id: 9, reasons: Reasons.self)
        expectEqual(kind.name, "vm_exit")
        expectEqual(kind.shape, .interval)
        expectEqual(kind.fields.map(\.name), VMExitEvent.Field.allCases.map(\.rawValue))
    }

    /// Written with `append`, read back: the reason's code names the reason, the duration and vCPU
    /// come back as written (up to the 256 vCPUs the field holds); `locate` finds the kind among others.
    @Test func anExitWrittenIsAnExitRead() throws {
        let other = EventKind(id: 1, .pageFault, category: .memory, fields: [FieldSpec("page", .unsigned)])
        let kinds = [other, VMExitEvent.kind(id: 9, reasons: Reasons.self)]
        let path = NSTemporaryDirectory() + "virtlab-exit-\(UUID().uuidString).vlt"
        defer { unlink(path) }
        let w = try TraceWriter(path: path, header: TraceHeader(writerVersion: "test", seed: 1, metadata: [], strings: [], schema: try Schema(kinds)))
        try w.append(1, at: 5, 42)
        try VMExitEvent.append(w, id: 9, at: 100, reason: Reasons.eptViolation, duration: 40, vcpu: 255)
        try w.close(summary: [])
        let reader = try TraceReader(path: path)
        let found = try #require(VMExitEvent.locate(in: reader.header.schema.kinds))
        expectEqual(found.kind, 1)
        expectEqual(found.reasons, ["io_instruction", "hlt", "ept_violation"])
        let events = try reader.events().filter { $0.kind == 9 }
        expectEqual(events.count, 1)
        expectEqual(events[0].fields, [2, 40, 255])
        expectEqual(found.reasons[Int(events[0].fields[found.reason])], "ept_violation")
        #expect(VMExitEvent.locate(in: [other]) == nil, "a trace without exits has none to find")
    }
}
