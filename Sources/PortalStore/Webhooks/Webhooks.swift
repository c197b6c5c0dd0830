import Foundation
import PortalCore
import SQLKit

/// Agencies' webhook subscriptions and their deliveries.
///
/// A change that an agency subscribed to queues one delivery per subscription, with its job, in the transaction of
/// the change; the job worker sends it (`WebhookSender`), retrying with exponential backoff, and every attempt is
/// logged. Payloads carry the dossier's code and status, never personal data: the agency reads the rest through
/// its authenticated inbox.
public struct Webhooks: Sendable {
    public static let jobKind = "webhook.deliver"
    static let maximumPerAgency = 10
    let database: Database

    /// Webhooks on the portal database.
    public init(database: Database) {
        self.database = database
    }

    public struct Subscription: Sendable, Hashable {
        public let id: Int64
        public let agencyCode: String
        public let url: String
        public let events: [WebhookEvent]
        public let createdAt: Date
    }

    /// Registers `url` for an agency's events and returns the subscription with its signing secret (shown once).
    public func register(
        agencyCode: String, clientID: Int64?, url: String, events: [WebhookEvent], now: Date = Date()
    ) async throws -> (Subscription, secret: String) {
        let secret = SessionStore.randomToken() + SessionStore.randomToken()
        let names = events.map(\.rawValue).joined(separator: ",")
        return try await database.transaction { db in
            let active =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM webhooks WHERE agency_code = \(bind: agencyCode) AND disabled_at IS NULL
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            guard active < Self.maximumPerAgency else { throw WebhookError.tooMany(Self.maximumPerAgency) }
            guard
                let row = try await db.insert(into: "webhooks")
                    .columns("agency_code", "client_id", "url", "secret", "events", "created_at")
                    .values(
                        SQLBind(agencyCode), SQLBind(clientID), SQLBind(url), SQLBind(secret), SQLBind(names),
                        SQLBind(now.epochMilliseconds)
                    )
                    .returning("id").first()
            else { throw WebhookError.notFound }
            let id = try row.decode(column: "id", as: Int64.self)
            return (Subscription(id: id, agencyCode: agencyCode, url: url, events: events, createdAt: now), secret)
        }
    }

