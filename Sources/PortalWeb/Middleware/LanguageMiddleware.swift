import Hummingbird

/// Chooses the reader's language: `?lang=` (remembered in a cookie), then the cookie, then Vietnamese.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "lang"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let requested = request.formQuery["lang"].flatMap(Language.init(rawValue:)) {
            context.language = requested
            var response = try await next(request, context)
            response.setCookie(
                Cookie(
                    name: Self.cookieName, value: requested.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                    httpOnly: true, sameSite: .lax))
            return response
        }
        if let remembered = request.cookies[Self.cookieName].flatMap({ Language(rawValue: $0.value) }) {
            context.language = remembered
        }
        return try await next(request, context)
    }
}
