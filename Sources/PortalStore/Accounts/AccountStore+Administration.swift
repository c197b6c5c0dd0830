import Foundation
import SQLKit

extension AccountStore {
    /// An account as the administration pages list it: no ID number, no password.
    public struct Listed: Sendable, Hashable {
        public let id: Int64
        public let role: String
        public let email: String?
        public let fullName: String
        public let agencyCode: String?
        public let locked: Bool
        public let twoFactorEnabled: Bool
        public let lastLoginAt: Date?
    }

    /// Accounts for the administration pages: staff by default, or any account whose e-mail contains `email`;
    /// only those of `agencyCode` when given (an agency administrator sees only their agency).
    public func listed(
        email: String? = nil, agencyCode: String? = nil, limit: Int = 50, offset: Int = 0
    ) async throws -> (items: [Listed], total: Int) {
        var condition: SQLQueryString = "1 = 1"
        if let email, !email.isEmpty {
            condition += " AND email LIKE \(bind: "%" + email.lowercased() + "%")"
        } else {
            condition += " AND role IN ('officer', 'agency_admin', 'admin')"
        }
        if let agencyCode { condition += " AND agency_code = \(bind: agencyCode)" }
        let total =
            try await database.sql.raw("SELECT COUNT(*) AS n FROM accounts WHERE \(condition)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.listedColumns) FROM accounts WHERE \(condition) ORDER BY id LIMIT \(bind: limit) OFFSET \(bind: offset)"
        ).all()
        return (try rows.map(Self.listed(from:)), total)
    }

    /// One listed account.
    public func listed(accountID: Int64) async throws -> Listed? {
        try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.listedColumns) FROM accounts WHERE id = \(bind: accountID)"
        ).first().map(Self.listed(from:))
    }

    static let listedColumns = "id, role, email, full_name, agency_code, locked, totp_enabled, last_login_at"

    static func listed(from row: any SQLRow) throws -> Listed {
        Listed(
            id: try row.decode(column: "id", as: Int64.self), role: try row.decode(column: "role", as: String.self),
            email: try row.decode(column: "email", as: String?.self),
            fullName: try row.decode(column: "full_name", as: String.self),
            agencyCode: try row.decode(column: "agency_code", as: String?.self),
            locked: try row.decode(column: "locked", as: Int.self) != 0,
            twoFactorEnabled: try row.decode(column: "totp_enabled", as: Int.self) != 0,
            lastLoginAt: try row.decode(column: "last_login_at", as: Int64?.self).map(Date.init(epochMilliseconds:)))
    }

    /// Locks or unlocks an account; a lock ends its sessions. Audited with the administrator who did it.
    public func setLocked(_ locked: Bool, accountID: Int64, by administrator: Int64) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE accounts SET locked = \(bind: locked ? 1 : 0),
                    locked_reason = \(bind: locked ? "administrator" : nil as String?)
                WHERE id = \(bind: accountID)
                """
            ).run()
            if locked { try await db.delete(from: "sessions").where("account_id", .equal, accountID).run() }
            try await AuditLog.record(
                locked ? "locked" : "unlocked", accountID: accountID, detail: "by \(administrator)", on: db)
        }
    }
}

extension AccountStore {
    /// Gives a staff account another role or agency. Citizens and businesses cannot be made staff this way (staff
    /// accounts are created as such). Audited with the old and new values; the account's sessions end.
    public func changeStaffRole(accountID: Int64, to role: StaffRole, agencyCode: String?, by administrator: Int64)
        async throws
    {
        try await database.transaction { db in
            guard
                let row = try await db.raw("SELECT role, agency_code FROM accounts WHERE id = \(bind: accountID)")
                    .first(),
                let old = StaffRole(rawValue: try row.decode(column: "role", as: String.self))
            else { throw AccountStoreError.notStaff }
            let oldAgency = try row.decode(column: "agency_code", as: String?.self)
            let newAgency = role.needsAgency ? agencyCode : nil
            if role.needsAgency {
                guard let newAgency,
                    try await db.raw("SELECT code FROM agencies WHERE code = \(bind: newAgency)").first() != nil
                else { throw AccountStoreError.unknownAgency }
            }
            try await db.raw(
                "UPDATE accounts SET role = \(bind: role.rawValue), agency_code = \(bind: newAgency) WHERE id = \(bind: accountID)"
            ).run()
            try await db.delete(from: "sessions").where("account_id", .equal, accountID).run()
            try await AuditLog.record(
                "role_changed", accountID: accountID,
                detail:
                    "\(old.rawValue) \(oldAgency ?? "-") -> \(role.rawValue) \(newAgency ?? "-") by \(administrator)",
                on: db)
        }
    }
}
