import ArgumentParser
import PortalStore
import PortalWeb
import ServiceLifecycle
import UnixSignals

/// `opendvc worker`: runs background jobs only, until SIGTERM or SIGINT.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run background jobs (several workers may share one PostgreSQL database).")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await runReportingFailures {
            let config = try await AppConfig.load(flags: storage.flags)
            let logger = bootstrapLogging(level: config.logLevel)
            let portal = try await Portal.open(config: config, logger: logger)
            let group = ServiceGroup(
                services: [
                    DatabaseService(database: portal.database),
                    JobWorker(queue: portal.jobs, handlers: portal.jobHandlers, logger: logger),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            try await group.run()
        }
    }
}
