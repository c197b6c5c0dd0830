import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import PortalCore
import PortalStore

/// Changing a password (signed in) and resetting a forgotten one through a single-use link sent by e-mail.
struct PasswordController: Sendable {
    let accounts: AccountStore
    let renderer: PageRenderer
    let bcryptCost: UInt8
    let hashing: PasswordHashing
    let limiter: RateLimiter
    /// The portal's public address, for the link in the e-mail.
    let publicURL: String

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/tai-khoan/mat-khau") { request, context in try self.changeForm(request, context) }
        router.post("/tai-khoan/mat-khau") { request, context in try await self.change(request, context) }
        router.get("/quen-mat-khau") { request, context in try self.forgotForm(request, context) }
        router.post("/quen-mat-khau") { request, context in try await self.forgot(request, context) }
        router.get("/dat-lai-mat-khau") { request, context in try await self.resetForm(request, context) }
        router.post("/dat-lai-mat-khau") { request, context in try await self.reset(request, context) }
    }

    func text(_ key: String, _ context: AppRequestContext) -> String {
        renderer.localizer.text(key, context.language)
    }

    func render(
        _ request: Request, _ context: AppRequestContext, _ page: PasswordPage, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var response = try renderer.render(
            "password", title: page.titleKey, page: page, request: request, context: context, status: status,
            hasErrors: !page.errors.isEmpty)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The problem with a new password and its confirmation, by field.
    func problems(_ password: String, _ confirmation: String, _ context: AppRequestContext) -> [PasswordPage.ErrorItem]
    {
        switch PasswordPolicy.problem(password: password, confirmation: confirmation) {
        case .tooShort: [.init(field: "password", message: text("register_error_password_short", context))]
        case .tooLong: [.init(field: "password", message: text("register_error_password_long", context))]
        case .common: [.init(field: "password", message: text("register_error_password_common", context))]
        case .mismatch: [.init(field: "password_confirm", message: text("register_error_password_mismatch", context))]
        case nil: []
        }
    }

    func hash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await hashing.hash(password, cost: cost)
    }

    // MARK: Change

    func changeForm(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try render(request, context, .change(csrfToken: context.csrfToken, errors: [], done: false))
    }

    func change(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PortalError.notFound }
        let current = context.form["current_password"] ?? ""
        let password = context.form["password"] ?? ""
        var errors: [PasswordPage.ErrorItem] = []
        let stored = try await accounts.passwordHash(accountID: session.accountID) ?? ""
        let matches = try await hashing.verify(current, hash: stored)
        if !matches {
            errors.append(.init(field: "current_password", message: text("password_error_current", context)))
        }
        errors += problems(password, context.form["password_confirm"] ?? "", context)
        guard errors.isEmpty else {
            return try render(
                request, context, .change(csrfToken: context.csrfToken, errors: errors, done: false),
                status: .unprocessableContent)
        }
        try await accounts.changePassword(
            accountID: session.accountID, newHash: try await hash(password),
            keepingSession: request.cookies[SessionMiddleware.sessionCookie]?.value)
        return try render(request, context, .change(csrfToken: context.csrfToken, errors: [], done: true))
    }

    // MARK: Forgotten

    func forgotForm(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try render(request, context, .forgot(csrfToken: context.csrfToken, errors: [], done: false))
    }

    func forgot(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await limiter.enforce("reset:" + (context.remoteAddress ?? "unknown"))
        let email = (context.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        guard AdministratorAccounts.isPlausibleEmail(email) else {
            return try render(
                request, context,
                .forgot(
                    csrfToken: context.csrfToken,
                    errors: [.init(field: "email", message: text("password_error_email", context))], done: false),
                status: .unprocessableContent)
        }
        // The same answer whether or not the address has an account, so the page tells nobody who is registered.
        let base = publicURL
        try await accounts.startPasswordReset(email: email) { token in "\(base)/dat-lai-mat-khau?token=\(token)" }
        return try render(request, context, .forgot(csrfToken: context.csrfToken, errors: [], done: true))
    }

    func resetForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = request.formQuery["token"] ?? ""
        guard try await accounts.isResetTokenValid(token) else {
            return try render(request, context, .expired(), status: .notFound)
        }
        return try render(request, context, .reset(token: token, csrfToken: context.csrfToken, errors: []))
    }

    func reset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = context.form["token"] ?? ""
        let password = context.form["password"] ?? ""
        let errors = problems(password, context.form["password_confirm"] ?? "", context)
        guard errors.isEmpty else {
            guard try await accounts.isResetTokenValid(token) else {
                return try render(request, context, .expired(), status: .notFound)
            }
            return try render(
                request, context, .reset(token: token, csrfToken: context.csrfToken, errors: errors),
                status: .unprocessableContent)
        }
        guard try await accounts.completePasswordReset(token: token, newHash: try await hash(password)) != nil else {
            return try render(request, context, .expired(), status: .notFound)
        }
        return Response.redirect(to: "/dang-nhap?dat-lai=1", type: .normal)
    }
}

/// The password pages: change, forgotten (ask for a link), reset (choose a new one), and an expired link.
struct PasswordPage: Sendable {
    struct ErrorItem: Sendable {
        let field: String
        let message: String
    }
    let titleKey: String
    let mode: String
    let isChange: Bool
    let isForgot: Bool
    let isReset: Bool
    let isExpired: Bool
    let token: String?
    let csrfToken: String
    let errors: [ErrorItem]
    let done: Bool

    static func change(csrfToken: String, errors: [ErrorItem], done: Bool) -> PasswordPage {
        PasswordPage(
            titleKey: "password_change_title", mode: "change", isChange: true, isForgot: false, isReset: false,
            isExpired: false, token: nil, csrfToken: csrfToken, errors: errors, done: done)
    }

    static func forgot(csrfToken: String, errors: [ErrorItem], done: Bool) -> PasswordPage {
        PasswordPage(
            titleKey: "password_forgot_title", mode: "forgot", isChange: false, isForgot: true, isReset: false,
            isExpired: false, token: nil, csrfToken: csrfToken, errors: errors, done: done)
    }

    static func reset(token: String, csrfToken: String, errors: [ErrorItem]) -> PasswordPage {
        PasswordPage(
            titleKey: "password_reset_title", mode: "reset", isChange: false, isForgot: false, isReset: true,
            isExpired: false, token: token, csrfToken: csrfToken, errors: errors, done: false)
    }

    static func expired() -> PasswordPage {
        PasswordPage(
            titleKey: "password_reset_title", mode: "expired", isChange: false, isForgot: false, isReset: false,
            isExpired: true, token: nil, csrfToken: "", errors: [], done: false)
    }
}
