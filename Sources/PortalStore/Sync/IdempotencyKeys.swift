import Foundation
import SQLKit

/// The answers given to sync requests that carried an `Idempotency-Key`, so that a retry gets the same answer and
/// a different body under the same key is recognised.
///
/// The key is claimed, with the answer the batch will get, by the first statement of the batch's writes in its
/// transaction (the batch is decided before its writes, so its answer is known by then), so that a request racing
/// with the same key waits for the first to commit and then sees its answer, and a request that dies (or a server
/// killed) leaves no claim behind: its retry is ingested afresh.
public enum IdempotencyKeys {
    /// The SHA-256 of a request body, as stored with the key.
    public static func hash(_ body: some Sequence<UInt8>) -> String {
        Digest.sha256Hex(body)
    }

    /// A client's key and the hash of the body it came with.
    public struct Claim: Sendable, Hashable {
        public let clientID: Int64
        public let key: String
        public let bodyHash: String

        public init(clientID: Int64, key: String, bodyHash: String) {
            self.clientID = clientID
            self.key = key
            self.bodyHash = bodyHash
        }
    }

    /// What the key allows, decided inside the batch's transaction.
    public enum Decision: Sendable, Equatable {
        /// First use: the batch is ingested and its answer stored with the key.
        case claimed
        /// The key answered this body before: the same answer again.
        case replay(String)
        /// The key was used with another body.
        case otherBody
    }

    /// Claims the key with `response`, the answer of the batch about to be written in the same transaction (one
    /// statement: the answer, tens of kilobytes for a large batch, is written once).
    static func claim(_ claim: Claim, response: String, now: Date, on db: any SQLDatabase) async throws -> Decision {
        let inserted = try await db.raw(
            """
            INSERT INTO idempotency_keys (client_id, idempotency_key, body_hash, response, created_at)
            VALUES (\(bind: claim.clientID), \(bind: claim.key), \(bind: claim.bodyHash), \(bind: response), \
            \(bind: now.epochMilliseconds))
            ON CONFLICT (client_id, idempotency_key) DO NOTHING RETURNING client_id
            """
        ).first()
        if inserted != nil { return .claimed }
        // Another transaction committed the key first (this one waited for it on the unique key).
        guard
            let row = try await db.raw(
                """
                SELECT body_hash, response FROM idempotency_keys
                WHERE client_id = \(bind: claim.clientID) AND idempotency_key = \(bind: claim.key)
                """
            ).first()
        else { throw DossierStoreError.conflict }
        guard try row.decode(column: "body_hash", as: String.self) == claim.bodyHash else { return .otherBody }
        return .replay(try row.decode(column: "response", as: String.self))
    }
}
