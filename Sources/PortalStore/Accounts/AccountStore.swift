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

    /// The role and password hash stored for an e-mail address.
    public func credentials(email: String) async throws -> (role: String, passwordHash: String)? {
        guard
            let row = try await database.sql.raw(
                "SELECT role, password_hash FROM accounts WHERE email = \(bind: email.lowercased())"
            ).first()
        else { return nil }
        return (
            try row.decode(column: "role", as: String.self), try row.decode(column: "password_hash", as: String.self)
        )
    }
}

/// Why an account could not be stored.
public enum AccountStoreError: Error, Sendable, Equatable {
    case emailTaken
    case insertReturnedNothing
}
