import TraceFormat
import Course
import Reports
import ArgumentParser
import Simulation

/// `virtlab isa`: Popek–Goldberg verdicts for instruction-set profiles.
struct IsaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isa",
        abstract: "Classify instruction sets (privileged, sensitive, safe) and check Popek and Goldberg's theorems.",
        discussion: """
        A profile is YAML data: one entry per instruction with privileged, control_sensitive, \
        behavior_sensitive, user_sensitive and, for sensitive unprivileged ones, what goes wrong \
        when they run deprivileged. Shipped: x86-legacy, x86-vtx, pg-ideal.

        Example:
          virtlab isa show x86-legacy > mine.yaml && virtlab isa check mine.yaml --json
        """,
        subcommands: [List.self, Check.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One shipped profile a line: name, instructions, theorem 1 verdict, description.",
            discussion: "Example:\n  virtlab isa list")

        func run() throws {
            for name in ShippedProfiles.names {
                let isa = try ShippedProfiles.profile(name)!
                let r = VirtualizabilityReport(isa)
                let verdict = r.theorem1.holds ? "theorem 1 holds" : "theorem 1 fails (\(r.theorem1.counterexamples.count))"
                print(Format.left(name, 11) + Format.right("\(isa.instructions.count) instr", 9) + "  " + Format.left(verdict, 22) + "  " + isa.description)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a shipped profile as YAML, to copy and edit.",
            discussion: "Example:\n  virtlab isa show pg-ideal > my-machine.yaml")

        @Argument(help: "A shipped profile: x86-legacy, x86-vtx or pg-ideal.")
        var name: String

        func run() throws {
            guard let text = ShippedProfiles.yaml(name) else {
                throw CommandError.badInput("no shipped profile named '\(name)'; shipped: " + ShippedProfiles.names.joined(separator: ", "))
            }
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Theorem verdicts with counterexamples, and the set regions (for a Venn diagram).",
            discussion: """
            PROFILE is a shipped name or a YAML file. --json prints profile, theorem1, theorem2, \
            theorem3 (each {holds, counterexamples}) and regions (region → sorted mnemonics).

            Example:
              virtlab isa check x86-legacy --json
            """)

        @Argument(help: "A shipped profile name or a profile file.")
        var profile: String

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let isa = try CPUSimulator.loadProfile(profile, readFile: Runs.diskReader)
            let r = VirtualizabilityReport(isa)
            print(json ? Self.json(r) : Self.text(isa, r), terminator: "")
        }

        static func json(_ r: VirtualizabilityReport) -> String {
            func verdict(_ v: Verdict) -> String {
                "{\"holds\": \(v.holds), \"counterexamples\": [" + v.counterexamples.map(JSONText.quoted).joined(separator: ", ") + "]}"
            }
            let regions = r.regions.map { "\(JSONText.quoted($0.name)): [" + $0.members.map(JSONText.quoted).joined(separator: ", ") + "]" }
            return "{\"profile\": \(JSONText.quoted(r.profile)), \"theorem1\": \(verdict(r.theorem1)), \"theorem2\": \(verdict(r.theorem2)), "
                + "\"theorem3\": \(verdict(r.theorem3)), \"regions\": {" + regions.joined(separator: ", ") + "}}\n"
        }

        static func text(_ isa: InstructionSet, _ r: VirtualizabilityReport) -> String {
            var out = "profile    \(isa.name): \(isa.description)\n"
            out += "           \(isa.instructions.count) instructions; the VMM \(isa.timingDependencies ? "has" : "has no") timing dependencies\n\n"
            func line(_ title: String, _ v: Verdict, _ rule: String) {
                out += "\(title)  \(v.holds ? "HOLDS" : "FAILS")  (\(rule))\n"
                if !v.holds { out += "           counterexamples: " + v.counterexamples.joined(separator: ", ") + "\n" }
            }
            // Under VT-x the VMM does not rely on traps: the theorems compare with what VMX non-root
            // operation catches (an exit, or the guest's own state), and say so.
            let caught = r.vmx ? "{exits or runs on guest state in VMX non-root}" : "privileged"
            if r.vmx { out += "VMX non-root operation: privileged still means \"traps in user mode\"; the theorems compare with what VT-x catches\n\n" }
            line("theorem 1", r.theorem1, "a VMM can be built if sensitive ⊆ \(caught)")
            line("theorem 2", r.theorem2, "recursively virtualizable if theorem 1 holds and the VMM has no timing dependencies")
            line("theorem 3", r.theorem3, "a hybrid VMM can be built if user-sensitive ⊆ \(caught)")
            out += "\nregions\n"
            for (name, members) in r.regions {
                out += "  " + Format.left(name.replacingOccurrences(of: "_", with: " "), 32) + "\(members.count)  "
                    + (members.isEmpty ? "—" : members.joined(separator: ", ")) + "\n"
            }
            let broken = isa.instructions.filter { $0.sensitive && !$0.privileged && $0.unprivilegedEffect != nil }
            if !broken.isEmpty {
                out += "\nwhat goes wrong when they run deprivileged\n"
                for i in broken { out += "  " + Format.left(i.mnemonic, 10) + (i.unprivilegedEffect ?? "") + "\n" }
            }
            return out
        }
    }
}
