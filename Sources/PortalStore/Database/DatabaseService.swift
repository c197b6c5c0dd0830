import Logging
import ServiceLifecycle

/// Keeps the database pool open while the application runs and closes it after every other service has stopped.
public struct DatabaseService: Service {
    public let database: Database

    /// Wraps an open database.
    public init(database: Database) {
        self.database = database
    }

    /// Waits for shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await database.shutdown()
    }
}
