import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// An agency's webhook subscriptions, with the same bearer token as the sync API:
/// `POST /api/v1/sync/webhooks` `{"url","events":[…]}` answers 201 with the signing secret (shown once);
/// `GET /api/v1/sync/webhooks` lists them; `DELETE /api/v1/sync/webhooks/{id}` stops one.
struct WebhookController: Sendable {
    let clients: AgencyClients
    let webhooks: Webhooks
    static let maximumURLLength = 500

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/v1/sync/webhooks") { request, _ in try await self.register(request) }
        router.get("/api/v1/sync/webhooks") { request, _ in try await self.list(request) }
        router.delete("/api/v1/sync/webhooks/{id}") { request, context in try await self.remove(request, context) }
    }

    struct SubscriptionJSON: Encodable, Sendable {
        let id: Int64
        let url: String
        let events: [String]
        let created_at: String
        let secret: String?

        init(_ subscription: Webhooks.Subscription, secret: String? = nil) {
            id = subscription.id
            url = subscription.url
            events = subscription.events.map(\.rawValue)
            created_at = VietnamTime.iso8601(subscription.createdAt)
            self.secret = secret
        }
    }

    struct ListJSON: Encodable, Sendable {
        let webhooks: [SubscriptionJSON]
    }

    /// Checks a receiver address: http(s) with a host; plain http only to this machine, so that signed payloads
    /// never cross a network unencrypted.
    static func validURL(_ text: String) -> Bool {
        guard text.count <= maximumURLLength, !text.contains(where: { $0.isWhitespace }),
            let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil
        else { return false }
        switch components.scheme?.lowercased() {
        case "https": return true
        case "http": return ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        default: return false
        }
    }

    func register(_ request: Request) async throws -> Response {
        let client = try await AgencyClientAuth.client(request, clients: clients)
        try JSONRequest.requireJSON(request)
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else {
            throw PortalError(.badRequest, code: "invalid_body", messageKey: "webhook_error_body", field: "body")
        }
        guard let url = object["url"] as? String, Self.validURL(url) else {
            throw PortalError(.unprocessableContent, code: "invalid_url", messageKey: "webhook_error_url", field: "url")
        }
        guard let names = object["events"] as? [String], !names.isEmpty, names.count <= WebhookEvent.allCases.count,
            case let events = names.compactMap(WebhookEvent.init(rawValue:)), events.count == names.count
        else {
            throw PortalError(
                .unprocessableContent, code: "invalid_events", messageKey: "webhook_error_events", field: "events")
        }
        do {
            let (subscription, secret) = try await webhooks.register(
                agencyCode: client.agencyCode, clientID: client.id, url: url,
                events: Array(Set(events)).sorted {
                    $0.rawValue < $1.rawValue
                })
            return try APIJSON.response(SubscriptionJSON(subscription, secret: secret), status: .created)
        } catch WebhookError.tooMany {
            throw PortalError(.conflict, code: "too_many_webhooks", messageKey: "webhook_error_too_many", field: "url")
        }
    }

    func list(_ request: Request) async throws -> Response {
        let client = try await AgencyClientAuth.client(request, clients: clients)
        let subscriptions = try await webhooks.subscriptions(agencyCode: client.agencyCode)
        return try APIJSON.response(ListJSON(webhooks: subscriptions.map { SubscriptionJSON($0) }))
    }

    func remove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let client = try await AgencyClientAuth.client(request, clients: clients)
        guard let id = context.parameters.get("id").flatMap(Int64.init),
            try await webhooks.remove(id: id, agencyCode: client.agencyCode)
        else { throw PortalError(.notFound, code: "not_found", messageKey: "error_not_found", field: "id") }
        return Response(status: .noContent)
    }
}

/// The agency client of a request's bearer token, or a 401 naming the header.
enum AgencyClientAuth {
    static func client(_ request: Request, clients: AgencyClients) async throws -> AgencyClients.Client {
        let header = request.headers[.authorization] ?? ""
        guard header.lowercased().hasPrefix("bearer "),
            let client = try await clients.client(
                token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            throw PortalError(
                .unauthorized, code: "unauthorized", messageKey: "sync_error_token", field: "Authorization")
        }
        return client
    }
}
