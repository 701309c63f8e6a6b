import Yams

/// Reads an instruction-set profile (YAML) and checks it: unknown attributes, duplicate
/// mnemonics and contradictory flags are errors that name the line.
package enum ProfileDecoder {
    static let topKeys = ["name", "description", "timing_dependencies", "base", "instructions"]
    static let instructionKeys = ["mnemonic", "description", "privileged", "control_sensitive", "behavior_sensitive",
                                  "user_sensitive", "unprivileged_effect", "class", "vm_exit", "vmcs_control", "exit_reason", "guest_state", "note"]

    /// Decodes profile text.
    /// - Throws: `ScenarioError` with the source, the key path (`instructions[4].privileged`) and line.
    package static func decode(text: String, source: String) throws -> InstructionSet {
        if let tooLarge = ScenarioDecoder.sizeError(text.utf8.count, source: source) { throw tooLarge }
        guard text.contains(where: { !$0.isWhitespace }) else { throw ScenarioError(source: source, "is empty; start from `virtlab isa show x86-legacy`") }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ScenarioError(source: source, "is not valid YAML: \(error)")
        }
        guard let root, case let .mapping(top) = root else {
            throw ScenarioError(source: source, "must be a mapping with name, description, timing_dependencies and instructions")
        }
        var name: String?, description = "", timing = false, base: (String, Node)?
        var list: Node?
        for (k, v) in top {
            let key = k.string ?? ""
            switch key {
            case "name": name = try scalar(v, key, source)
            case "description": description = try scalar(v, key, source)
            case "timing_dependencies": timing = try bool(v, key, source)
            case "instructions": list = v
            case "base": base = (try scalar(v, key, source), v)
            default:
                throw ScenarioError(source: source, keyPath: key, line: k.mark?.line, column: k.mark?.column,
                                    "unknown key; allowed: " + topKeys.joined(separator: ", "))
            }
        }
        guard let name, !name.isEmpty else { throw ScenarioError(source: source, keyPath: "name", "is required") }
        guard let list, case let .sequence(items) = list else {
            throw ScenarioError(source: source, keyPath: "instructions", line: list?.mark?.line, "must be a list of instructions")
        }
        var seen: [String: Int] = [:]
        var instructions: [Instruction] = []
        for (i, item) in items.enumerated() {
            let at = "instructions[\(i)]"
            let line = item.mark?.line
            guard case let .mapping(fields) = item else {
                throw ScenarioError(source: source, keyPath: at, line: line, "must be a mapping of attributes")
            }
            var values: [String: (Node, Node)] = [:]
            for (k, v) in fields {
                let key = k.string ?? ""
                guard instructionKeys.contains(key) else {
                    throw ScenarioError(source: source, keyPath: "\(at).\(key)", line: k.mark?.line, column: k.mark?.column,
                                        "unknown attribute; allowed: " + instructionKeys.joined(separator: ", "))
                }
                values[key] = (k, v)
            }
            func text(_ key: String) throws -> String? { try values[key].map { try scalar($0.1, "\(at).\(key)", source) } }
            func flag(_ key: String) throws -> Bool { try values[key].map { try bool($0.1, "\(at).\(key)", source) } ?? false }
            guard let mnemonic = try text("mnemonic"), !mnemonic.isEmpty else {
                throw ScenarioError(source: source, keyPath: "\(at).mnemonic", line: line, "is required")
            }
            if let first = seen[mnemonic] {
                throw ScenarioError(source: source, keyPath: "\(at).mnemonic", line: values["mnemonic"]?.1.mark?.line,
                                    "\(mnemonic) is already defined at line \(first); each mnemonic appears once")
            }
            seen[mnemonic] = line ?? 0
            let kindText = try text("class") ?? "compute"
            guard let kind = Instruction.Kind(rawValue: kindText) else {
                throw ScenarioError(source: source, keyPath: "\(at).class", line: values["class"]?.1.mark?.line,
                                    "must be one of " + Instruction.Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var exit: Instruction.VMExit?
            if let e = try text("vm_exit") {
                guard let parsed = Instruction.VMExit(rawValue: e) else {
                    throw ScenarioError(source: source, keyPath: "\(at).vm_exit", line: values["vm_exit"]?.1.mark?.line,
                                        "must be always, conditional or never")
                }
                exit = parsed
            }
            if let reason = try text("exit_reason"), CPUEvents.ExitReason(traceName: reason) == nil {
                throw ScenarioError(source: source, keyPath: "\(at).exit_reason", line: values["exit_reason"]?.1.mark?.line,
                                    "must be one of " + CPUEvents.ExitReason.allCases.map(\.name).joined(separator: ", "))
            }
            let ins = Instruction(
                mnemonic: mnemonic, description: try text("description") ?? "", privileged: try flag("privileged"),
                controlSensitive: try flag("control_sensitive"), behaviorSensitive: try flag("behavior_sensitive"),
                userSensitive: try flag("user_sensitive"), unprivilegedEffect: try text("unprivileged_effect"), kind: kind,
                vmExit: exit, vmcsControl: try text("vmcs_control"), exitReason: try text("exit_reason"), guestState: try flag("guest_state"),
                note: try text("note"), line: line)
            if let problem = contradiction(ins) {
                throw ScenarioError(source: source, keyPath: at, line: line, "\(mnemonic): \(problem)")
            }
            instructions.append(ins)
        }
        guard !instructions.isEmpty else { throw ScenarioError(source: source, keyPath: "instructions", "lists no instruction") }
        if let (baseName, node) = base {
            // A profile on a shipped base: its instructions replace the base's of the same
            // mnemonic (or add to them); the rest are the base's, unchanged.
            guard let baseText = ShippedProfiles.yaml(baseName), baseName != name else {
                throw ScenarioError(source: source, keyPath: "base", line: node.mark?.line, column: node.mark?.column,
                                    "must name a shipped profile: " + ShippedProfiles.names.filter { $0 != name }.joined(separator: ", "))
            }
            let inherited = try decode(text: baseText, source: "profile \(baseName)").instructions
            let replaced = Set(instructions.map(\.mnemonic))
            instructions = inherited.map { i in replaced.contains(i.mnemonic) ? instructions.first { $0.mnemonic == i.mnemonic }! : i }
                + instructions.filter { i in !inherited.contains { $0.mnemonic == i.mnemonic } }
        }
        return InstructionSet(name: name, description: description, timingDependencies: timing, instructions: instructions, text: text)
    }

    /// The first rule an instruction's flags break, or nil.
    static func contradiction(_ i: Instruction) -> String? {
        if i.userSensitive && !i.sensitive { return "user_sensitive needs control_sensitive or behavior_sensitive" }
        if i.privileged && i.unprivilegedEffect != nil { return "a privileged instruction traps, so it has no unprivileged_effect" }
        if i.sensitive && !i.privileged && !i.guestState && i.unprivilegedEffect == nil {
            return "sensitive but not privileged: say what goes wrong in unprivileged_effect"
        }
        if i.guestState && i.vmExit == nil { return "guest_state describes VMX non-root operation: give vm_exit too" }
        if i.guestState && !i.sensitive { return "guest_state is for sensitive instructions (what they touch is the guest's own)" }
        if let exit = i.vmExit, exit == .conditional && i.vmcsControl == nil { return "a conditional vm_exit names its vmcs_control" }
        if i.vmcsControl != nil && i.vmExit != .conditional { return "vmcs_control belongs to a conditional vm_exit" }
        return nil
    }

    static func scalar(_ node: Node, _ key: String, _ source: String) throws -> String {
        guard case let .scalar(s) = node else {
            throw ScenarioError(source: source, keyPath: key, line: node.mark?.line, column: node.mark?.column, "must be a single value")
        }
        return s.string
    }

    static func bool(_ node: Node, _ key: String, _ source: String) throws -> Bool {
        let s = try scalar(node, key, source)
        switch s {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            throw ScenarioError(source: source, keyPath: key, line: node.mark?.line, column: node.mark?.column, "must be true or false, got '\(s)'")
        }
    }
}
