import ArgumentParser
import PortalStore

/// `opendvc audit verify`: checks the hash chain of the dossier access log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the dossier access log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every record's hash; exit 1 at the first broken link.")

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withPortalDatabase(storage) { database in
                switch try await AccessLog(database: database).verify() {
                case .intact(let records):
                    print("Access log intact: \(records) records.")
                case .broken(let seq, let reason):
                    printError("access log broken at record \(seq): \(reason)")
                    throw ExitCode(1)
                }
            }
        }
    }
}
