import Foundation
import PortalCore
import SQLKit

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The job that sends one webhook delivery: a signed POST, one logged attempt, and an error for the job queue to
/// retry with backoff unless the receiver answered 2xx. After the last attempt the delivery is marked failed.
public struct WebhookSender: Sendable {
    let database: Database
    let timeout: TimeInterval

    /// A sender on the portal database; each attempt waits at most `timeout` seconds for the receiver.
    public init(database: Database, timeout: TimeInterval = 10) {
        self.database = database
        self.timeout = timeout
    }

    /// One session for every delivery: no cookies, no cache, connections reused.
    static let session = URLSession(configuration: .ephemeral)

    struct JobPayload: Decodable {
        let delivery: Int64
    }

    /// The job handler.
    public func handle(_ job: Job) async throws {
        let id = try JSONDecoder().decode(JobPayload.self, from: Data(job.payload.utf8)).delivery
        guard
            let row = try await database.sql.raw(
                """
                SELECT d.uid, d.event, d.payload, d.state, w.url, w.secret, w.disabled_at
                FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = \(bind: id)
                """
            ).first()
        else { return }
        let state = try row.decode(column: "state", as: String.self)
        guard state != WebhookDeliveryState.delivered.rawValue else { return }
        if try row.decode(column: "disabled_at", as: Int64?.self) != nil {
            try await database.sql.update("webhook_deliveries")
                .set("state", to: WebhookDeliveryState.cancelled.rawValue).where("id", .equal, id).run()
            return
        }
        let body = Data(try row.decode(column: "payload", as: String.self).utf8)
        let secret = try row.decode(column: "secret", as: String.self)
        let now = Date()
        let timestamp = Int64(now.timeIntervalSince1970)
        guard let url = URL(string: try row.decode(column: "url", as: String.self)) else {
            throw WebhookError.notDelivered(status: nil)
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("OpenDVC-Webhook/1", forHTTPHeaderField: "User-Agent")
        request.setValue(try row.decode(column: "event", as: String.self), forHTTPHeaderField: "X-OpenDVC-Event")
        request.setValue(try row.decode(column: "uid", as: String.self), forHTTPHeaderField: "X-OpenDVC-Delivery")
        request.setValue(String(timestamp), forHTTPHeaderField: "X-OpenDVC-Timestamp")
        request.setValue(
            WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body),
            forHTTPHeaderField: "X-OpenDVC-Signature")

        let started = ContinuousClock.now
        var status: Int?
        var failure: String?
        do {
            let (_, response) = try await Self.session.data(for: request)
            status = (response as? HTTPURLResponse)?.statusCode
        } catch {
            failure = String(error.localizedDescription.prefix(200))
        }
        let elapsed = ContinuousClock.now - started
        let delivered = status.map { (200..<300).contains($0) } ?? false
        let finalState: WebhookDeliveryState =
            delivered ? .delivered : (job.attempts >= job.maxAttempts ? .failed : .pending)
        if failure == nil, !delivered { failure = "HTTP \(status ?? 0)" }
        let (answered, error) = (status, failure)
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        try await database.transaction { db in
            try await db.insert(into: "webhook_attempts")
                .columns("delivery_id", "at", "status", "error", "duration_ms")
                .values(
                    SQLBind(id), SQLBind(now.epochMilliseconds), SQLBind(answered), SQLBind(error),
                    SQLBind(milliseconds)
                )
                .run()
            try await db.update("webhook_deliveries")
                .set("state", to: finalState.rawValue).set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
                .set("last_status", to: answered).set("last_error", to: error)
                .set("delivered_at", to: delivered ? now.epochMilliseconds : nil)
                .where("id", .equal, id).run()
        }
        if !delivered { throw WebhookError.notDelivered(status: status) }
    }
}
