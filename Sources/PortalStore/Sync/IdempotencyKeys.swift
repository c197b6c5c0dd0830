import Foundation
import SQLKit

/// The answers given to sync requests that carried an `Idempotency-Key`, so that a retry gets the same answer and
/// a different body under the same key is recognised.
public struct IdempotencyKeys: Sendable {
    let database: Database

    /// The keys on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// The SHA-256 of a request body, as stored with the key.
    public static func hash(_ body: some Sequence<UInt8>) -> String {
        Digest.sha256Hex(body)
    }

    /// The stored answer for a client's key, with the hash of the body it answered.
    public func stored(clientID: Int64, key: String) async throws -> (bodyHash: String, response: String)? {
        try await database.sql.raw(
            """
            SELECT body_hash, response FROM idempotency_keys
            WHERE client_id = \(bind: clientID) AND idempotency_key = \(bind: key)
            """
        ).first().map {
            (try $0.decode(column: "body_hash", as: String.self), try $0.decode(column: "response", as: String.self))
        }
    }

    /// Keeps the answer for the key. Two requests racing with one key both ingest (events are idempotent on their
    /// own), and the first answer stored is the one replayed.
    public func store(clientID: Int64, key: String, bodyHash: String, response: String, now: Date = Date()) async throws
    {
        try await database.sql.raw(
            """
            INSERT INTO idempotency_keys (client_id, idempotency_key, body_hash, response, created_at)
            VALUES (\(bind: clientID), \(bind: key), \(bind: bodyHash), \(bind: response), \(bind: now.epochMilliseconds))
            ON CONFLICT (client_id, idempotency_key) DO NOTHING
            """
        ).run()
    }
}
