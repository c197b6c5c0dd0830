import Foundation
import PortalStore

/// Creates staff accounts; the `create-admin` and `create-officer` commands and the admin pages share this path.
public struct AdministratorAccounts: Sendable {
    let accounts: AccountStore
    /// bcrypt cost: 12 or more in production; tests may lower it.
    let cost: UInt8
    /// The bounded hashing queue: the server's own for the admin pages (503 when it is full, rather than let work
    /// pile up behind them), a queue of their own for the commands.
    let hashing: PasswordHashing

    /// Accounts on the portal database.
    public init(database: Database, cost: UInt8 = 12) {
        self.init(database: database, cost: cost, hashing: PasswordHashing())
    }

    /// Accounts on the portal database, hashing through the server's queue.
    init(database: Database, cost: UInt8, hashing: PasswordHashing) {
        self.accounts = AccountStore(database: database)
        self.cost = cost
        self.hashing = hashing
    }

    /// Validates the e-mail and password, hashes the password off the event loop and stores the administrator.
    @discardableResult
    public func create(email: String, password: String, fullName: String) async throws -> Int64 {
        try await createStaff(role: .admin, email: email, password: password, fullName: fullName, agencyCode: nil)
    }

    /// Creates an officer, agency administrator or administrator: the one path for the command line and the admin
    /// pages. Officers and agency administrators are bound to an existing agency.
    @discardableResult
    public func createStaff(
        role: StaffRole, email: String, password: String, fullName: String, agencyCode: String?,
        createdBy: Int64? = nil
    ) async throws -> Int64 {
        let email = email.trimmingCharacters(in: .whitespaces)
        guard Self.isPlausibleEmail(email) else {
            throw AccountInputError(field: "email", message: "enter an e-mail address like name@example.gov.vn")
        }
        guard password.count >= 8 else {
            throw AccountInputError(field: "password", message: "the password must have at least 8 characters")
        }
        guard password.count <= 128 else {
            throw AccountInputError(field: "password", message: "the password must have at most 128 characters")
        }
        let name = fullName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            throw AccountInputError(field: "name", message: "enter the person's full name (at most 100 characters)")
        }
        if role.needsAgency && (agencyCode ?? "").isEmpty {
            throw AccountInputError(field: "agency", message: "an officer must be bound to an agency code")
        }
        let hash = try await hashing.hash(password, cost: cost)
        do {
            return try await accounts.createStaff(
                role: role, email: email, fullName: name, passwordHash: hash, agencyCode: agencyCode,
                createdBy: createdBy)
        } catch AccountStoreError.emailTaken {
            throw AccountInputError(field: "email", message: "an account with this e-mail address already exists")
        } catch AccountStoreError.unknownAgency {
            throw AccountInputError(field: "agency", message: "no agency has the code \(agencyCode ?? "")")
        }
    }

    /// Whether a password matches the stored hash for an e-mail address.
    public func verify(email: String, password: String) async throws -> Bool {
        guard let record = try await accounts.signInRecord(login: email) else { return false }
        return try await hashing.verify(password, hash: record.passwordHash)
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 254 else { return false }
        return !email.contains(where: { $0.isWhitespace || $0.isNewline })
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }
}

/// Input that cannot be accepted, naming the field.
public struct AccountInputError: Error, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public var description: String { "\(field): \(message)" }
}
