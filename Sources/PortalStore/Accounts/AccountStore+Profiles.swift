import Foundation
import PortalCore
import SQLKit

extension AccountStore {
    /// The applicant details an account holds, with province and commune names, for prefilling a dossier.
    public func applicant(accountID: Int64) async throws -> Applicant? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT a.role, a.full_name, a.personal_id, a.tax_code, a.birth_date, a.sex, a.phone, a.email,
                    p.name AS province_name, c.name AS commune_name
                FROM accounts a LEFT JOIN provinces p ON p.code = a.province_code
                LEFT JOIN communes c ON c.code = a.commune_code
                WHERE a.id = \(bind: accountID)
                """
            ).first()
        else { return nil }
        return Applicant(
            accountType: try row.decode(column: "role", as: String.self),
            fullName: try row.decode(column: "full_name", as: String.self),
            personalID: try row.decode(column: "personal_id", as: String?.self),
            taxCode: try row.decode(column: "tax_code", as: String?.self),
            birthDate: try row.decode(column: "birth_date", as: String?.self),
            sex: try row.decode(column: "sex", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self),
            email: try row.decode(column: "email", as: String?.self),
            provinceName: try row.decode(column: "province_name", as: String?.self),
            communeName: try row.decode(column: "commune_name", as: String?.self))
    }

    /// The e-mail address notices about an account's dossiers go to.
    public func email(accountID: Int64) async throws -> String? {
        try await database.sql.raw("SELECT email FROM accounts WHERE id = \(bind: accountID)").first()?
            .decode(column: "email", as: String?.self)
    }

    /// Creates a staff account (officer, agency administrator or administrator), counts and audits it, in one
    /// transaction. Officers and agency administrators are bound to one agency, which must exist.
    @discardableResult
    public func createStaff(
        role: StaffRole, email: String, fullName: String, passwordHash: String, agencyCode: String?,
        createdBy: Int64? = nil
    ) async throws -> Int64 {
        let normalized = email.lowercased()
        return try await database.transaction { db in
            if try await db.raw("SELECT id FROM accounts WHERE email = \(bind: normalized)").first() != nil {
                throw AccountStoreError.emailTaken
            }
            if role.needsAgency {
                guard let agencyCode,
                    try await db.raw("SELECT code FROM agencies WHERE code = \(bind: agencyCode)").first() != nil
                else { throw AccountStoreError.unknownAgency }
            }
            let row = try await db.insert(into: "accounts")
                .columns("role", "email", "full_name", "password_hash", "agency_code", "created_at")
                .values(
                    SQLBind(role.rawValue), SQLBind(normalized), SQLBind(fullName), SQLBind(passwordHash),
                    SQLBind(role.needsAgency ? agencyCode : nil), SQLBind(Date().epochMilliseconds)
                )
                .returning("id")
                .first()
            guard let id = try row?.decode(column: "id", as: Int64.self) else {
                throw AccountStoreError.insertReturnedNothing
            }
            try await CounterStore.increment(.accounts, on: db)
            try await AuditLog.record(
                "role_granted", accountID: id,
                detail: [role.rawValue, role.needsAgency ? agencyCode : nil, createdBy.map { "by \($0)" }]
                    .compactMap { $0 }.joined(separator: " "),
                on: db)
            return id
        }
    }
}

/// The roles of staff accounts.
public enum StaffRole: String, Sendable, CaseIterable {
    case officer
    case agencyAdmin = "agency_admin"
    case admin

    /// Whether the role works for one agency.
    public var needsAgency: Bool { self != .admin }
}
