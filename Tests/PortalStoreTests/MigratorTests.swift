import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct MigratorTests {
    @Test(arguments: TestEngine.available)
    func aFreshDatabaseIsMigratedOnceAndThenLeftAlone(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine, migrated: false) { database in
            let migrator = Migrator(database: database)
            #expect(try await migrator.currentVersion() == nil)
            let first = try await migrator.migrate(logger: TestDatabases.quietLogger)
            #expect(first == Array(1...migrator.latestVersion))
            #expect(try await migrator.currentVersion() == migrator.latestVersion)
            let second = try await migrator.migrate(logger: TestDatabases.quietLogger)
            #expect(second.isEmpty)
            // The tables exist and are empty.
            let jobs = try await database.sql.raw("SELECT COUNT(*) AS n FROM jobs").first()?.decode(
                column: "n", as: Int.self)
            #expect(jobs == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func twoProcessesMigratingAtOnceApplyEachMigrationOnce(engine: TestEngine) async throws {
        try await TestDatabases.withDatabaseURL(engine, migrated: false) { url, _ in
            let first = try await Database.open(url, logger: TestDatabases.quietLogger)
            let second = try await Database.open(url, logger: TestDatabases.quietLogger)
            async let a = Migrator(database: first).migrate(logger: TestDatabases.quietLogger)
            async let b = Migrator(database: second).migrate(logger: TestDatabases.quietLogger)
            let (appliedByA, appliedByB) = try await (a, b)
            let latest = Migrator(database: first).latestVersion
            #expect((appliedByA + appliedByB).sorted() == Array(1...latest))
            let rows = try await first.sql.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()?
                .decode(column: "n", as: Int.self)
            #expect(rows == latest)
            await first.shutdown()
            await second.shutdown()
        }
    }
}