    /// An agency's active subscriptions.
    public func subscriptions(agencyCode: String) async throws -> [Subscription] {
        try await database.sql.raw(
            """
            SELECT id, agency_code, url, events, created_at FROM webhooks
            WHERE agency_code = \(bind: agencyCode) AND disabled_at IS NULL ORDER BY id
            """
        ).all().map { row in
            Subscription(
                id: try row.decode(column: "id", as: Int64.self),
                agencyCode: try row.decode(column: "agency_code", as: String.self),
                url: try row.decode(column: "url", as: String.self),
                events: try row.decode(column: "events", as: String.self).split(separator: ",")
                    .compactMap { WebhookEvent(rawValue: String($0)) },
                createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }

    /// Stops a subscription of the agency; pending deliveries are dropped when their turn comes.
    public func remove(id: Int64, agencyCode: String, now: Date = Date()) async throws -> Bool {
        try await database.sql.update("webhooks").set("disabled_at", to: now.epochMilliseconds)
            .where("id", .equal, id).where("agency_code", .equal, agencyCode)
            .where("disabled_at", .is, SQLLiteral.null)
            .returning("id").first() != nil
    }

    /// Queues `event` for every active subscription of the dossier's agency that asked for it, using `db`, the
    /// transaction of the change.
    static func enqueue(
        _ event: WebhookEvent, dossierCode: String, procedureCode: String, agencyCode: String, status: DossierStatus?,
        at: Date, jobs: JobQueue, on db: any SQLDatabase
    ) async throws {
        let rows = try await db.raw(
            "SELECT id, events FROM webhooks WHERE agency_code = \(bind: agencyCode) AND disabled_at IS NULL"
        ).all()
        for row in rows {
            let events = try row.decode(column: "events", as: String.self).split(separator: ",")
            guard events.contains(Substring(event.rawValue)) else { continue }
            let uid = UUID().uuidString.lowercased()
            let payload = WebhookPayload(
                id: uid, event: event.rawValue, occurred_at: VietnamTime.iso8601(at),
                dossier: .init(
                    code: dossierCode, procedure_code: procedureCode, agency: agencyCode, status: status?.rawValue))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard
                let inserted = try await db.insert(into: "webhook_deliveries")
                    .columns("uid", "webhook_id", "event", "dossier_code", "payload", "state", "created_at")
                    .values(
                        SQLBind(uid), SQLBind(try row.decode(column: "id", as: Int64.self)), SQLBind(event.rawValue),
                        SQLBind(dossierCode), SQLBind(String(decoding: try encoder.encode(payload), as: UTF8.self)),
                        SQLBind(WebhookDeliveryState.pending.rawValue), SQLBind(at.epochMilliseconds)
                    )
                    .returning("id").first()
            else { throw WebhookError.notFound }
            let id = try inserted.decode(column: "id", as: Int64.self)
            try await jobs.enqueue(kind: jobKind, payload: "{\"delivery\":\(id)}", runAt: at, maxAttempts: 8, on: db)
        }
    }

    // MARK: The delivery log

    public struct Delivery: Sendable, Hashable {
        public let id: Int64
        public let uid: String
        public let agencyCode: String
        public let url: String
        public let event: String
        public let dossierCode: String?
        public let state: WebhookDeliveryState
        public let attempts: Int
        public let lastStatus: Int?
        public let lastError: String?
        public let createdAt: Date
        public let deliveredAt: Date?
    }

    static let deliveryColumns = """
        d.id, d.uid, w.agency_code, w.url, d.event, d.dossier_code, d.state, d.attempts, d.last_status, d.last_error,
        d.created_at, d.delivered_at
        """

    static func delivery(_ row: any SQLRow) throws -> Delivery {
        Delivery(
            id: try row.decode(column: "id", as: Int64.self), uid: try row.decode(column: "uid", as: String.self),
            agencyCode: try row.decode(column: "agency_code", as: String.self),
            url: try row.decode(column: "url", as: String.self),
            event: try row.decode(column: "event", as: String.self),
            dossierCode: try row.decode(column: "dossier_code", as: String?.self),
            state: WebhookDeliveryState(rawValue: try row.decode(column: "state", as: String.self)) ?? .failed,
            attempts: try row.decode(column: "attempts", as: Int.self),
            lastStatus: try row.decode(column: "last_status", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self).map(Date.init(epochMilliseconds:)))
    }

    static func scope(state: WebhookDeliveryState?, agencyCode: String?) -> SQLQueryString {
        var filter: SQLQueryString = "WHERE 1 = 1"
        if let state { filter = filter + " AND d.state = \(bind: state.rawValue)" }
        if let agencyCode { filter = filter + " AND w.agency_code = \(bind: agencyCode)" }
        return filter
    }

    /// Deliveries, newest first, optionally only those in one state or for one agency, and how many there are.
    public func deliveries(
        state: WebhookDeliveryState? = nil, agencyCode: String? = nil, limit: Int = 50, offset: Int = 0
    ) async throws -> (items: [Delivery], total: Int) {
        let filter = Self.scope(state: state, agencyCode: agencyCode)
        let items = try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            \(filter) ORDER BY d.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map(Self.delivery)
        let total =
            try await database.sql.raw(
                """
                SELECT COUNT(*) AS n FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \(filter)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        return (items, total)
    }

    /// One delivery, if it exists (and belongs to `agencyCode` when one is given).
    public func delivery(id: Int64, agencyCode: String? = nil) async throws -> Delivery? {
        let filter = Self.scope(state: nil, agencyCode: agencyCode)
        return try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            \(filter) AND d.id = \(bind: id)
            """
        ).first().map(Self.delivery)
    }

    /// One logged attempt to deliver.
    public struct Attempt: Sendable, Hashable {
        public let at: Date
        public let status: Int?
        public let error: String?
        public let durationMilliseconds: Int64
    }

    /// The attempts at one delivery, oldest first.
    public func attempts(deliveryID: Int64) async throws -> [Attempt] {
        try await database.sql.raw(
            """
            SELECT at, status, error, duration_ms FROM webhook_attempts WHERE delivery_id = \(bind: deliveryID)
            ORDER BY id
            """
        ).all().map { row in
            Attempt(
                at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
                status: try row.decode(column: "status", as: Int?.self),
                error: try row.decode(column: "error", as: String?.self),
                durationMilliseconds: try row.decode(column: "duration_ms", as: Int64.self))
        }
    }

    /// Sends a delivery again (an administrator's replay): the same payload and id, so receivers can recognise it.
    public func replay(id: Int64, now: Date = Date()) async throws -> Bool {
        let jobs = JobQueue(database: database)
        return try await database.transaction { db in
            guard
                try await db.update("webhook_deliveries").set("state", to: WebhookDeliveryState.pending.rawValue)
                    .where("id", .equal, id).returning("id").first() != nil
            else { return false }
            try await jobs.enqueue(
                kind: Self.jobKind, payload: "{\"delivery\":\(id)}", runAt: now, maxAttempts: 8, on: db)
            return true
        }
    }
}

/// Where a delivery stands.
public enum WebhookDeliveryState: String, Sendable, Hashable, CaseIterable {
    /// Queued, or waiting for a retry.
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Every attempt failed; an administrator may replay it.
    case failed
    /// The subscription was removed before it could be sent.
    case cancelled
}

/// The JSON body of every delivery.
struct WebhookPayload: Codable, Sendable {
    struct Dossier: Codable, Sendable {
        let code: String
        let procedure_code: String
        let agency: String
        let status: Int?
    }
    let id: String
    let event: String
    let occurred_at: String
    let dossier: Dossier
}

/// Why a subscription or delivery could not be made.
public enum WebhookError: Error, Sendable, Equatable {
    case tooMany(Int)
    case notFound
    /// The receiver did not answer 2xx (status) or could not be reached (nil).
    case notDelivered(status: Int?)
}
