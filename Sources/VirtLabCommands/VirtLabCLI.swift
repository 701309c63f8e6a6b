import Course
import Export
import Reports
import SafeOutput
import ArgumentParser
import Simulation
import TraceFormat
#if canImport(Glibc)
import Glibc
#endif

/// The `virtlab` root command.
package struct VirtLabCLI: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "virtlab",
        abstract: "Simulate how hypervisors virtualize memory, CPUs and I/O, record binary traces, and analyse them.",
        discussion: """
        Every result comes from a trace: `run` simulates a scenario into a .vlt file; `inspect` \
        and `export` read it back. Exit codes: 0 success, 2 bad input (the message says what to \
        fix), 1 internal failure.

        Example:
          virtlab scenarios show tlb-thrash-nested > s.yaml && virtlab run s.yaml -o t.vlt && virtlab inspect t.vlt

        Shell completion: virtlab --generate-completion-script bash > /etc/bash_completion.d/virtlab
        """,
        version: Runner.version,
        subcommands: [RunCommand.self, ScenariosCommand.self, InspectCommand.self, ExportCommand.self, QueryCommand.self, ProvenanceCommand.self, SlidesCommand.self, ExerciseCommand.self, CaseCommand.self, IsaCommand.self, RenderCommand.self, SweepCommand.self,
                      ReportCommand.self, CourseCommand.self, BenchCommand.self]
    )

    package init() {}

    /// Parses the process arguments, runs the command and exits with VirtLab's exit codes.
    package static func runAndExit(_ arguments: [String]? = nil) {
        do {
            var command = try parseAsRoot(arguments)
            OutputFile.installSignalCleanup()
            try command.run()
            try finishStandardOutput()
            Glibc.exit(0)
        } catch {
            if let (message, code) = describe(error) {
                writeStandardError("virtlab: error: \(message)\n")
                Glibc.exit(code)
            }
            let code = exitCode(for: error)
            if code == .validationFailure {
                writeStandardError(fullMessage(for: error) + "\n")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }

    /// VirtLab's own errors as a message and an exit code; nil for ArgumentParser's.
    static func describe(_ error: any Error) -> (String, Int32)? {
        switch error {
        case let e as CommandError: return (e.description, e.exitCode)
        case let e as CourseError: return (e.description, e.exitCode)
        case let e as ReportError: return (e.description, e.exitCode)
        case let e as ScenarioError: return (e.description, 2)
        case let .badInput(s) as ExportError: return (s, 2)
        case let .failed(s) as ExportError: return (s, 1)
        case let e as TraceError: return (e.description, 2)
        // A scenario that passed validation but asks more than its guest has (found while running).
        case let e as SimulationError: return (e.description, 2)
        case let .badPath(s) as OutputError: return (s, 2)
        case let .failed(s) as OutputError: return (s, 1)
        default: return nil
        }
    }
}

/// A failure of a command itself (its arguments, its inputs): bad input (exit 2) or an internal
/// failure (exit 1). Each layer below has its own error type; `describe` maps them all to the
/// same two exit codes.
package enum CommandError: Error, CustomStringConvertible, Equatable {
    case badInput(String)
    case internalFailure(String)

    package var description: String {
        switch self {
        case let .badInput(s), let .internalFailure(s): s
        }
    }

    var exitCode: Int32 {
        switch self {
        case .badInput: 2
        case .internalFailure: 1
        }
    }
}

extension ReportError {
    var exitCode: Int32 {
        switch self {
        case .badInput: 2
        case .internalFailure: 1
        }
    }
}
