// AsyncKit's EventLoopGroupConnectionPool guards its state with a lock but predates Sendable annotations.
@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The portal's database: one SQLKit interface over SQLite or PostgreSQL, with transactions and a clean shutdown.
public struct Database: Sendable {
    /// Which engine runs underneath, for the few places where the SQL differs (see `EngineDialect`).
    public let dialect: EngineDialect
    /// Runs one statement on any pooled connection; use `transaction` for anything that writes twice.
    public let sql: any SQLDatabase
    /// The URL with its password redacted.
    public let displayURL: String
    private let closePool: @Sendable () async throws -> Void
    /// On SQLite, write transactions of this process take turns here, waiting without holding a thread.
    ///
    /// SQLite allows one writer at a time; a connection waiting for the lock blocks one of the few threads of the
    /// thread pool that runs every connection, so enough waiting writers would stall the writer that holds the
    /// lock. Other processes on the same file still wait through `busy_timeout`.
    private let writeGate: WriteGate?
    /// On SQLite, where write transactions run (see `transaction`).
    private let writerExecutor: ThreadPoolExecutor?
    /// On SQLite, the one connection write transactions use, on a thread of its own (see `transaction`).
    private let writer: (any SQLDatabase)?
    /// The catalogue as search holds it in memory, shared by every copy of this value.
    let searchIndex = CatalogueSearchIndex()
    /// The statistics' period figures as of the last refresh, shared by every copy of this value.
    let statisticsCache = AggregateCache()

    init(
        dialect: EngineDialect, sql: any SQLDatabase, displayURL: String,
        writer: (sql: any SQLDatabase, threadPool: NIOThreadPool)? = nil,
        closePool: @escaping @Sendable () async throws -> Void
    ) {
        self.writer = writer?.sql
        self.writerExecutor = writer.map { ThreadPoolExecutor(threadPool: $0.threadPool) }
        self.dialect = dialect
        self.sql = sql
        self.displayURL = displayURL
        self.closePool = closePool
        self.writeGate = dialect == .sqlite ? WriteGate() : nil
    }

