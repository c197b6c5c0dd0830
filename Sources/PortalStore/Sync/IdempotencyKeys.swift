import Foundation
import SQLKit

/// The answers given to sync requests that carried an `Idempotency-Key`, so that a retry gets the same answer and
/// a different body under the same key is recognised.
///
/// A key is claimed before its batch is ingested (a row with an empty answer), so that of two requests racing with
/// one key only one ingests; the other is told the key is in use. A claim whose request died before answering is
/// taken over after `abandonedAfter`.
public struct IdempotencyKeys: Sendable {
    let database: Database
    /// How long a claim may stay unanswered before another request with the key may take it over.
    public static let abandonedAfter: TimeInterval = 60

    /// The keys on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// The SHA-256 of a request body, as stored with the key.
    public static func hash(_ body: some Sequence<UInt8>) -> String {
        Digest.sha256Hex(body)
    }

    /// What a request may do with its key.
    public enum Claim: Sendable, Equatable {
        /// The request holds the key: it ingests, then stores its answer (or releases the key if it fails).
        case claimed
        /// The key answered this body before: the same answer again.
        case replay(String)
        /// The key was used with another body.
        case otherBody
        /// Another request with this key and body is being processed.
        case inProgress
    }

    /// Claims a client's key for a body.
    public func claim(clientID: Int64, key: String, bodyHash: String, now: Date = Date()) async throws -> Claim {
        let inserted = try await database.sql.raw(
            """
            INSERT INTO idempotency_keys (client_id, idempotency_key, body_hash, response, created_at)
            VALUES (\(bind: clientID), \(bind: key), \(bind: bodyHash), '', \(bind: now.epochMilliseconds))
            ON CONFLICT (client_id, idempotency_key) DO NOTHING RETURNING client_id
            """
        ).first()
        if inserted != nil { return .claimed }
        guard
            let row = try await database.sql.raw(
                """
                SELECT body_hash, response, created_at FROM idempotency_keys
                WHERE client_id = \(bind: clientID) AND idempotency_key = \(bind: key)
                """
            ).first()
        else { return .inProgress }
        guard try row.decode(column: "body_hash", as: String.self) == bodyHash else { return .otherBody }
        let response = try row.decode(column: "response", as: String.self)
        if !response.isEmpty { return .replay(response) }
        let claimedAt = try row.decode(column: "created_at", as: Int64.self)
        let abandoned = now.addingTimeInterval(-Self.abandonedAfter).epochMilliseconds
        guard claimedAt < abandoned else { return .inProgress }
        let takenOver = try await database.sql.raw(
            """
            UPDATE idempotency_keys SET created_at = \(bind: now.epochMilliseconds)
            WHERE client_id = \(bind: clientID) AND idempotency_key = \(bind: key) AND response = ''
            AND created_at = \(bind: claimedAt) RETURNING client_id
            """
        ).first()
        return takenOver == nil ? .inProgress : .claimed
    }

    /// Keeps the answer for a claimed key.
    public func store(clientID: Int64, key: String, response: String) async throws {
        try await database.sql.raw(
            """
            UPDATE idempotency_keys SET response = \(bind: response)
            WHERE client_id = \(bind: clientID) AND idempotency_key = \(bind: key)
            """
        ).run()
    }

    /// Gives a claimed key back after its request failed, so that a retry may use it at once.
    public func release(clientID: Int64, key: String) async throws {
        try await database.sql.raw(
            """
            DELETE FROM idempotency_keys
            WHERE client_id = \(bind: clientID) AND idempotency_key = \(bind: key) AND response = ''
            """
        ).run()
    }
}
