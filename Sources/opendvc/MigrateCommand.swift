import ArgumentParser
import PortalStore
import PortalWeb

/// `opendvc migrate`: brings the database schema up to date and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations and exit.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await runReportingFailures {
            var config = try await AppConfig.load(flags: storage.flags)
            config.loadsDemoCatalogue = false
            let logger = bootstrapLogging(level: config.logLevel)
            let database = try await Database.open(config.databaseURL, sqliteOptions: config.sqlite, logger: logger)
            let migrator = Migrator(database: database)
            let applied: [Int]
            do {
                applied = try await migrator.migrate(logger: logger)
            } catch {
                await database.shutdown()
                throw error
            }
            print(
                applied.isEmpty
                    ? "Schema already at version \(migrator.latestVersion)."
                    : "Applied migrations \(applied.map(String.init).joined(separator: ", ")); schema at version \(migrator.latestVersion)."
            )
            await database.shutdown()
        }
    }
}
