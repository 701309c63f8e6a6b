import Course
import Charts
import Simulation

/// Seeded exercises as a Moodle XML question bank (Moodle's own import format,
/// https://docs.moodle.org/en/Moodle_XML_format): a category per exercise kind, and one
/// question per answer of each variant — `numerical` with its tolerance turned into Moodle's
/// absolute error, `multichoice` for yes/no and other choices (one right answer, feedback on
/// every option), and `multichoice` with several right answers for "which of these…" sets
/// (wrong picks cost as much as right ones earn). The worked explanation is each question's
/// general feedback. The bytes depend only on the kinds and seeds.
enum MoodleXML {
    static func x(_ s: String) -> String { XMLText.escaped(s) }

    static func text(_ tag: String, _ body: String, html: Bool = false) -> String {
        "<\(tag)\(html ? " format=\"html\"" : "")><text>\(x(body))</text></\(tag)>"
    }

    /// A number Moodle reads: plain decimal, no grouping.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    static func bank(_ variants: [(label: String, exercise: Exercise)]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"
        var category = ""
        for (label, e) in variants.sorted(by: { ($0.exercise.kind.rawValue, $0.label) < ($1.exercise.kind.rawValue, $1.label) }) {
            if e.kind.rawValue != category {
                category = e.kind.rawValue
                out += "<question type=\"category\"><category><text>$course$/VirtLab/\(x(category))</text></category>"
                    + "<info format=\"html\"><text>\(x(e.kind.summary))</text></info></question>\n"
            }
            for (i, a) in e.answers.enumerated() {
                let part = String(UnicodeScalar(UInt8(97 + i)))
                let name = "\(e.title) — \(label) (\(part)) \(a.name.replacingOccurrences(of: "_", with: " "))"
                let question = "<p>\(x(e.problem))</p><p>Answer part (\(part)): <strong>\(x(a.name.replacingOccurrences(of: "_", with: " ")))</strong>"
                    + (a.tolerance == "exact" || a.multiple ? "" : " (accepted within \(x(a.tolerance)))") + ".</p>"
                let header = text("name", name) + "<questiontext format=\"html\"><text><![CDATA[\(question)]]></text></questiontext>"
                    + text("generalfeedback", e.explanation, html: true) + "<defaultgrade>1</defaultgrade><penalty>0.3333333</penalty><hidden>0</hidden>"
                    + "<idnumber>\(x("virtlab-\(e.kind.rawValue)-\(e.seed)-\(a.name)"))</idnumber>"
                if a.choices.isEmpty, let v = Double(a.value) {
                    let tolerance = abs(v) * a.relativeTolerance
                    out += "<question type=\"numerical\">" + header
                        + "<answer fraction=\"100\" format=\"moodle_auto_format\"><text>\(number(v))</text><tolerance>\(number(tolerance))</tolerance>"
                        + text("feedback", "The simulation gives \(a.value).", html: true) + "</answer></question>\n"
                } else if a.multiple {
                    let right = Set(a.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                    let wrongCount = max(1, a.choices.count - right.count)
                    out += "<question type=\"multichoice\">" + header + "<single>false</single><shuffleanswers>true</shuffleanswers><answernumbering>abc</answernumbering>"
                    for c in a.choices {
                        let fraction = right.contains(c) ? 100.0 / Double(right.count) : -100.0 / Double(wrongCount)
                        out += "<answer fraction=\"\(fractionText(fraction))\" format=\"html\">" + "<text>\(x(c))</text>"
                            + text("feedback", right.contains(c) ? "Yes: \(c) belongs." : "No: \(c) does not belong.", html: true) + "</answer>"
                    }
                    out += "</question>\n"
                } else {
                    out += "<question type=\"multichoice\">" + header + "<single>true</single><shuffleanswers>false</shuffleanswers><answernumbering>abc</answernumbering>"
                    for c in a.choices {
                        out += "<answer fraction=\"\(c == a.value ? "100" : "0")\" format=\"html\"><text>\(x(c))</text>"
                            + text("feedback", c == a.value ? "Right: the simulation says \(a.value)." : "No: the simulation says \(a.value).", html: true) + "</answer>"
                    }
                    out += "</question>\n"
                }
            }
        }
        return out + "</quiz>\n"
    }

    /// Moodle accepts only its own list of fractions; these are the values it offers.
    static func fractionText(_ f: Double) -> String {
        let allowed: [Double] = [100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5]
        let nearest = allowed.min { abs($0 - abs(f)) < abs($1 - abs(f)) }!
        return (f < 0 ? "-" : "") + (nearest == nearest.rounded() ? String(Int(nearest)) : String(nearest))
    }
}
