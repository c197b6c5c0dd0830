import Foundation
import PortalCore
import SQLKit

extension AccountStore {
    /// An account's two-factor settings.
    public struct TwoFactorState: Sendable, Equatable {
        /// The TOTP secret in base32: pending while `enabled` is false.
        public let secret: String?
        public let enabled: Bool
        public let email: String?
    }

    /// The two-factor settings of an account.
    public func twoFactorState(accountID: Int64) async throws -> TwoFactorState? {
        guard
            let row = try await database.sql.raw(
                "SELECT totp_secret, totp_enabled, email FROM accounts WHERE id = \(bind: accountID)"
            ).first()
        else { return nil }
        return TwoFactorState(
            secret: try row.decode(column: "totp_secret", as: String?.self),
            enabled: try row.decode(column: "totp_enabled", as: Int.self) != 0,
            email: try row.decode(column: "email", as: String?.self))
    }

    /// Stores a new pending secret, unless two-factor is already enabled.
    public func startTwoFactorEnrolment(accountID: Int64, secret: String) async throws {
        try await database.sql.raw(
            """
            UPDATE accounts SET totp_secret = \(bind: secret), totp_last_step = NULL
            WHERE id = \(bind: accountID) AND totp_enabled = 0
            """
        ).run()
    }

    /// Enables two-factor after a first correct code, storing only hashes of the recovery codes.
    public func completeTwoFactorEnrolment(accountID: Int64, step: Int, recoveryCodes: [String]) async throws {
        let hashes = try String(decoding: JSONEncoder().encode(recoveryCodes.map(Self.hashRecoveryCode)), as: UTF8.self)
        try await database.transaction { db in
            let updated = try await db.raw(
                """
                UPDATE accounts SET totp_enabled = 1, totp_last_step = \(bind: step), recovery_codes = \(bind: hashes)
                WHERE id = \(bind: accountID) AND totp_enabled = 0 AND totp_secret IS NOT NULL RETURNING id
                """
            ).first()
            guard updated != nil else { throw AccountStoreError.twoFactorStateChanged }
            try await AuditLog.record("two_factor_enabled", accountID: accountID, on: db)
        }
    }

    /// Accepts a TOTP time step once: a code already used (or an older one) is refused, so a code seen over a
    /// shoulder cannot be replayed within its 30 seconds.
    public func acceptTwoFactorStep(accountID: Int64, step: Int) async throws -> Bool {
        try await database.sql.raw(
            """
            UPDATE accounts SET totp_last_step = \(bind: step)
            WHERE id = \(bind: accountID) AND totp_enabled = 1
            AND (totp_last_step IS NULL OR totp_last_step < \(bind: step)) RETURNING id
            """
        ).first() != nil
    }

    /// Uses up one recovery code; false when it is not one of the account's unused codes.
    public func useRecoveryCode(accountID: Int64, code: String) async throws -> Bool {
        let hash = Self.hashRecoveryCode(code)
        return try await database.transaction { db in
            guard
                let row = try await db.raw(
                    "SELECT recovery_codes FROM accounts WHERE id = \(bind: accountID) AND totp_enabled = 1"
                ).first(),
                let text = try row.decode(column: "recovery_codes", as: String?.self)
            else { return false }
            var hashes = try JSONDecoder().decode([String].self, from: Data(text.utf8))
            guard let index = hashes.firstIndex(of: hash) else { return false }
            hashes.remove(at: index)
            let remaining = String(decoding: try JSONEncoder().encode(hashes), as: UTF8.self)
            try await db.update("accounts").set("recovery_codes", to: remaining).where("id", .equal, accountID).run()
            try await AuditLog.record(
                "recovery_code_used", accountID: accountID, detail: "\(hashes.count) left", on: db)
            return true
        }
    }

    /// Removes two-factor (an administrator's reset); the person enrols again at next sign-in.
    public func resetTwoFactor(accountID: Int64, by administrator: Int64) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE accounts SET totp_enabled = 0, totp_secret = NULL, totp_last_step = NULL, recovery_codes = NULL
                WHERE id = \(bind: accountID)
                """
            ).run()
            try await db.delete(from: "sessions").where("account_id", .equal, accountID).run()
            try await AuditLog.record("two_factor_reset", accountID: accountID, detail: "by \(administrator)", on: db)
        }
    }

    static func hashRecoveryCode(_ code: String) -> String {
        Digest.sha256Hex(RecoveryCodes.normalize(code))
    }
}
