import Foundation
import SQLKit

/// Records account events (sign-in, failed sign-in, sign-out, registration, password change, role change, lock).
/// Details name no password, token or ID number.
public enum AuditLog {
    /// Appends an event using `connection`, normally the transaction of the change it records.
    public static func record(
        _ event: String, accountID: Int64?, detail: String = "", at: Date = Date(), on connection: any SQLDatabase
    ) async throws {
        try await connection.insert(into: "audit_log").columns("at", "account_id", "event", "detail")
            .values(SQLBind(at.epochMilliseconds), SQLBind(accountID), SQLBind(event), SQLBind(detail)).run()
    }

    /// The events of one account, newest first.
    public static func events(accountID: Int64, on database: Database) async throws -> [String] {
        try await database.sql.raw(
            "SELECT event FROM audit_log WHERE account_id = \(bind: accountID) ORDER BY id DESC"
        ).all().map { try $0.decode(column: "event", as: String.self) }
    }
}
