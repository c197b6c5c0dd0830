import Foundation
import SQLKit

/// In-app notifications and the outbox of e-mail and SMS messages, written in the transaction of the change they
/// announce so that a rolled-back change announces nothing.
public struct Notifications: Sendable {
    let database: Database

    /// Notifications on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// One notification as the applicant's page lists it.
    public struct Item: Sendable, Hashable {
        public let id: Int64
        public let dossierID: Int64?
        /// The URL reference of the dossier, for a link.
        public let dossierRef: String?
        public let messageVi: String
        public let messageEn: String
        public let createdAt: Date
        public let read: Bool
    }

    /// Adds an in-app notification.
    public static func notify(
        accountID: Int64, dossierID: Int64?, messageVi: String, messageEn: String, at: Date = Date(),
        on connection: any SQLDatabase
    ) async throws {
        try await connection.insert(into: "notifications")
            .columns("account_id", "dossier_id", "message_vi", "message_en", "created_at")
            .values(
                SQLBind(accountID), SQLBind(dossierID), SQLBind(messageVi), SQLBind(messageEn),
                SQLBind(at.epochMilliseconds)
            )
            .run()
    }

    /// Queues a message for delivery by the outbox job.
    public static func queueMessage(
        channel: OutboxChannel, recipient: String, subject: String, body: String, at: Date = Date(),
        jobs: JobQueue, on connection: any SQLDatabase
    ) async throws {
        let row = try await connection.insert(into: "outbox")
            .columns("channel", "recipient", "subject", "body", "created_at")
            .values(
                SQLBind(channel.rawValue), SQLBind(recipient), SQLBind(subject), SQLBind(body),
                SQLBind(at.epochMilliseconds)
            )
            .returning("id")
            .first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw NotificationsError.insertFailed }
        try await jobs.enqueue(kind: OutboxDelivery.jobKind, payload: "{\"id\":\(id)}", on: connection)
    }

    /// Tells someone on every channel they gave: the portal's notifications when they have an account, SMS to their
    /// phone, e-mail (both languages) to their address.
    public static func tell(
        accountID: Int64?, phone: String?, email: String?, subject: String, vi: String, en: String, at: Date,
        jobs: JobQueue, on db: any SQLDatabase
    ) async throws {
        if let accountID {
            try await notify(accountID: accountID, dossierID: nil, messageVi: vi, messageEn: en, at: at, on: db)
        }
        if let phone, !phone.isEmpty {
            try await queueMessage(channel: .sms, recipient: phone, subject: "", body: vi, at: at, jobs: jobs, on: db)
        }
        if let email, !email.isEmpty {
            try await queueMessage(
                channel: .email, recipient: email, subject: subject, body: vi + "\n\n" + en, at: at, jobs: jobs,
                on: db)
        }
    }

    /// Marks every notification of an account as read.
    public func markAllRead(accountID: Int64, now: Date = Date()) async throws {
        try await database.sql.raw(
            """
            UPDATE notifications SET read_at = \(bind: now.epochMilliseconds)
            WHERE account_id = \(bind: accountID) AND read_at IS NULL
            """
        ).run()
    }

    /// How many notifications an account has not read.
    public func unreadCount(accountID: Int64) async throws -> Int {
        try await database.sql.raw(
            "SELECT COUNT(*) AS n FROM notifications WHERE account_id = \(bind: accountID) AND read_at IS NULL"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The newest notifications of an account.
    public func recent(accountID: Int64, limit: Int = 20, offset: Int = 0) async throws -> [Item] {
        try await database.sql.raw(
            """
            SELECT n.id, n.dossier_id, d.ref, n.message_vi, n.message_en, n.created_at, n.read_at
            FROM notifications n LEFT JOIN dossiers d ON d.id = n.dossier_id
            WHERE n.account_id = \(bind: accountID) ORDER BY n.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { row in
            Item(
                id: try row.decode(column: "id", as: Int64.self),
                dossierID: try row.decode(column: "dossier_id", as: Int64?.self),
                dossierRef: try row.decode(column: "ref", as: String?.self),
                messageVi: try row.decode(column: "message_vi", as: String.self),
                messageEn: try row.decode(column: "message_en", as: String.self),
                createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                read: try row.decode(column: "read_at", as: Int64?.self) != nil)
        }
    }
}

/// How an outbox message travels.
public enum OutboxChannel: String, Sendable, CaseIterable {
    case email
    case sms
}

/// Why a notification could not be stored.
public enum NotificationsError: Error, Sendable {
    case insertFailed
}
