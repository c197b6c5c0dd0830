import Foundation
import Hummingbird
import PortalCore
import PortalStore

/// The webhook delivery log for administrators (`/quan-tri/webhook`): every delivery with its state and attempts,
/// and a replay button. An agency administrator sees only the deliveries of their agency.
struct WebhookAdminController: Sendable {
    let webhooks: Webhooks
    let renderer: PageRenderer
    static let perPage = 50

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/quan-tri/webhook") { request, context in try await self.list(request, context) }
        router.get("/quan-tri/webhook/{id}") { request, context in try await self.show(request, context) }
        router.post("/quan-tri/webhook/{id}/gui-lai") { request, context in try await self.replay(request, context) }
    }

    struct Row: Sendable {
        let id: Int64
        let createdAt: String
        let agencyCode: String
        let event: String
        let dossierCode: String
        let host: String
        let state: String
        let tone: String
        let attempts: Int
        let lastResult: String
    }

    struct ListPage: Sendable {
        let rows: [Row]
        let total: Int
        let states: [FilterOption]
        let pager: Pager
        let notice: String?
        let csrfToken: String
    }

    struct AttemptRow: Sendable {
        let at: String
        let result: String
        let duration: String
    }

    struct ShowPage: Sendable {
        let delivery: Row
        let url: String
        let uid: String
        let attempts: [AttemptRow]
        let hasAttempts: Bool
        let csrfToken: String
    }

    func row(_ delivery: Webhooks.Delivery, _ context: AppRequestContext) -> Row {
        let tone =
            switch delivery.state {
            case .delivered: "tag-full"
            case .failed: "tag-ended"
            case .pending: "tag-action"
            case .cancelled: ""
            }
        return Row(
            id: delivery.id, createdAt: DossierViews.dateTime(delivery.createdAt) ?? "",
            agencyCode: delivery.agencyCode, event: delivery.event, dossierCode: delivery.dossierCode ?? "",
            host: URLComponents(string: delivery.url)?.host ?? "",
            state: renderer.localizer.text("webhook_state_\(delivery.state.rawValue)", context.language),
            tone: tone,
            attempts: delivery.attempts,
            lastResult: delivery.lastStatus.map { "HTTP \($0)" } ?? delivery.lastError ?? "")
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let agency = try context.administratorScope().agency
        let query = request.formQuery
        let state = query["trang-thai"].flatMap { $0.isEmpty ? nil : WebhookDeliveryState(rawValue: $0) }
        guard let page = Int(query["trang"] ?? "1"), (1...100_000).contains(page) else {
            throw PortalError(.badRequest, code: "invalid_page", messageKey: "error_invalid_page", field: "trang")
        }
        let (items, total) = try await webhooks.deliveries(
            state: state, agencyCode: agency, limit: Self.perPage, offset: (page - 1) * Self.perPage)
        let language = context.language
        let listPage = ListPage(
            rows: items.map { row($0, context) }, total: total,
            states: [
                FilterOption(
                    value: "", label: renderer.localizer.text("webhook_state_all", language), selected: state == nil)
            ]
                + WebhookDeliveryState.allCases.map {
                    FilterOption(
                        value: $0.rawValue, label: renderer.localizer.text("webhook_state_\($0.rawValue)", language),
                        selected: $0 == state)
                },
            pager: Pager(
                page: page, perPage: Self.perPage, total: total, path: "/quan-tri/webhook",
                query: ["trang-thai": state?.rawValue ?? ""]),
            notice: query["xong"] == "replayed" ? renderer.localizer.text("webhook_replayed", language) : nil,
            csrfToken: context.csrfToken)
        return try renderer.render(
            "admin-webhooks", title: "webhook_title", page: listPage, request: request, context: context)
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let agency = try context.administratorScope().agency
        guard let id = context.parameters.get("id", as: Int64.self),
            let delivery = try await webhooks.delivery(id: id, agencyCode: agency)
        else { throw PortalError.notFound }
        let attempts = try await webhooks.attempts(deliveryID: id)
        let page = ShowPage(
            delivery: row(delivery, context), url: delivery.url, uid: delivery.uid,
            attempts: attempts.map {
                AttemptRow(
                    at: DossierViews.dateTime($0.at) ?? "", result: $0.status.map { "HTTP \($0)" } ?? $0.error ?? "",
                    duration: "\($0.durationMilliseconds) ms")
            }, hasAttempts: !attempts.isEmpty, csrfToken: context.csrfToken)
        return try renderer.render(
            "admin-webhook", title: "webhook_title", page: page, request: request, context: context)
    }

    func replay(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let agency = try context.administratorScope().agency
        guard let id = context.parameters.get("id", as: Int64.self),
            try await webhooks.delivery(id: id, agencyCode: agency) != nil, try await webhooks.replay(id: id)
        else { throw PortalError.notFound }
        return Response.redirect(to: "/quan-tri/webhook?xong=replayed", type: .normal)
    }
}
