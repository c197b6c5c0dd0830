import SQLKit

/// The portal's running totals (accounts registered, status syncs, dossiers processed, …) kept in one small table
/// so that headline figures never need a scan.
public struct CounterStore: Sendable {
    let database: Database

    /// A store on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// Adds `amount` to a counter using `connection`, normally the transaction of the change being counted.
    public static func increment(_ name: PortalCounter, by amount: Int64 = 1, on connection: any SQLDatabase)
        async throws
    {
        try await increment([(name, amount)], on: connection)
    }

    /// Adds to several counters in one statement; amounts of 0 are left out.
    static func increment(_ amounts: [(PortalCounter, Int64)], on connection: any SQLDatabase) async throws {
        let amounts = amounts.filter { $0.1 != 0 }
        guard !amounts.isEmpty else { return }
        let rows = amounts.map { "(\(bind: $0.0.rawValue), \(bind: $0.1))" as SQLQueryString }
        try await connection.raw(
            "INSERT INTO portal_counters (name, value) VALUES " + rows.joined(separator: ", ")
                + " ON CONFLICT (name) DO UPDATE SET value = portal_counters.value + excluded.value"
        ).run()
    }

    /// Every counter's value; a counter never incremented is 0.
    public func values() async throws -> [PortalCounter: Int64] {
        var values = Dictionary(uniqueKeysWithValues: PortalCounter.allCases.map { ($0, Int64(0)) })
        for row in try await database.sql.raw("SELECT name, value FROM portal_counters").all() {
            if let counter = PortalCounter(rawValue: try row.decode(column: "name", as: String.self)) {
                values[counter] = try row.decode(column: "value", as: Int64.self)
            }
        }
        return values
    }
}

/// The names of the portal's running totals.
public enum PortalCounter: String, Sendable, CaseIterable {
    case accounts
    case statusSyncs = "status_syncs"
    case dossiersProcessed = "dossiers_processed"
    case hits
}
