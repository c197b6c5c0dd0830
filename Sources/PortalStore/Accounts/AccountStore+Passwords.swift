import Foundation
import SQLKit

extension AccountStore {
    /// How long a password-reset link works.
    public static let resetLifetime: TimeInterval = 30 * 60

    /// The stored bcrypt hash of an account's password.
    public func passwordHash(accountID: Int64) async throws -> String? {
        try await database.sql.raw("SELECT password_hash FROM accounts WHERE id = \(bind: accountID)").first()?
            .decode(column: "password_hash", as: String.self)
    }

    /// Replaces the password and ends every other session of the account (the one making the change stays).
    public func changePassword(accountID: Int64, newHash: String, keepingSession token: String?) async throws {
        try await database.transaction { db in
            try await db.update("accounts").set("password_hash", to: newHash).where("id", .equal, accountID).run()
            if let token {
                try await db.raw(
                    """
                    DELETE FROM sessions WHERE account_id = \(bind: accountID) AND token_hash <> \(bind: SessionStore.hash(token))
                    """
                ).run()
            } else {
                try await db.delete(from: "sessions").where("account_id", .equal, accountID).run()
            }
            try await AuditLog.record("password_changed", accountID: accountID, on: db)
        }
    }

    /// Starts a password reset for the account with this e-mail, if there is one: a single-use token valid for 30
    /// minutes (earlier unused tokens of the account stop working), and the e-mail with the link queued in the same
    /// transaction. Returns whether an account was found; the page says the same either way.
    @discardableResult
    public func startPasswordReset(
        email: String, now: Date = Date(), link: @escaping @Sendable (String) -> String
    ) async throws
        -> Bool
    {
        let normalized = email.trimmingCharacters(in: .whitespaces).lowercased()
        let jobs = JobQueue(database: database)
        return try await database.transaction { db in
            guard
                let row = try await db.raw("SELECT id FROM accounts WHERE email = \(bind: normalized)").first()
            else { return false }
            let accountID = try row.decode(column: "id", as: Int64.self)
            let token = SessionStore.randomToken()
            try await db.raw(
                "UPDATE password_resets SET used_at = \(bind: now.epochMilliseconds) WHERE account_id = \(bind: accountID) AND used_at IS NULL"
            ).run()
            try await db.insert(into: "password_resets")
                .columns("token_hash", "account_id", "created_at", "expires_at")
                .values(
                    SQLBind(SessionStore.hash(token)), SQLBind(accountID), SQLBind(now.epochMilliseconds),
                    SQLBind(now.addingTimeInterval(Self.resetLifetime).epochMilliseconds)
                )
                .run()
            try await Notifications.queueMessage(
                channel: .email, recipient: normalized, subject: "Cổng Dịch vụ công: đặt lại mật khẩu",
                body: """
                    Để đặt lại mật khẩu, mở liên kết sau trong 30 phút: \(link(token))
                    Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu cũ vẫn dùng được.

                    To reset your password, open this link within 30 minutes: \(link(token))
                    If you did not ask for this, ignore this message; your password is unchanged.
                    """,
                at: now, jobs: jobs, on: db)
            try await AuditLog.record("password_reset_requested", accountID: accountID, at: now, on: db)
            return true
        }
    }

    /// Whether a reset token is still usable (unknown, used and expired tokens are not).
    public func isResetTokenValid(_ token: String, now: Date = Date()) async throws -> Bool {
        guard token.count == 32, token.allSatisfy(\.isHexDigit) else { return false }
        return try await database.sql.raw(
            """
            SELECT account_id FROM password_resets WHERE token_hash = \(bind: SessionStore.hash(token))
            AND used_at IS NULL AND expires_at > \(bind: now.epochMilliseconds)
            """
        ).first() != nil
    }

    /// Uses a reset token once: sets the new password, unlocks an account locked for inactivity, ends every
    /// session. Returns the account, or nil when the token is unknown, used or expired.
    public func completePasswordReset(token: String, newHash: String, now: Date = Date()) async throws -> Int64? {
        guard token.count == 32, token.allSatisfy(\.isHexDigit) else { return nil }
        let hash = SessionStore.hash(token)
        return try await database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    UPDATE password_resets SET used_at = \(bind: now.epochMilliseconds)
                    WHERE token_hash = \(bind: hash) AND used_at IS NULL AND expires_at > \(bind: now.epochMilliseconds)
                    RETURNING account_id
                    """
                ).first()
            else { return nil }
            let accountID = try row.decode(column: "account_id", as: Int64.self)
            try await db.raw(
                """
                UPDATE accounts SET password_hash = \(bind: newHash), locked = 0, locked_reason = NULL,
                    inactivity_warned_at = NULL, last_login_at = NULL
                WHERE id = \(bind: accountID) AND (locked = 0 OR locked_reason = 'inactivity')
                """
            ).run()
            try await db.delete(from: "sessions").where("account_id", .equal, accountID).run()
            try await AuditLog.record("password_reset", accountID: accountID, at: now, on: db)
            return accountID
        }
    }

    /// Tells the owner of an account that sign-in was paused after repeated wrong passwords.
    public func queueThrottleNotice(accountID: Int64, retryAfter seconds: Int, now: Date = Date()) async throws {
        let jobs = JobQueue(database: database)
        try await database.transaction { db in
            guard
                let email = try await db.raw("SELECT email FROM accounts WHERE id = \(bind: accountID)").first()?
                    .decode(column: "email", as: String?.self)
            else { return }
            try await Notifications.queueMessage(
                channel: .email, recipient: email, subject: "Cổng Dịch vụ công: nhiều lần đăng nhập sai",
                body: """
                    Tài khoản của bạn vừa bị nhập sai mật khẩu nhiều lần; đăng nhập tạm dừng \(seconds) giây.
                    Nếu không phải bạn, hãy đổi mật khẩu.

                    Someone entered a wrong password for your account several times; sign-in is paused for \(seconds) seconds.
                    If it was not you, change your password.
                    """,
                at: now, jobs: jobs, on: db)
            try await AuditLog.record("throttle_notice", accountID: accountID, at: now, on: db)
        }
    }

}
