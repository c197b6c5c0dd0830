import Foundation
import SQLKit

/// The append-only record of who read a dossier's personal data or changed it, when and why.
///
/// Each record's hash covers the previous record's hash, so deleting or editing a record breaks the chain from
/// that point on; `verify` finds the first broken link. Writers take the head row first, which serialises them on
/// both engines (a row lock on PostgreSQL, the write lock on SQLite), so the chain never forks.
public struct AccessLog: Sendable {
    let database: Database

    /// The log on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// One record as the applicant's page shows it.
    public struct Entry: Sendable, Hashable {
        public let seq: Int64
        public let at: Date
        public let accountID: Int64?
        public let actorRole: String
        public let actorName: String?
        public let action: String
        public let reason: String
    }

    /// Appends a record using `connection`, normally the transaction of the change it records.
    public static func record(
        action: String, reason: String, dossierID: Int64?, accountID: Int64?, actorRole: String, at: Date = Date(),
        on connection: any SQLDatabase
    ) async throws {
        // Taking the head first locks it until the transaction ends.
        try await connection.raw("UPDATE access_log_head SET last_seq = last_seq WHERE id = 1").run()
        guard
            let head = try await connection.raw("SELECT last_seq, last_hash FROM access_log_head WHERE id = 1").first()
        else { throw AccessLogError.missingHead }
        let seq = try head.decode(column: "last_seq", as: Int64.self) + 1
        let previous = try head.decode(column: "last_hash", as: String.self)
        let milliseconds = at.epochMilliseconds
        let hash = Self.hash(
            previous: previous, seq: seq, at: milliseconds, accountID: accountID, actorRole: actorRole,
            dossierID: dossierID, action: action, reason: reason)
        try await connection.insert(into: "access_log")
            .columns(
                "seq", "at", "account_id", "actor_role", "dossier_id", "action", "reason", "previous_hash", "hash"
            )
            .values(
                SQLBind(seq), SQLBind(milliseconds), SQLBind(accountID), SQLBind(actorRole), SQLBind(dossierID),
                SQLBind(action), SQLBind(reason), SQLBind(previous), SQLBind(hash)
            )
            .run()
        try await connection.raw(
            "UPDATE access_log_head SET last_seq = \(bind: seq), last_hash = \(bind: hash) WHERE id = 1"
        ).run()
    }

    /// Appends a record in its own transaction (a read of personal data).
    public func record(action: String, reason: String, dossierID: Int64?, accountID: Int64?, actorRole: String)
        async throws
    {
        try await database.transaction { db in
            try await Self.record(
                action: action, reason: reason, dossierID: dossierID, accountID: accountID, actorRole: actorRole,
                on: db)
        }
    }

    /// The records about one dossier, newest first, with the name of the account that made each.
    public func entries(dossierID: Int64, limit: Int = 100) async throws -> [Entry] {
        try await database.sql.raw(
            """
            SELECT l.seq, l.at, l.account_id, l.actor_role, l.action, l.reason, a.full_name
            FROM access_log l LEFT JOIN accounts a ON a.id = l.account_id
            WHERE l.dossier_id = \(bind: dossierID) ORDER BY l.seq DESC LIMIT \(bind: limit)
            """
        ).all().map { row in
            Entry(
                seq: try row.decode(column: "seq", as: Int64.self),
                at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
                accountID: try row.decode(column: "account_id", as: Int64?.self),
                actorRole: try row.decode(column: "actor_role", as: String.self),
                actorName: try row.decode(column: "full_name", as: String?.self),
                action: try row.decode(column: "action", as: String.self),
                reason: try row.decode(column: "reason", as: String.self))
        }
    }

    /// The outcome of checking the chain.
    public enum Verification: Sendable, Equatable {
        case intact(records: Int64)
        case broken(atSeq: Int64, reason: String)
    }

    /// Walks the whole chain in order, in pages, recomputing every hash.
    public func verify(pageSize: Int = 5000) async throws -> Verification {
        var previous = ""
        var expectedSeq: Int64 = 1
        while true {
            let rows = try await database.sql.raw(
                """
                SELECT seq, at, account_id, actor_role, dossier_id, action, reason, previous_hash, hash
                FROM access_log WHERE seq >= \(bind: expectedSeq) ORDER BY seq LIMIT \(bind: pageSize)
                """
            ).all()
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int64.self)
                guard seq == expectedSeq else { return .broken(atSeq: expectedSeq, reason: "record missing") }
                guard try row.decode(column: "previous_hash", as: String.self) == previous else {
                    return .broken(atSeq: seq, reason: "previous hash does not match")
                }
                let hash = Self.hash(
                    previous: previous, seq: seq, at: try row.decode(column: "at", as: Int64.self),
                    accountID: try row.decode(column: "account_id", as: Int64?.self),
                    actorRole: try row.decode(column: "actor_role", as: String.self),
                    dossierID: try row.decode(column: "dossier_id", as: Int64?.self),
                    action: try row.decode(column: "action", as: String.self),
                    reason: try row.decode(column: "reason", as: String.self))
                guard try row.decode(column: "hash", as: String.self) == hash else {
                    return .broken(atSeq: seq, reason: "record altered")
                }
                previous = hash
                expectedSeq += 1
            }
            if rows.count < pageSize { break }
        }
        let head = try await database.sql.raw("SELECT last_seq, last_hash FROM access_log_head WHERE id = 1").first()
        let lastSeq = try head?.decode(column: "last_seq", as: Int64.self) ?? -1
        let lastHash = try head?.decode(column: "last_hash", as: String.self) ?? ""
        guard lastSeq == expectedSeq - 1, lastHash == previous else {
            return .broken(atSeq: expectedSeq, reason: "records after the last one are missing")
        }
        return .intact(records: expectedSeq - 1)
    }

    /// The hash of a record: SHA-256 over the previous hash and every field, separated so fields cannot run
    /// into each other.
    static func hash(
        previous: String, seq: Int64, at: Int64, accountID: Int64?, actorRole: String, dossierID: Int64?,
        action: String, reason: String
    ) -> String {
        let fields = [
            previous, String(seq), String(at), accountID.map(String.init) ?? "-", actorRole,
            dossierID.map(String.init) ?? "-", action, reason,
        ]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Digest.sha256Hex(text)
    }
}

/// Why the access log could not be written.
public enum AccessLogError: Error, Sendable {
    case missingHead
}
