import Testing
import TestKit
@testable import Simulation
import Vocabulary

/// The I/O model's rules across keys: what one passthrough device can and cannot do.
struct IOConfigTests {
    @Test func aPassthroughDeviceBelongsToOneVMAndPostsThroughTheAPIC() throws {
        let shared = try CrossCheck.of(.netNative, ["io.approach": .text("passthrough"), "io.vms": .integer(2)])
        expectEqual(shared?.key, "io.vms")
        #expect(shared?.message.contains("assigned to one VM only") == true)
        try #expect(CrossCheck.of(.netNative, ["io.approach": .text("paravirtual"), "io.vms": .integer(4)]) == nil)
        let posted = try CrossCheck.of(.netNative, ["io.approach": .text("passthrough"), "io.vms": .integer(1), "io.passthrough.posted_interrupts": .text("yes"), "io.apic_virtualization": .text("no")])
        expectEqual(posted?.key, "io.passthrough.posted_interrupts")
    }
}
