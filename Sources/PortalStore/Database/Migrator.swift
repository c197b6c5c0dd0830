import Foundation
import Logging
import SQLKit

/// Brings a database's schema up to date, safely when several processes start at once.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [Migration]

    /// A migrator for the portal's own migrations.
    public init(database: Database) {
        self.init(database: database, migrations: Migrations.all)
    }

    init(database: Database, migrations: [Migration]) {
        self.database = database
        self.migrations = migrations
    }

    /// The newest schema version this build knows.
    public var latestVersion: Int { migrations.map(\.version).max() ?? 0 }

    /// Applies every pending migration in one transaction and returns the versions applied.
    @discardableResult
    public func migrate(logger: Logger) async throws -> [Int] {
        let dialect = database.dialect
        let migrations = self.migrations
        let applied = try await database.transaction { db in
            if let lock = dialect.migrationLock {
                try await db.raw(SQLQueryString(lock)).run()
            }
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL
                )
                """
            ).run()
            let done = Set(
                try await db.select().column("version").from("schema_migrations").all()
                    .map { try $0.decode(column: "version", as: Int.self) }
            )
            var applied: [Int] = []
            for migration in migrations.sorted(by: { $0.version < $1.version }) where !done.contains(migration.version)
            {
                for statement in migration.statements(dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(
                        SQLBind(migration.version), SQLBind(migration.name), SQLBind(Date().epochMilliseconds)
                    )
                    .run()
                applied.append(migration.version)
            }
            return applied
        }
        for version in applied {
            logger.info("migration applied", metadata: ["version": "\(version)"])
        }
        return applied
    }

    /// The newest applied version, or nil when the database has never been migrated.
    public func currentVersion() async throws -> Int? {
        let exists =
            try await database.sql.raw(SQLQueryString(database.dialect.schemaMigrationsPresentQuery))
            .first()?.decode(column: "present", as: Int.self) ?? 0
        guard exists == 1 else { return nil }
        return try await database.sql.raw("SELECT MAX(version) AS version FROM schema_migrations").first()?
            .decode(column: "version", as: Int?.self)
    }
}
