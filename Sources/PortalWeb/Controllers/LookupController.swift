import Foundation
import HTTPTypes
import Hummingbird
import PortalAPI
import PortalCore
import PortalStore

/// Public lookup of a dossier by its code: the page `/tra-cuu?code=…` here, and `GET /api/v1/dossiers/{code}/status`
/// in `PortalAPIService`. Both show the procedure, the agency, the status and the timeline, never personal data, and
/// share one rate limit per client address.
struct LookupController: Sendable {
    let dossiers: DossierStore
    let renderer: PageRenderer
    let limiter: RateLimiter

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/tra-cuu") { request, context in try await self.page(request, context) }
    }

    func throttle(_ context: AppRequestContext) async throws {
        try await limiter.enforce(context.remoteAddress ?? "unknown")
    }

    /// The public facts of a submitted dossier, as `GET /api/v1/dossiers/{code}/status` answers them.
    static func publicView(_ found: DossierStore.PublicStatus, language: Language) -> DossierStatusBody {
        DossierStatusBody(
            code: found.code, procedure: .init(code: found.procedureCode, name: found.procedureName),
            agency: .init(code: found.agencyCode, name: found.agencyName),
            status: .init(
                code: found.status.rawValue, name: language == .english ? found.status.nameEn : found.status.nameVi),
            receivedAt: found.receivedAt.map(VietnamTime.iso8601), dueAt: found.dueAt.map(VietnamTime.iso8601),
            timeline: found.timeline.map { .init(status: $0.status.rawValue, at: VietnamTime.iso8601($0.at)) })
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
