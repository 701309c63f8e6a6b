import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on standard error, drawn only when it is a terminal and the run has lasted
/// about a second; silent otherwise and with `--quiet`.
package final class TerminalProgress: @unchecked Sendable {
    private let label: String
    private let started = monotonicSeconds()
    private var drawn = false
    private let enabled: Bool

    package init(label: String, quiet: Bool) {
        self.label = label
        enabled = !quiet && isatty(2) == 1
    }

    package var reporter: RunProgress {
        guard enabled else { return .silent }
        return RunProgress { [self] done, total in self.draw(done, total) }
    }

    private func draw(_ done: UInt64, _ total: UInt64) {
        let elapsed = monotonicSeconds() - started
        guard elapsed >= 1 || drawn, total > 0 else { return }
        drawn = true
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let left = fraction > 0 ? elapsed / fraction - elapsed : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        writeStandardError("\r\(label) \(bar) \(Int(fraction * 100))%  \(Int(left.rounded())) s left ")
            }

    /// Clears the bar's line if one was drawn.
    package func finish() {
        guard drawn else { return }
        writeStandardError("\r\u{1B}[K")
            }
}
