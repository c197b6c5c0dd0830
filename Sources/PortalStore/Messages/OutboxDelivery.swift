import Foundation
import Logging
import SQLKit

/// Delivers outbox messages through a transport. The job queue retries a failed delivery with back-off.
public struct OutboxDelivery: Sendable {
    /// The job kind queued with every message.
    public static let jobKind = "outbox.deliver"
    let database: Database
    let transport: any OutboxTransport

    /// Delivery through `transport`.
    public init(database: Database, transport: any OutboxTransport) {
        self.database = database
        self.transport = transport
    }

    /// The job handler: sends the message named in the payload, once.
    public func handle(_ job: Job) async throws {
        struct Payload: Decodable { let id: Int64 }
        let id = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)).id
        guard
            let row = try await database.sql.raw(
                "SELECT channel, recipient, subject, body, sent_at FROM outbox WHERE id = \(bind: id)"
            ).first()
        else { return }
        if try row.decode(column: "sent_at", as: Int64?.self) != nil { return }
        let message = OutboxMessage(
            id: id, channel: OutboxChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .email,
            recipient: try row.decode(column: "recipient", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            body: try row.decode(column: "body", as: String.self))
        try await transport.send(message)
        try await database.sql.update("outbox").set("sent_at", to: Date().epochMilliseconds).where("id", .equal, id)
            .run()
    }
}

/// One message to send.
public struct OutboxMessage: Sendable, Hashable {
    public let id: Int64
    public let channel: OutboxChannel
    public let recipient: String
    public let subject: String
    public let body: String
}

/// Sends messages: SMTP or an SMS gateway in production, files in development.
public protocol OutboxTransport: Sendable {
    func send(_ message: OutboxMessage) async throws
}

/// The development transport: each message becomes a file `data/outbox/<id>-<channel>.txt`.
public struct FileOutboxTransport: OutboxTransport {
    let directory: String

    /// Writes messages under `directory`, created when missing.
    public init(directory: String) {
        self.directory = directory
    }

    public func send(_ message: OutboxMessage) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = "To: \(message.recipient)\nSubject: \(message.subject)\n\n\(message.body)\n"
        let path = URL(fileURLWithPath: directory).appendingPathComponent(
            "\(message.id)-\(message.channel.rawValue).txt")
        try Data(text.utf8).write(to: path, options: .atomic)
    }
}