    /// Opens a pool on the URL and checks that the database answers, so that a wrong URL fails at start-up.
    public static func open(
        _ url: DatabaseURL, sqliteOptions: SQLiteOptions = .init(), logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(DatabaseOpenError) -> Database {
        let database: Database
        switch url {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw .unreachable(url: url.description, reason: "cannot create the directory \(directory.path)")
            }
            let connectionsPerEventLoop = 4
            let threadPool = NIOThreadPool(
                numberOfThreads: connectionsPerEventLoop * Array(eventLoopGroup.makeIterator()).count)
            threadPool.start()
            let pool = EventLoopGroupConnectionPool(
                source: SQLitePooledSource(path: path, options: sqliteOptions, threadPool: threadPool),
                maxConnectionsPerEventLoop: connectionsPerEventLoop,
                logger: logger,
                on: eventLoopGroup
            )
            // Write transactions take turns (see `WriteGate`), so one connection serves them all. Its thread runs
            // both the statements and the Swift between them: a statement then costs no thread wake-up.
            let writerThread = NIOThreadPool(numberOfThreads: 1)
            writerThread.start()
            let writerPool = EventLoopGroupConnectionPool(
                source: SQLitePooledSource(path: path, options: sqliteOptions, threadPool: writerThread),
                maxConnectionsPerEventLoop: 1,
                logger: logger,
                on: eventLoopGroup.next()
            )
            database = Database(
                dialect: .sqlite,
                sql: SQLitePooledDatabase(pool: pool, logger: logger).sql(queryLogLevel: nil),
                displayURL: url.description,
                writer: (SQLitePooledDatabase(pool: writerPool, logger: logger).sql(queryLogLevel: nil), writerThread),
                closePool: {
                    try await writerPool.shutdownAsync()
                    try await pool.shutdownAsync()
                    try await writerThread.shutdownGracefully()
                    try await threadPool.shutdownGracefully()
                }
            )
            do {
                // WAL is a property of the file, set once; readers then never block the writer.
                let mode = try await database.sql.raw("PRAGMA journal_mode = WAL").first()
                let journal = try mode?.decode(column: "journal_mode", as: String.self)
                guard journal?.lowercased() == "wal" else {
                    await database.shutdown()
                    throw DatabaseOpenError.unreachable(url: url.description, reason: "WAL journal mode refused")
                }
            } catch let error as DatabaseOpenError {
                throw error
            } catch {
                await database.shutdown()
                throw .unreachable(url: url.description, reason: Self.shortReason(error))
            }
        case .postgres(let text):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: text)
            } catch {
                throw .unreachable(url: url.description, reason: "the URL cannot be used: \(Self.shortReason(error))")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: 8,
                requestTimeout: .seconds(10),
                logger: logger,
                on: eventLoopGroup
            )
            database = Database(
                dialect: .postgres,
                sql: pool.database(logger: logger).sql(queryLogLevel: nil),
                displayURL: url.description,
                closePool: { try await pool.shutdownAsync() }
            )
            do {
                // The probe runs with a quiet logger so that a wrong URL is reported once, by the caller, and not
                // also by the pool.
                var quiet = logger
                quiet.logLevel = .critical
                try await pool.database(logger: quiet).sql(queryLogLevel: nil).raw("SELECT 1").run()
            } catch {
                await database.shutdown()
                throw .unreachable(url: url.description, reason: Self.shortReason(error))
            }
        }
        return database
    }

    /// Runs `body` in one write transaction on one connection: committed if it returns, rolled back if it throws.
    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let begin = dialect.beginWriteTransaction
        guard let writeGate, let writerExecutor, let writer else { return try await run(begin: begin, on: sql, body) }
        // SQLite's one writer runs its steps between statements on the writer connection's own thread: a
        // statement then starts on the thread that ran the last, without waking another (see `ThreadPoolExecutor`).
        return try await withTaskExecutorPreference(writerExecutor) {
            await writeGate.enter()
            do {
                let result = try await run(begin: begin, on: writer, body)
                await writeGate.leave()
                return result
            } catch {
                await writeGate.leave()
                throw error
            }
        }
    }

    private func run<Result: Sendable>(
        begin: String, on sql: any SQLDatabase, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await sql.withSession { connection in
            try await connection.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(connection)
                try await connection.raw("COMMIT").run()
                return result
            } catch {
                // The original error is the one worth reporting; a failed rollback ends the connection anyway.
                try? await connection.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Closes every pooled connection.
    public func shutdown() async {
        await searchIndex.close()
        try? await closePool()
    }

    /// A one-line reason for an error from a driver, without stack or connection details.
    static func shortReason(_ error: any Error) -> String {
        let text = String(reflecting: error)
        for (needle, reason) in [
            ("Connection refused", "connection refused"), ("password authentication failed", "authentication failed"),
            ("does not exist", "the database or role does not exist"), ("timed out", "connection timed out"),
            ("No such host", "unknown host"),
        ] where text.localizedCaseInsensitiveContains(needle) {
            return reason
        }
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return String(firstLine.prefix(240))
    }
}

/// Why the database could not be opened.
public enum DatabaseOpenError: Error, Sendable, CustomStringConvertible {
    case unreachable(url: String, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            return "cannot open the database \(url): \(reason)"
        }
    }
}

/// Milliseconds since the Unix epoch, the portal's storage form of an instant.
extension Date {
    /// This instant in milliseconds since 1970-01-01T00:00:00Z.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The instant `milliseconds` after the Unix epoch.
    public init(epochMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}

/// Runs jobs on a thread pool: for SQLite's write transactions, the one thread of the writer connection. A write
/// transaction alternates between Swift (deciding the next statement) and SQLite (running it on the connection's
/// thread); run on the shared cooperative threads, each statement cost two thread wake-ups, a third of a millisecond
/// on a loaded machine, while the transaction held SQLite's only write lock. Here the thread that finishes a
/// statement takes the job that resumes the transaction itself, and then runs the next statement.
final class ThreadPoolExecutor: TaskExecutor {
    let threadPool: NIOThreadPool

    init(threadPool: NIOThreadPool) {
        self.threadPool = threadPool
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // A job is run even when the pool is shutting down: a task must never be left suspended.
        threadPool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// One writer at a time, in arrival order; waiting is a suspended task, not a blocked thread.
actor WriteGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        // `leave` hands the gate over directly, so `busy` stays true for the waiter.
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
