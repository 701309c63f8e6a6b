import Foundation
import Testing
import TestKit
@testable import Charts

/// Every theme is readable: text and muted text at WCAG 2 contrast of at least 4.5:1 against the
/// background, gridlines quieter than the text, distinct palette colours; slides are 16:9.
struct ThemeTests {
    /// WCAG 2.x relative luminance and contrast ratio.
    static func luminance(_ c: RGB) -> Double {
        func lin(_ v: Double) -> Double { v <= 0.039_28 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
    }

    static func contrast(_ a: RGB, _ b: RGB) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    @Test(arguments: Theme.Name.allCases)
    func textIsReadableAndTheGridQuiet(name: Theme.Name) {
        let t = Theme.named(name)
        expectEqual(t.name, name)
        expectAtLeast(Self.contrast(t.foreground, t.background), 7, "\(name) text")
        expectAtLeast(Self.contrast(t.muted, t.background), 4.5, "\(name) muted text: \(Self.contrast(t.muted, t.background))")
        expectLess(Self.contrast(t.grid, t.background), Self.contrast(t.muted, t.background), "\(name) grid louder than muted text")
        expectEqual(Set(t.palette.map { "\($0.r),\($0.g),\($0.b)" }).count, t.palette.count)
        expectGreater(t.titleSize, t.fontSize)
    }

    @Test func slidesAreSixteenByNineAndLarger() {
        let s = Theme.named(.slides), p = Theme.named(.paper)
        expectEqual(s.width * 9, s.height * 16)
        expectAtLeast(s.fontSize, 2 * p.fontSize, "type readable from the back of a lecture hall")
    }
}
