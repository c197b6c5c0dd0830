import Foundation
import PortalCore
import SQLKit

/// The pull side of the sync: an agency's one-stop system fetches the dossiers submitted on the portal for its
/// agency, in a stable order (the cursor is the dossier's storage id), and acknowledges what it has taken.
public struct SyncInbox: Sendable {
    let database: Database

    /// The inbox on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// One dossier for the agency's system, with what it needs to process it (the agency may see personal data).
    public struct Entry: Sendable {
        public let cursor: Int64
        public let dossier: Dossier
    }

    /// The client's acknowledged position.
    public func acknowledged(clientID: Int64) async throws -> Int64 {
        try await database.sql.raw("SELECT inbox_cursor FROM agency_clients WHERE id = \(bind: clientID)").first()?
            .decode(column: "inbox_cursor", as: Int64.self) ?? 0
    }

    /// Dossiers submitted on the portal for the agency after `cursor`, oldest first; each read is recorded in the
    /// access log.
    public func entries(client: AgencyClients.Client, after cursor: Int64, limit: Int) async throws -> [Entry] {
        let ids = try await database.sql.raw(
            """
            SELECT id FROM dossiers WHERE agency_code = \(bind: client.agencyCode) AND origin = 'portal'
            AND status IS NOT NULL AND id > \(bind: cursor) ORDER BY id LIMIT \(bind: limit)
            """
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
        var entries: [Entry] = []
        for id in ids {
            guard
                let dossier = try await DossierStore.load(
                    where: ("d.id = \(bind: id)" as SQLQueryString), on: database.sql)
            else { continue }
            entries.append(Entry(cursor: id, dossier: dossier))
        }
        if !entries.isEmpty {
            let read = entries.map(\.cursor)
            try await database.transaction { db in
                for id in read {
                    try await AccessLog.record(
                        action: "sync_pull", reason: "agency client \(client.id)", dossierID: id,
                        accountID: nil, actorRole: "agency_system", on: db)
                }
            }
        }
        return entries
    }

    /// Moves the client's acknowledged position forward (never back); returns the position now stored.
    public func acknowledge(clientID: Int64, cursor: Int64) async throws -> Int64 {
        try await database.sql.raw(
            """
            UPDATE agency_clients SET inbox_cursor = \(bind: cursor)
            WHERE id = \(bind: clientID) AND inbox_cursor < \(bind: cursor)
            """
        ).run()
        return try await acknowledged(clientID: clientID)
    }
}
