// AsyncKit's EventLoopGroupConnectionPool guards its state with a lock but predates Sendable annotations.
@preconcurrency import AsyncKit
import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLiteNIO

/// Opens SQLite connections with the portal's per-connection settings applied before first use.
///
/// The connections run on a thread pool of their own with a thread per connection: a statement waiting for the
/// write lock (`busy_timeout`) blocks its thread, and with fewer threads than connections the waiters could take
/// every thread while the writer holding the lock waits for one to finish.
struct SQLitePooledSource: ConnectionPoolSource {
    let path: String
    let options: SQLiteOptions
    let threadPool: NIOThreadPool

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop)
            .flatMap { connection in
                // busy_timeout replaces SQLiteNIO's spinning busy handler with SQLite's sleeping one.
                //
                // temp_store = MEMORY keeps temporary files in memory, the statement journal among them: a statement
                // that writes many rows inside a transaction (a sync batch's inserts) journals the pages it changes
                // so that it alone can be undone, and past 64 KiB SQLite moved that journal to a file it created,
                // wrote and deleted at every commit (4 % of the portal's CPU under sync load, in system calls). The
                // statement journal plays no part in recovery after a crash: the WAL and `synchronous` do.
                let pragmas = [
                    "PRAGMA foreign_keys = ON",
                    "PRAGMA synchronous = \(options.synchronous.rawValue)",
                    "PRAGMA busy_timeout = \(options.busyTimeoutMilliseconds)",
                    "PRAGMA temp_store = MEMORY",
                ]
                var future = eventLoop.makeSucceededVoidFuture()
                for pragma in pragmas {
                    future = future.flatMap { connection.query(pragma).map { _ in () } }
                }
                return future.map { connection }.flatMapError { error in
                    connection.close().flatMapThrowing { throw error }
                }
            }
    }
}

/// An `SQLiteDatabase` that borrows a connection from the pool for each query or session.
struct SQLitePooledDatabase: SQLiteDatabase {
    let pool: EventLoopGroupConnectionPool<SQLitePooledSource>
    let logger: Logger

    var eventLoop: any EventLoop { pool.eventLoopGroup.any() }

    func query(
        _ query: String, _ binds: [SQLiteData], logger: Logger,
        _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
    }

    func withConnection<T>(
        _ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>
    ) -> EventLoopFuture<T> {
        pool.withConnection(logger: logger, closure)
    }
}

extension SQLitePooledDatabase {
    func query(_ query: String, _ binds: [SQLiteData], _ onRow: @escaping @Sendable (SQLiteRow) -> Void) async throws {
        try await self.query(query, binds, logger: logger, onRow).get()
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await closure(connection)
    }
}
