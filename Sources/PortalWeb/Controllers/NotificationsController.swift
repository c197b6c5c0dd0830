import Foundation
import Hummingbird
import PortalStore

/// The signed-in person's notifications: what changed in their dossiers, newest first. Opening the page marks
/// them read.
struct NotificationsController: Sendable {
    let notifications: Notifications
    let renderer: PageRenderer
    static let perPage = 30

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/thong-bao") { request, context in try await self.list(request, context) }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PortalError.notFound }
        let pageNumber = try DossierController.pageNumber(request)
        let items = try await notifications.recent(
            accountID: session.accountID, limit: Self.perPage + 1, offset: (pageNumber - 1) * Self.perPage)
        let english = context.language == .english
        let page = NotificationsPage(
            items: items.prefix(Self.perPage).map { item in
                .init(
                    message: english ? item.messageEn : item.messageVi,
                    at: DossierViews.dateTime(item.createdAt) ?? "", unread: !item.read,
                    url: item.dossierRef.map { "/ho-so/\($0)" })
            },
            hasItems: !items.isEmpty,
            previousURL: pageNumber > 1 ? "/thong-bao?trang=\(pageNumber - 1)" : nil,
            nextURL: items.count > Self.perPage ? "/thong-bao?trang=\(pageNumber + 1)" : nil)
        var response = try renderer.render(
            "notifications", title: "notifications_title", page: page, request: request, context: context)
        response.headers[.cacheControl] = "no-store"
        if pageNumber == 1 { try await notifications.markAllRead(accountID: session.accountID) }
        return response
    }
}

/// The notifications page.
struct NotificationsPage: Sendable {
    struct Item: Sendable {
        let message: String
        let at: String
        let unread: Bool
        let url: String?
    }
    let items: [Item]
    let hasItems: Bool
    let previousURL: String?
    let nextURL: String?
}
