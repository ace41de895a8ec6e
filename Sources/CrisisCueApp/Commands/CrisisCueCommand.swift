import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The `crisiscue` command: suggests live transfers of nonviolent crisis calls to a
/// social worker, and flags the calls that must not go to one alone.
public struct CrisisCueCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "crisiscue",
        abstract: "Suggest live transfers of nonviolent crisis calls to a social worker.",
        version: "0.1.0",
        subcommands: [ReplayCommand.self, ListenCommand.self, BenchCommand.self, DevicesCommand.self, ReportCommand.self, AnalyzeCommand.self, EvalCommand.self])

    public init() {}

    /// Parses the command line and runs the command, with shared/INTERFACE.md's exit
    /// statuses: 0 all processed, 1 some input failed, 2 usage error.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(0)
        } catch {
            if exitCode(for: error) == .validationFailure {
                LineWriter.standardError.write(fullMessage(for: error))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
