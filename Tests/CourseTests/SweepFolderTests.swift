import Foundation
import Reports
import SafeOutput
import Simulation
import Testing
import TestKit
import VirtLabTestSupport
@testable import Course

/// A sweep folder grows in place, but only for its own sweep, one process at a time.
struct SweepFolderTests {
    static func plan(_ axis: String = "migration.strategy=pre-copy,post-copy") throws -> SweepPlan {
        let b = try TestFixtures.smallMigration()
        return try SweepPlan(base: b, axes: [try SweepPlan.axis(axis, topic: b.topic)], repeats: 1)
    }

    @Test func aNewFolderIsClaimedMarkedAndLocked() throws {
        let dir = TestFixtures.freshPath("claim")
        defer { removeTree(dir) }
        let templates = try TemplateSet()
        let p = try Self.plan()
        var lock: SweepLock? = try SweepFolder.claim(dir, plan: p, templates: templates, force: false)
        #expect(lock != nil)
        expectContains(String(decoding: readFile(dir + "/.virtlab-sweep")!, as: UTF8.self), p.base.text)
        // While held, a second claim (another process's) is refused with what to do.
        do {
            _ = try SweepFolder.lock(dir)
            Issue.record("a held lock was taken twice")
        } catch let e as CourseError {
            expectContains("\(e)", "another virtlab sweep is writing into")
        }
        lock = nil
        // Released: the same sweep may claim again (it resumes), with its own files in place.
        try OutputFile.write(text: "run,point\n", to: dir + "/results.csv")
        try OutputFile.write(text: "x", to: "\(dir)/\(p.runs[0].traceName)")
        _ = try SweepFolder.claim(dir, plan: p, templates: templates, force: false)
    }

    @Test func anotherSweepOrAForeignFileIsRefusedUnlessForced() throws {
        let dir = TestFixtures.freshPath("foreign")
        defer { removeTree(dir) }
        let templates = try TemplateSet()
        _ = try SweepFolder.claim(dir, plan: try Self.plan(), templates: templates, force: false)
        let other = try Self.plan("migration.strategy=pre-copy")
        #expect(throws: CourseError.self) { _ = try SweepFolder.claim(dir, plan: other, templates: templates, force: false) }
        // A user's file in a folder of this sweep.
        try OutputFile.write(text: "mine", to: dir + "/notes.txt")
        #expect(throws: CourseError.self) { _ = try SweepFolder.claim(dir, plan: try Self.plan(), templates: templates, force: false) }
        expectEqual(readFile(dir + "/notes.txt"), Array("mine".utf8), "refusing leaves the user's file")
        // --force replaces everything in it.
        _ = try SweepFolder.claim(dir, plan: other, templates: templates, force: true)
        expectEqual(readFile(dir + "/notes.txt"), nil)
        // An unmarked folder with anything in it is not a sweep's.
        let plain = TestFixtures.folder("plain")
        defer { removeTree(plain) }
        try OutputFile.write(text: "x", to: plain + "/results.csv")
        #expect(throws: CourseError.self) { _ = try SweepFolder.claim(plain, plan: other, templates: templates, force: false) }
    }

    @Test func theFilesASweepWritesBelongToIt() throws {
        let traces: Set<String> = ["p0000-r1.vlt"]
        for f in ["results.csv", "index.html", "sweep.tsv", "base.yaml", "p0000-r1.vlt", "figures/a.svg", "scenarios/p0000.yaml", "slurm-12.out", "style.css"] {
            #expect(SweepFolder.belongs(f, in: "/nonexistent", traces: traces, styles: ["style.css"]), "\(f)")
        }
        for f in ["notes.txt", "p0001-r1.vlt", "figures/deep/a.svg", "scenarios/x/y.yaml", "../escape"] {
            #expect(!SweepFolder.belongs(f, in: "/nonexistent", traces: traces, styles: ["style.css"]), "\(f)")
        }
    }
}
