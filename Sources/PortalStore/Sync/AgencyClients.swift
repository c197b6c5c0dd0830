import Foundation
import SQLKit

/// The one-stop systems of agencies that report dossiers through the sync API, each with a bearer token that acts
/// for one agency. Only the token's SHA-256 is stored.
public struct AgencyClients: Sendable {
    let database: Database

    /// The clients on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// An authenticated client.
    public struct Client: Sendable, Hashable {
        public let id: Int64
        public let agencyCode: String
        public let name: String
    }

    /// Adds a client for an agency, creating the agency when the directory lacks it; returns the client and its
    /// token (shown once). Names are unique.
    public func add(agencyCode: String, name: String, now: Date = Date()) async throws -> (Client, String) {
        let token = SessionStore.randomToken() + SessionStore.randomToken()
        let hash = SessionStore.hash(token)
        let client = try await database.transaction { db -> Client in
            if try await db.raw("SELECT id FROM agency_clients WHERE name = \(bind: name)").first() != nil {
                throw AgencyClientError.nameTaken
            }
            if try await db.raw("SELECT code FROM agencies WHERE code = \(bind: agencyCode)").first() == nil {
                // Named by its identifier until the directory is imported; `G…` units are ministries, `H…` provinces.
                let level = agencyCode.split(separator: ".").last?.hasPrefix("G") == true ? "central" : "province"
                try await db.insert(into: "agencies").columns("code", "name", "level", "status")
                    .values(SQLBind(agencyCode), SQLBind(agencyCode), SQLBind(level), SQLBind("current")).run()
            }
            let row = try await db.insert(into: "agency_clients")
                .columns("agency_code", "name", "token_hash", "created_at")
                .values(SQLBind(agencyCode), SQLBind(name), SQLBind(hash), SQLBind(now.epochMilliseconds))
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int64.self) else { throw AgencyClientError.insertFailed }
            try await AuditLog.record("agency_client_added", accountID: nil, detail: "\(id) \(agencyCode)", on: db)
            return Client(id: id, agencyCode: agencyCode, name: name)
        }
        return (client, token)
    }

    /// Revokes a client; its token stops working at once. False when there is no such active client.
    public func revoke(id: Int64, now: Date = Date()) async throws -> Bool {
        try await database.transaction { db in
            let row = try await db.raw(
                """
                UPDATE agency_clients SET revoked_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
                """
            ).first()
            if row != nil {
                try await AuditLog.record("agency_client_revoked", accountID: nil, detail: "\(id)", on: db)
            }
            return row != nil
        }
    }

    /// The active client a bearer token belongs to.
    public func client(token: String) async throws -> Client? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await database.sql.raw(
            """
            SELECT id, agency_code, name FROM agency_clients
            WHERE token_hash = \(bind: SessionStore.hash(token)) AND revoked_at IS NULL
            """
        ).first().map { row in
            Client(
                id: try row.decode(column: "id", as: Int64.self),
                agencyCode: try row.decode(column: "agency_code", as: String.self),
                name: try row.decode(column: "name", as: String.self))
        }
    }

    /// The active client with this name and token (the legacy connector's login).
    public func client(name: String, token: String) async throws -> Client? {
        guard let client = try await client(token: token), client.name == name else { return nil }
        return client
    }

    /// How long a legacy connector's session lasts.
    public static let legacySessionLifetime: TimeInterval = 60 * 60

    /// Opens a session for the legacy connector's login (client name and token); nil for wrong credentials.
    public func openLegacySession(name: String, token: String, now: Date = Date()) async throws -> String? {
        guard let client = try await client(name: name, token: token) else { return nil }
        let session = SessionStore.randomToken() + SessionStore.randomToken()
        try await database.sql.insert(into: "legacy_sessions").columns("token_hash", "client_id", "expires_at")
            .values(
                SQLBind(SessionStore.hash(session)), SQLBind(client.id),
                SQLBind(now.addingTimeInterval(Self.legacySessionLifetime).epochMilliseconds)
            )
            .run()
        // Expired sessions are cleared as new ones open, so the table stays small.
        try await database.sql.raw("DELETE FROM legacy_sessions WHERE expires_at < \(bind: now.epochMilliseconds)")
            .run()
        return session
    }

    /// The client of a live legacy session, or of a client token given in its place.
    public func client(legacySession session: String, now: Date = Date()) async throws -> Client? {
        guard session.count == 64, session.allSatisfy(\.isHexDigit) else { return nil }
        if let row = try await database.sql.raw(
            """
            SELECT c.id, c.agency_code, c.name FROM legacy_sessions s JOIN agency_clients c ON c.id = s.client_id
            WHERE s.token_hash = \(bind: SessionStore.hash(session)) AND s.expires_at > \(bind: now.epochMilliseconds)
            AND c.revoked_at IS NULL
            """
        ).first() {
            return Client(
                id: try row.decode(column: "id", as: Int64.self),
                agencyCode: try row.decode(column: "agency_code", as: String.self),
                name: try row.decode(column: "name", as: String.self))
        }
        return try await client(token: session)
    }

}

/// Why a client could not be added.
public enum AgencyClientError: Error, Sendable, CustomStringConvertible {
    case nameTaken
    case insertFailed

    public var description: String {
        switch self {
        case .nameTaken: "name: a client with this name already exists"
        case .insertFailed: "the client could not be stored"
        }
    }
}
