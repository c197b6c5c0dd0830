import Crypto
import Foundation
import SQLKit

/// Sign-in sessions in the database, so that they hold across several `serve` processes.
///
/// The browser keeps a 128-bit random token; the table keeps its SHA-256. A session ends after `idleTimeout`
/// without use or `absoluteTimeout` after sign-in, whichever comes first.
public struct SessionStore: Sendable {
    let database: Database
    public var idleTimeout: Duration
    public var absoluteTimeout: Duration

    /// A store with the portal's timeouts: 30 minutes idle, 12 hours in all.
    public init(
        database: Database, idleTimeout: Duration = .seconds(1800), absoluteTimeout: Duration = .seconds(43_200)
    ) {
        self.database = database
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
    }

    /// A signed-in session as the web layer sees it.
    public struct Session: Sendable, Equatable {
        public let accountID: Int64
        public let role: String
        public let fullName: String
        public let csrfToken: String
        /// The agency an officer or agency administrator works for.
        public let agencyCode: String?
        /// Whether the account has enrolled a TOTP authenticator.
        public let twoFactorEnrolled: Bool
        /// Whether this session has passed the second factor.
        public let secondFactorPassed: Bool
    }

    /// Starts a session for an account and returns the token for the cookie (never stored as such).
    public func create(accountID: Int64, now: Date = Date()) async throws -> (token: String, csrfToken: String) {
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        try await database.sql.insert(into: "sessions")
            .columns("token_hash", "account_id", "csrf_token", "created_at", "last_seen_at")
            .values(
                SQLBind(Self.hash(token)), SQLBind(accountID), SQLBind(csrf), SQLBind(now.epochMilliseconds),
                SQLBind(now.epochMilliseconds)
            )
            .run()
        return (token, csrf)
    }

    /// The live session for a token, refreshed; nil when unknown, expired or the account is locked.
    public func find(token: String, now: Date = Date()) async throws -> Session? {
        guard token.count == 32, token.allSatisfy(\.isHexDigit) else { return nil }
        let hash = Self.hash(token)
        let nowMs = now.epochMilliseconds
        guard
            let row = try await database.sql.raw(
                """
                SELECT s.account_id, s.csrf_token, s.created_at, s.last_seen_at, s.second_factor, a.role, a.full_name,
                    a.locked, a.agency_code, a.totp_enabled
                FROM sessions s JOIN accounts a ON a.id = s.account_id
                WHERE s.token_hash = \(bind: hash)
                """
            ).first()
        else { return nil }
        let createdAt = try row.decode(column: "created_at", as: Int64.self)
        let lastSeen = try row.decode(column: "last_seen_at", as: Int64.self)
        guard nowMs - lastSeen < idleTimeout.milliseconds, nowMs - createdAt < absoluteTimeout.milliseconds,
            try row.decode(column: "locked", as: Int.self) == 0
        else {
            try await database.sql.delete(from: "sessions").where("token_hash", .equal, hash).run()
            return nil
        }
        // Writing on every request would make every page a write; a minute's precision is enough for timeouts.
        if nowMs - lastSeen > 60_000 {
            try await database.sql.update("sessions").set("last_seen_at", to: nowMs).where("token_hash", .equal, hash)
                .run()
        }
        return Session(
            accountID: try row.decode(column: "account_id", as: Int64.self),
            role: try row.decode(column: "role", as: String.self),
            fullName: try row.decode(column: "full_name", as: String.self),
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            agencyCode: try row.decode(column: "agency_code", as: String?.self),
            twoFactorEnrolled: try row.decode(column: "totp_enabled", as: Int.self) != 0,
            secondFactorPassed: try row.decode(column: "second_factor", as: Int.self) != 0)
    }

    /// Marks the session as having passed the second factor.
    public func markSecondFactorPassed(token: String) async throws {
        try await database.sql.update("sessions").set("second_factor", to: 1)
            .where("token_hash", .equal, Self.hash(token)).run()
    }

    /// Ends one session.
    public func delete(token: String) async throws {
        try await database.sql.delete(from: "sessions").where("token_hash", .equal, Self.hash(token)).run()
    }

    /// Ends every session of an account (after a password change or a lock).
    public func deleteAll(accountID: Int64) async throws {
        try await database.sql.delete(from: "sessions").where("account_id", .equal, accountID).run()
    }

    /// 128 random bits as 32 hexadecimal digits.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let value: UInt64 = generator.next()
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func hash(_ token: String) -> String {
        Digest.sha256Hex(token)
    }
}
