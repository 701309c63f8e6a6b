/// Colours and sizes of a figure style.
package struct Theme: Sendable, Equatable {
    package enum Name: String, Sendable, CaseIterable { case paper, slides, dark }

    package var name: Name
    package var width: Int
    package var height: Int
    package var background: RGB
    package var foreground: RGB
    package var grid: RGB
    package var muted: RGB
    package var fontSize: Double
    package var titleSize: Double
    package var lineWidth: Double
    /// Okabe–Ito: a categorical palette that stays distinct for the common colour-vision deficiencies.
    package var palette: [RGB]

    package static let okabeIto: [RGB] = [0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0xF0E442, 0x000000].map { RGB(hex: $0) }

    package static func named(_ n: Name) -> Theme {
        switch n {
        case .paper:
            Theme(name: n, width: 800, height: 480, background: RGB(1, 1, 1), foreground: RGB(0.1, 0.1, 0.1), grid: RGB(0.88, 0.88, 0.88),
                  muted: RGB(0.4, 0.4, 0.4), fontSize: 13, titleSize: 16, lineWidth: 2, palette: okabeIto)
        case .slides:
            // 16:9 at 1920×1080 with type readable from the back of a lecture hall.
            Theme(name: n, width: 1920, height: 1080, background: RGB(1, 1, 1), foreground: RGB(0, 0, 0), grid: RGB(0.85, 0.85, 0.85),
                  muted: RGB(0.3, 0.3, 0.3), fontSize: 30, titleSize: 40, lineWidth: 5, palette: okabeIto)
        case .dark:
            Theme(name: n, width: 800, height: 480, background: RGB(0.11, 0.12, 0.14), foreground: RGB(0.92, 0.92, 0.92),
                  grid: RGB(0.25, 0.26, 0.29), muted: RGB(0.65, 0.65, 0.65), fontSize: 13, titleSize: 16, lineWidth: 2,
                  palette: [0x56B4E9, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x0072B2, 0xF0E442, 0xFFFFFF].map { RGB(hex: $0) })
        }
    }
}
