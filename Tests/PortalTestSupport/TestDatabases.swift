import Foundation
import Logging
import PortalStore
import SQLKit

/// The database engines a storage or HTTP test runs on: SQLite always, PostgreSQL when
/// `OPENDVC_TEST_POSTGRES_URL` names a server where the test user may create databases.
public enum TestEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The engines available in this run.
    public static var available: [TestEngine] {
        TestDatabases.postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public var description: String { rawValue }
}

/// Fresh, isolated databases for tests: a temporary SQLite file, or a new PostgreSQL database cloned from a
/// template migrated once per test process.
public enum TestDatabases {
    /// The PostgreSQL server for tests, from the environment.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["OPENDVC_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A logger that discards everything, for tests that do not inspect logs.
    public static let quietLogger = Logger(label: "opendvc.test") { _ in SwiftLogNoOpLogHandler() }

    /// A new empty database URL (and a data directory for it), removed after `body`. With `migrated`, the schema
    /// is already current (no demo data).
    public static func withDatabaseURL<Result: Sendable>(
        _ engine: TestEngine, migrated: Bool = true,
        _ body: (_ url: DatabaseURL, _ dataDirectory: String) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("opendvc-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        switch engine {
        case .sqlite:
            let url = DatabaseURL.sqlite(path: directory + "/opendvc.sqlite")
            if migrated {
                let database = try await Database.open(url, logger: quietLogger)
                do {
                    try await Migrator(database: database).migrate(logger: quietLogger)
                } catch {
                    await database.shutdown()
                    throw error
                }
                await database.shutdown()
            }
            return try await body(url, directory)
        case .postgres:
            let name = try await PostgresDatabases.shared.create(migrated: migrated)
            do {
                let result = try await body(try PostgresDatabases.url(database: name), directory)
                try await PostgresDatabases.shared.drop(name)
                return result
            } catch {
                try? await PostgresDatabases.shared.drop(name)
                throw error
            }
        }
    }

    /// An open database for `body`, closed and removed afterwards.
    public static func withDatabase<Result: Sendable>(
        _ engine: TestEngine, migrated: Bool = true, _ body: (Database) async throws -> Result
    ) async throws -> Result {
        try await withDatabaseURL(engine, migrated: migrated) { url, _ in
            let database = try await Database.open(url, logger: quietLogger)
            do {
                let result = try await body(database)
                await database.shutdown()
                return result
            } catch {
                await database.shutdown()
                throw error
            }
        }
    }
}

/// Creates and drops PostgreSQL test databases through one maintenance connection.
///
/// The maintenance connection and the template are each made by one task that later callers await: the actor is
/// re-entrant at every `await`, so a plain "if nil, create" would let two tests create them twice.
///
/// Swift Testing starts every test at once. Left alone, dozens of `CREATE DATABASE` statements would queue on the
/// maintenance pool (whose requests time out) and dozens of pools would compete for the server's connections, so
/// at most `maximumLive` test databases exist at a time; the other tests wait for a slot, without a timeout.
actor PostgresDatabases {
    static let shared = PostgresDatabases()
    static let maximumLive = 4
    private var admin: Task<Database, any Error>?
    private var template: Task<String, any Error>?
    private var counter = 0
    private var live = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private let prefix = "opendvc_t\(getpid())_"

    static func url(database: String) throws -> DatabaseURL {
        guard let base = TestDatabases.postgresURL, var components = URLComponents(string: base) else {
            throw TestDatabaseError.noPostgres
        }
        components.path = "/" + database
        guard let text = components.string else { throw TestDatabaseError.noPostgres }
        return .postgres(url: text)
    }

    private func adminDatabase() async throws -> Database {
        if let admin { return try await admin.value }
        let task = Task<Database, any Error> {
            guard let base = TestDatabases.postgresURL else { throw TestDatabaseError.noPostgres }
            let database = try await Database.open(try DatabaseURL(parsing: base), logger: TestDatabases.quietLogger)
            try await Self.dropStaleDatabases(database)
            return database
        }
        admin = task
        return try await task.value
    }

    /// Drops databases left by test processes that no longer run (their pid is in the name).
    private static func dropStaleDatabases(_ database: Database) async throws {
        let rows = try await database.sql.raw("SELECT datname FROM pg_database WHERE datname LIKE 'opendvc_t%'").all()
        for row in rows {
            let name = try row.decode(column: "datname", as: String.self)
            let digits = name.dropFirst("opendvc_t".count).prefix { $0.isNumber }
            guard let pid = Int32(digits), pid != getpid(), kill(pid, 0) != 0 else { continue }
            try await database.sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
        }
    }

    /// Waits for a free slot, then creates a database; `drop` gives the slot back.
    func create(migrated: Bool) async throws -> String {
        await acquireSlot()
        do {
            let admin = try await adminDatabase()
            counter += 1
            let name = prefix + String(counter)
            if migrated {
                let template = try await migratedTemplate(admin).value
                try await admin.sql.raw("CREATE DATABASE \(ident: name) TEMPLATE \(ident: template)").run()
            } else {
                try await admin.sql.raw("CREATE DATABASE \(ident: name) TEMPLATE template0").run()
            }
            return name
        } catch {
            releaseSlot()
            throw error
        }
    }

    private func acquireSlot() async {
        if live < Self.maximumLive {
            live += 1
            return
        }
        // The slot is handed over by `releaseSlot`, so `live` stays counted for the waiter.
        await withCheckedContinuation { waiting.append($0) }
    }

    private func releaseSlot() {
        if waiting.isEmpty {
            live -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    private func migratedTemplate(_ admin: Database) -> Task<String, any Error> {
        if let template { return template }
        let name = prefix + "template"
        let task = Task<String, any Error> { try await Self.makeTemplate(name: name, admin: admin) }
        template = task
        return task
    }

    private static func makeTemplate(name: String, admin: Database) async throws -> String {
        try await admin.sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
        try await admin.sql.raw("CREATE DATABASE \(ident: name) TEMPLATE template0").run()
        let database = try await Database.open(try Self.url(database: name), logger: TestDatabases.quietLogger)
        do {
            try await Migrator(database: database).migrate(logger: TestDatabases.quietLogger)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
        return name
    }

    func drop(_ name: String) async throws {
        defer { releaseSlot() }
        let admin = try await adminDatabase()
        try await admin.sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
    }
}

/// Why a test database could not be made.
public enum TestDatabaseError: Error {
    case noPostgres
}
