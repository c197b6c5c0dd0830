import Foundation
import SQLKit

/// Stores accounts. Passwords arrive already hashed; this type never sees one in clear.
public struct AccountStore: Sendable {
    let database: Database

    /// A store on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// Creates an administrator account and counts it, in one transaction.
    @discardableResult
    public func createAdministrator(email: String, fullName: String, passwordHash: String) async throws -> Int64 {
        let normalized = email.lowercased()
        return try await database.transaction { db in
            let existing = try await db.raw("SELECT id FROM accounts WHERE email = \(bind: normalized)").first()
            guard existing == nil else { throw AccountStoreError.emailTaken }
            let row = try await db.insert(into: "accounts")
                .columns("role", "email", "full_name", "password_hash", "created_at")
                .values(
                    SQLBind("admin"), SQLBind(normalized), SQLBind(fullName), SQLBind(passwordHash),
                    SQLBind(Date().epochMilliseconds)
                )
                .returning("id")
                .first()
            try await CounterStore.increment(.accounts, on: db)
            guard let row else { throw AccountStoreError.insertReturnedNothing }
            return try row.decode(column: "id", as: Int64.self)
        }
    }

    /// A new citizen or business account, already validated.
    public struct Registration: Sendable {
        public var role: String
        public var personalID: String?
        public var taxCode: String?
        public var fullName: String
        public var birthDate: String?
        public var sex: String?
        public var phone: String
        public var email: String
        public var provinceCode: String
        public var communeCode: String?
        public var passwordHash: String

        /// A registration; `role` is `citizen` or `business`.
        public init(
            role: String, personalID: String?, taxCode: String?, fullName: String, birthDate: String?, sex: String?,
            phone: String, email: String, provinceCode: String, communeCode: String?, passwordHash: String
        ) {
            self.role = role
            self.personalID = personalID
            self.taxCode = taxCode
            self.fullName = fullName
            self.birthDate = birthDate
            self.sex = sex
            self.phone = phone
            self.email = email
            self.provinceCode = provinceCode
            self.communeCode = communeCode
            self.passwordHash = passwordHash
        }
    }

    /// Stores a registration, counts it and audits it, in one transaction. Throws `AccountStoreError` naming the
    /// identifier already taken.
    public func register(_ registration: Registration) async throws -> Int64 {
        let email = registration.email.lowercased()
        return try await database.transaction { db in
            if try await db.raw("SELECT id FROM accounts WHERE email = \(bind: email)").first() != nil {
                throw AccountStoreError.emailTaken
            }
            if let id = registration.personalID,
                try await db.raw("SELECT id FROM accounts WHERE personal_id = \(bind: id)").first() != nil
            {
                throw AccountStoreError.personalIDTaken
            }
            if let code = registration.taxCode,
                try await db.raw("SELECT id FROM accounts WHERE tax_code = \(bind: code)").first() != nil
            {
                throw AccountStoreError.taxCodeTaken
            }
            let row = try await db.insert(into: "accounts")
                .columns(
                    "role", "email", "personal_id", "tax_code", "full_name", "password_hash", "birth_date", "sex",
                    "phone", "province_code", "commune_code", "created_at"
                )
                .values(
                    SQLBind(registration.role), SQLBind(email), SQLBind(registration.personalID),
                    SQLBind(registration.taxCode), SQLBind(registration.fullName), SQLBind(registration.passwordHash),
                    SQLBind(registration.birthDate), SQLBind(registration.sex), SQLBind(registration.phone),
                    SQLBind(registration.provinceCode), SQLBind(registration.communeCode),
                    SQLBind(Date().epochMilliseconds)
                )
                .returning("id")
                .first()
            guard let row else { throw AccountStoreError.insertReturnedNothing }
            let id = try row.decode(column: "id", as: Int64.self)
            try await CounterStore.increment(.accounts, on: db)
            try await AuditLog.record("register", accountID: id, detail: registration.role, on: db)
            return id
        }
    }

    /// The account a sign-in name (ID number, tax code or e-mail) belongs to, with what sign-in needs.
    public func signInRecord(login: String) async throws -> (id: Int64, passwordHash: String, locked: Bool)? {
        let login = login.trimmingCharacters(in: .whitespaces)
        let row = try await database.sql.raw(
            """
            SELECT id, password_hash, locked FROM accounts
            WHERE personal_id = \(bind: login) OR tax_code = \(bind: login) OR email = \(bind: login.lowercased())
            """
        ).first()
        guard let row else { return nil }
        return (
            try row.decode(column: "id", as: Int64.self), try row.decode(column: "password_hash", as: String.self),
            try row.decode(column: "locked", as: Int.self) != 0
        )
    }

    /// Records an account event (failed sign-in, sign-out) in the audit log.
    public func recordEvent(_ event: String, accountID: Int64?) async throws {
        try await AuditLog.record(event, accountID: accountID, on: database.sql)
    }

    /// Records a successful sign-in.
    public func recordSignIn(accountID: Int64, now: Date = Date()) async throws {
        try await database.transaction { db in
            try await db.update("accounts").set("last_login_at", to: now.epochMilliseconds)
                .where("id", .equal, accountID).run()
            try await AuditLog.record("login", accountID: accountID, at: now, on: db)
        }
    }
}

/// Why an account could not be stored.
public enum AccountStoreError: Error, Sendable, Equatable {
    case emailTaken
    case personalIDTaken
    case taxCodeTaken
    case unknownAgency
    case notStaff
    case twoFactorStateChanged
    case insertReturnedNothing
}
