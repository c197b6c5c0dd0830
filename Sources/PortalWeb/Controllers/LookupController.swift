import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// Public lookup of a dossier by its code: the page `/tra-cuu?code=…` and `GET /api/v1/dossiers/{code}/status`.
/// Both show the procedure, the agency, the status and the timeline, never personal data, and both are
/// rate-limited per client address.
struct LookupController: Sendable {
    let dossiers: DossierStore
    let renderer: PageRenderer
    let limiter: RateLimiter

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/tra-cuu") { request, context in try await self.page(request, context) }
        router.get("/api/v1/dossiers/{code}/status") { request, context in try await self.status(request, context) }
    }

    func throttle(_ context: AppRequestContext) async throws {
        try await limiter.enforce(context.remoteAddress ?? "unknown")
    }

    /// The public facts of a submitted dossier.
    struct StatusJSON: Encodable, Sendable {
        struct Named: Encodable, Sendable {
            let code: String
            let name: String
        }
        struct Status: Encodable, Sendable {
            let code: Int
            let name: String
        }
        struct Step: Encodable, Sendable {
            let status: Int
            let at: String
        }
        let code: String
        let procedure: Named
        let agency: Named
        let status: Status
        let received_at: String?
        let due_at: String?
        let timeline: [Step]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(procedure, forKey: .procedure)
            try container.encode(agency, forKey: .agency)
            try container.encode(status, forKey: .status)
            // Absent dates are explicit nulls, so clients see every field of the contract.
            try container.encode(received_at, forKey: .received_at)
            try container.encode(due_at, forKey: .due_at)
            try container.encode(timeline, forKey: .timeline)
        }

        enum CodingKeys: String, CodingKey {
            case code, procedure, agency, status, received_at, due_at, timeline
        }
    }

    static func publicView(_ found: DossierStore.PublicStatus, language: Language) -> StatusJSON {
        StatusJSON(
            code: found.code, procedure: .init(code: found.procedureCode, name: found.procedureName),
            agency: .init(code: found.agencyCode, name: found.agencyName),
            status: .init(
                code: found.status.rawValue, name: language == .english ? found.status.nameEn : found.status.nameVi),
            received_at: found.receivedAt.map(VietnamTime.iso8601), due_at: found.dueAt.map(VietnamTime.iso8601),
            timeline: found.timeline.map { .init(status: $0.status.rawValue, at: VietnamTime.iso8601($0.at)) })
    }

    func status(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await throttle(context)
        let code = context.parameters.get("code") ?? ""
        guard (try? DossierCode(validating: code)) != nil else {
            throw PortalError(.badRequest, code: "invalid_code", messageKey: "lookup_error_format", field: "code")
        }
        guard let found = try await dossiers.publicStatus(code: code) else {
            throw PortalError(.notFound, code: "not_found", messageKey: "lookup_not_found_heading", field: "code")
        }
        return try APIJSON.response(Self.publicView(found, language: context.language))
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = (request.formQuery["code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty else {
            let page = LookupPage(code: "", searched: false, error: nil, notFound: false, result: nil)
            return try renderer.render("lookup", title: "lookup_title", page: page, request: request, context: context)
        }
        try await throttle(context)
        guard (try? DossierCode(validating: code)) != nil else {
            let page = LookupPage(
                code: String(code.prefix(60)), searched: true,
                error: renderer.localizer.text("lookup_error_format", context.language), notFound: false, result: nil)
            return try renderer.render(
                "lookup", title: "lookup_title", page: page, request: request, context: context, status: .badRequest,
                hasErrors: true)
        }
        guard let found = try await dossiers.publicStatus(code: code) else {
            let page = LookupPage(code: code, searched: true, error: nil, notFound: true, result: nil)
            return try renderer.render(
                "lookup", title: "lookup_title", page: page, request: request, context: context, status: .notFound)
        }
        let result = LookupPage.Result(
            code: found.code, procedureName: found.procedureName, agencyName: found.agencyName,
            status: DossierViews.StatusTag(found.status, context.language),
            receivedAt: DossierViews.dateTime(found.receivedAt), dueAt: DossierViews.dateTime(found.dueAt),
            timeline: found.timeline.map {
                DossierViews.TimelineItem(
                    status: DossierViews.statusName($0.status, context.language),
                    at: DossierViews.dateTime($0.at) ?? "", note: nil)
            })
        let page = LookupPage(code: found.code, searched: true, error: nil, notFound: false, result: result)
        return try renderer.render("lookup", title: "lookup_title", page: page, request: request, context: context)
    }
}
