import ArgumentParser
import Hummingbird
import PortalWeb

/// `opendvc serve`: the web portal, with an in-process job worker unless told otherwise.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web portal (migrates the database and loads the demo catalogue).")

    @Option(help: "Address to listen on (env OPENDVC_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env OPENDVC_PORT; default 8080).")
    var port: String?

    @Flag(
        name: .customLong("no-worker"), help: "Do not run background jobs in this process (env OPENDVC_WORKER=false).")
    var noWorker = false

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await runReportingFailures {
            var flags = storage.flags
            flags[.host] = host
            flags[.port] = port
            if noWorker { flags[.worker] = "false" }
            let config = try await AppConfig.load(flags: flags)
            let logger = bootstrapLogging(level: config.logLevel)
            let app = try await buildApplication(config: config, logger: logger)
            try await app.runService()
        }
    }
}
