import ArgumentParser
import Logging
import PortalStore
import PortalWeb

/// `opendvc attachments sweep`: removes upload leftovers and files no dossier refers to any more.
struct AttachmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachments", abstract: "Maintain the attachment store.", subcommands: [Sweep.self])

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete unfinished uploads and unreferenced files older than the given age.")

        @Option(help: "Only files older than this many minutes are deleted (uploads in progress are younger).")
        var olderThanMinutes: Int = 60

        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard olderThanMinutes >= 1 else { throw ValidationError("--older-than-minutes must be at least 1") }
        }

        func run() async throws {
            try await runReportingFailures {
                var config = try await AppConfig.load(flags: storage.flags)
                config.loadsDemoCatalogue = false
                let logger = bootstrapLogging(level: .warning)
                let portal = try await Portal.open(config: config, logger: logger)
                do {
                    let store = AttachmentStore(
                        root: config.attachmentsDirectory, maximumFileSize: config.maximumFileBytes)
                    let dossiers = DossierStore(database: portal.database)
                    let report = try await store.sweep(minimumAge: Double(olderThanMinutes) * 60) { hashes in
                        try await dossiers.referencedHashes(hashes)
                    }
                    print(
                        "Removed \(report.temporaryFiles) unfinished uploads and \(report.orphanBlobs) unreferenced files; kept \(report.keptBlobs)."
                    )
                } catch {
                    await portal.database.shutdown()
                    throw error
                }
                await portal.database.shutdown()
            }
        }
    }
}
