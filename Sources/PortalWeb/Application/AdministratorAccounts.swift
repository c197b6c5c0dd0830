import Foundation
import HummingbirdBcrypt
import NIOPosix
import PortalStore

/// Creates administrator accounts; the `create-admin` command and the admin pages share this path.
public struct AdministratorAccounts: Sendable {
    let accounts: AccountStore
    /// bcrypt cost: 12 or more in production; tests may lower it.
    let cost: UInt8

    /// Accounts on the portal database.
    public init(database: Database, cost: UInt8 = 12) {
        self.accounts = AccountStore(database: database)
        self.cost = cost
    }

    /// Validates the e-mail and password, hashes the password off the event loop and stores the account.
    @discardableResult
    public func create(email: String, password: String, fullName: String) async throws -> Int64 {
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
        let cost = self.cost
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        do {
            return try await accounts.createAdministrator(email: email, fullName: fullName, passwordHash: hash)
        } catch AccountStoreError.emailTaken {
            throw AccountInputError(field: "email", message: "an account with this e-mail address already exists")
        }
    }

    /// Whether a password matches the stored hash for an e-mail address.
    public func verify(email: String, password: String) async throws -> Bool {
        guard let record = try await accounts.signInRecord(login: email) else { return false }
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: record.passwordHash) }
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
