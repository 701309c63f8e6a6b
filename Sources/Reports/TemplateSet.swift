import SafeOutput
import Mustache
#if canImport(Glibc)
import Glibc
#endif

/// The Mustache templates, partials and style sheets of `Templates/`, loaded once.
///
/// The folder is found, first match wins: the `--templates` option, the `VIRTLAB_TEMPLATES`
/// environment variable, a `Templates` folder beside the executable or in one of its parent
/// folders (`.build/release/virtlab` finds the checkout's), the checkout this binary was built
/// from, and `Templates` in the working directory.
package struct TemplateSet: Sendable {
    package let folder: String
    let library: MustacheLibrary
    /// Style sheets and the page script copied into every site: file name → bytes.
    package let styles: [(name: String, bytes: [UInt8])]

    /// The pages and partials every site needs; a folder missing one is refused when loaded.
    static let required = ["layout", "run", "comparison", "topic", "index", "sweep", "gallery", "worksheet",
                           "partials/figure", "partials/table", "partials/repro", "partials/tryit", "partials/section", "partials/predict"]

    package init(folder explicit: String? = nil) throws {
        let folder = try Self.locate(explicit)
        var library = MustacheLibrary()
        var names: [String] = []
        func load(_ dir: String, prefix: String) throws {
            for entry in directoryNames(dir) {
                let path = "\(dir)/\(entry)"
                if isDirectory(path) {
                    try load(path, prefix: prefix + entry + "/")
                } else if entry.hasSuffix(".mustache"), let bytes = readFile(path) {
                    let name = prefix + String(entry.dropLast(".mustache".count))
                    do {
                        try library.register(String(decoding: bytes, as: UTF8.self), named: name)
                    } catch {
                        throw ReportError.badInput("template \(path) does not parse: \(error)")
                    }
                    names.append(name)
                }
            }
        }
        try load(folder, prefix: "")
        let missing = Self.required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw ReportError.badInput("the templates folder \(folder) lacks \(missing.map { $0 + ".mustache" }.joined(separator: ", "))")
        }
        self.folder = folder
        self.library = library
        self.styles = try ["style.css", "print.css", "predict.js", "explorer.js"].map { name in
            guard let bytes = readFile("\(folder)/\(name)") else {
                throw ReportError.badInput("the templates folder \(folder) lacks \(name)")
            }
            return (name, bytes)
        }
    }

    /// Renders a page model with a page template ("run", "topic", …).
    package func render(_ model: Any, page: String) throws -> String {
        guard let html = library.render(model, withTemplate: page) else {
            throw ReportError.internalFailure("no template named \(page) in \(folder)")
        }
        return html
    }

    /// Where the templates are, or an error that says how to point at them.
    package static func locate(_ explicit: String?) throws -> String {
        func holdsTemplates(_ dir: String) -> Bool { fileExists("\(dir)/layout.mustache") }
        if let explicit {
            guard holdsTemplates(explicit) else {
                throw ReportError.badInput("\(explicit) holds no VirtLab templates (no layout.mustache)")
            }
            return explicit
        }
        var candidates: [String] = []
        if let env = getenv("VIRTLAB_TEMPLATES") { candidates.append(String(cString: env)) }
        if var dir = executablePath() {
            for _ in 0..<6 {
                guard let slash = dir.lastIndex(of: "/"), slash != dir.startIndex else { break }
                dir = String(dir[..<slash])
                candidates.append(dir + "/Templates")
            }
        }
        // The checkout this file was compiled in: Sources/Reports/TemplateSet.swift → ../../Templates.
        let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 3, parts[parts.count - 3] == "Sources" {
            candidates.append(parts.dropLast(3).joined(separator: "/") + "/Templates")
        }
        candidates.append("Templates")
        if let found = candidates.first(where: holdsTemplates) { return found }
        throw ReportError.badInput("cannot find VirtLab's Templates folder (looked in \(candidates.joined(separator: ", "))); "
                                   + "pass --templates DIR or set VIRTLAB_TEMPLATES")
    }
}
