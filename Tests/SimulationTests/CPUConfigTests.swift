import Testing
import TestKit
@testable import Simulation
import Vocabulary

/// The CPU model's rules across keys: the ring a guest kernel can be moved to, and the profiles there are.
struct CPUConfigTests {
    @Test func theGuestRingAndTheProfileAreChecked() throws {
        try expectEqual(CrossCheck.of(.x86SyscallHeavyNative, ["cpu.guest_ring": .integer(2)])?.key, "cpu.guest_ring")
        for ring: Int64 in [1, 3] { #expect(try CrossCheck.of(.x86SyscallHeavyNative, ["cpu.guest_ring": .integer(ring)]) == nil) }
        let profile = try CrossCheck.of(.x86SyscallHeavyNative, ["cpu.profile": .text("x86-future")])
        expectEqual(profile?.key, "cpu.profile")
        #expect(profile?.message.contains("x86-legacy") == true)
        try #expect(CrossCheck.of(.x86SyscallHeavyNative, ["cpu.profile": .text("mine.yaml")]) == nil, "a file is checked when it is read")
    }
}
