#if canImport(Glibc)
import Glibc
#endif

/// The rule for replacing or writing into a folder: VirtLab touches a non-empty folder only when
/// it can prove it made everything in it — a mark file it wrote, listing every file it wrote
/// there with its size. Anything else (a file not in the list, a file whose size changed, a
/// mark from an older VirtLab with no list) makes the folder foreign, and it is refused with a
/// message naming a few of the foreign files; `--force` is the one explicit way past that.
package enum FolderGuard {
    /// The first line of every mark; the list of files follows, one `SIZE<TAB>PATH` a line.
    static let listHeading = "files (size in bytes, path), each written by VirtLab:"

    /// Every file under `dir` as a path relative to it (folders are not listed, symbolic links
    /// are listed and not followed), sorted.
    package static func files(under dir: String) -> [String] {
        var out: [String] = []
        func walk(_ relative: String) {
            let full = relative.isEmpty ? dir : "\(dir)/\(relative)"
            for name in directoryNames(full) {
                let rel = relative.isEmpty ? name : "\(relative)/\(name)"
                var st = stat()
                if lstat("\(dir)/\(rel)", &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { walk(rel) } else { out.append(rel) }
            }
        }
        walk("")
        return out.sorted()
    }

    /// The mark's text for the files now under `dir` (except the mark itself): `intro`, then the list.
    package static func markText(intro: String, listing dir: String, mark: String) -> String {
        var text = intro + listHeading + "\n"
        for file in files(under: dir) where file != mark {
            text += "\(regularFileSize(followingLinks: false, "\(dir)/\(file)") ?? 0)\t\(file)\n"
        }
        return text
    }

    /// The files the mark in `dir` lists, with their sizes; nil when there is no mark or it has no list.
    static func listed(_ dir: String, mark: String) -> [String: Int]? {
        guard let bytes = readFile("\(dir)/\(mark)"), let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(where: { $0 == listHeading }) else { return nil }
        var out: [String: Int] = [:]
        for line in lines[(heading + 1)...] {
            guard let tab = line.firstIndex(of: "\t"), let size = Int(line[..<tab]) else { continue }
            out[String(line[line.index(after: tab)...])] = size
        }
        return out
    }

    /// The files under `dir` that its mark does not account for (all of them without a mark),
    /// except those `alsoAllowed` accepts. Empty: VirtLab made everything there.
    package static func foreignFiles(in dir: String, mark: String, alsoAllowed: (String) -> Bool = { _ in false }) -> [String] {
        let list = listed(dir, mark: mark)
        return files(under: dir).filter { file in
            if file == mark, list != nil { return false }
            if alsoAllowed(file) { return false }
            guard let size = list?[file] else { return true }
            return regularFileSize(followingLinks: false, "\(dir)/\(file)") != size
        }
    }

    /// Throws unless `dir` is missing, empty, or holds only what VirtLab wrote there.
    /// - Parameters:
    ///   - what: what is about to happen to it ("replace", "write a sweep into").
    ///   - force: skip the check (the user said `--force`).
    ///   - markListsFiles: whether this kind of mark lists its files (a site's does; a sweep's names
    ///     its plan, and `alsoAllowed` says which files a sweep writes).
    package static func checkOwned(_ dir: String, mark: String, what: String, force: Bool, markListsFiles: Bool = true,
                                   alsoAllowed: (String) -> Bool = { _ in false }) throws {
        var st = stat()
        guard lstat(dir, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputError.badPath("\(dir) is not a folder; name a folder for -o")
        }
        if force { return }
        let foreign = foreignFiles(in: dir, mark: mark, alsoAllowed: alsoAllowed)
        guard !foreign.isEmpty else { return }
        let shown = foreign.prefix(4).joined(separator: ", ") + (foreign.count > 4 ? " and \(foreign.count - 4) more" : "")
        let why = regularFileSize(followingLinks: false, "\(dir)/\(mark)") == nil
            ? "it is not empty and VirtLab did not make it (no \(mark))"
            : markListsFiles && listed(dir, mark: mark) == nil
                ? "its \(mark) comes from an older VirtLab that did not list its files"
                : "it holds files VirtLab did not write there, or that were changed since"
        throw OutputError.badPath("refusing to \(what) \(dir): \(why): \(shown); choose a new or empty folder, "
                                  + "or add --force to replace it and everything in it")
    }

    /// Whether `inner` is `outer` or lies inside it (after resolving symbolic links).
    package static func path(_ inner: String, isInside outer: String) -> Bool {
        guard let o = realPath(outer), let i = realPath(inner) else { return false }
        return i == o || i.hasPrefix(o.hasSuffix("/") ? o : o + "/")
    }
}
