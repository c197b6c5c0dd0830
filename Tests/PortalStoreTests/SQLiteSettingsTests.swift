import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct SQLiteSettingsTests {
    func pragma(_ name: String, on database: Database) async throws -> String {
        let row = try #require(try await database.sql.raw(SQLQueryString("PRAGMA \(name)")).first())
        // Each pragma names its one column differently (busy_timeout answers in "timeout").
        let column = try #require(row.allColumns.first)
        if let text = try? row.decode(column: column, as: String.self) { return text }
        return String(try row.decode(column: column, as: Int.self))
    }

    @Test func connectionsUseWALFullSyncForeignKeysABusyTimeoutAndMemoryTempStore() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            // Several queries in a row may land on different pooled connections: every one must be set up.
            for _ in 0..<6 {
                let journal = try await pragma("journal_mode", on: database)
                let synchronous = try await pragma("synchronous", on: database)
                let foreignKeys = try await pragma("foreign_keys", on: database)
                let busyTimeout = try await pragma("busy_timeout", on: database)
                let tempStore = try await pragma("temp_store", on: database)
                #expect(journal.lowercased() == "wal")
                #expect(synchronous == "2")
                #expect(foreignKeys == "1")
                #expect(busyTimeout == "10000")
                // 2 = MEMORY: a large statement's journal is not a file made and deleted at every commit.
                #expect(tempStore == "2")
            }
            // The writer's own connection, which write transactions run on, too.
            let inTransaction = try await database.transaction { db in
                try await db.raw("PRAGMA temp_store").first()?.decode(column: "temp_store", as: Int.self)
            }
            #expect(inTransaction == 2)
        }
    }

    @Test func normalSynchronousCanBeChosen() async throws {
        try await TestDatabases.withDatabaseURL(.sqlite) { url, _ in
            let database = try await Database.open(
                url, sqliteOptions: SQLiteOptions(synchronous: .normal), logger: TestDatabases.quietLogger)
            let synchronous = try await pragma("synchronous", on: database)
            #expect(synchronous == "1")
            await database.shutdown()
        }
    }

    @Test func foreignKeysAreEnforced() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            await #expect(throws: (any Error).self) {
                try await database.sql.raw(
                    "INSERT INTO agencies (code, name, level, parent_code) VALUES ('x', 'X', 'central', 'missing')"
                ).run()
            }
        }
    }
}
