import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// Two-factor sign-in for staff: enrolment with a QR code and recovery codes, then a TOTP code (or a recovery
/// code) after every password sign-in. Officers and administrators reach no staff page until this is passed.
struct TwoFactorController: Sendable {
    let accounts: AccountStore
    let sessions: SessionStore
    let throttle: LoginThrottle
    let renderer: PageRenderer
    static let issuer = "Cổng DVC OpenDVC"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/xac-thuc-hai-buoc") { request, context in try await self.form(request, context) }
        router.post("/xac-thuc-hai-buoc") { request, context in try await self.verify(request, context) }
    }

    /// Where a member of staff starts once signed in.
    static func home(role: String) -> String {
        switch role {
        case "officer", "agency_admin": "/can-bo"
        case "admin": "/quan-tri"
        default: "/tai-khoan"
        }
    }

    func staffSession(_ context: AppRequestContext) throws -> SessionStore.Session {
        guard let session = context.session, AccessPolicy.staffRoles.contains(session.role) else {
            throw PortalError.notFound
        }
        return session
    }

    func form(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try staffSession(context)
        if session.secondFactorPassed { return Response.redirect(to: Self.home(role: session.role), type: .normal) }
        return try await render(request, context, session: session, error: nil, status: .ok)
    }

    func render(
        _ request: Request, _ context: AppRequestContext, session: SessionStore.Session, error: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        guard let state = try await accounts.twoFactorState(accountID: session.accountID) else {
            throw PortalError.notFound
        }
        var enrolment: TwoFactorPage.Enrolment?
        if !state.enabled {
            var secret = state.secret
            if secret == nil {
                let fresh = Base32.encode(TOTP.generateSecret(), padding: false)
                try await accounts.startTwoFactorEnrolment(accountID: session.accountID, secret: fresh)
                secret = fresh
            }
            let bytes = try Base32.decode(secret ?? "")
            let uri = TOTP(secret: bytes).provisioningURI(issuer: Self.issuer, account: state.email ?? session.fullName)
            enrolment = TwoFactorPage.Enrolment(
                qrCode: try QRCode(text: uri).svgDataURI(), secret: Self.grouped(secret ?? ""))
        }
        let page = TwoFactorPage(
            enrolment: enrolment, recoveryCodes: nil, next: nil, error: error, csrfToken: context.csrfToken)
        var response = try renderer.render(
            "two-factor", title: "two_factor_title", page: page, request: request, context: context, status: status,
            hasErrors: error != nil)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func verify(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try staffSession(context)
        guard let token = request.cookies[SessionMiddleware.sessionCookie]?.value,
            let state = try await accounts.twoFactorState(accountID: session.accountID)
        else { throw PortalError.notFound }
        let keys = ["totp:\(session.accountID)"]
        if let wait = try await throttle.retryAfter(keys: keys) {
            var response = try await render(
                request, context, session: session, error: text("login_error_throttled", context),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let code = (context.form["code"] ?? "").filter { !$0.isWhitespace }
        let recovery = (context.form["recovery_code"] ?? "").trimmingCharacters(in: .whitespaces)
        var passed = false
        var newRecoveryCodes: [String]?
        if let secret = state.secret, let bytes = try? Base32.decode(secret), !code.isEmpty,
            let step = TOTP(secret: bytes).verify(code, at: Date())
        {
            if state.enabled {
                passed = try await accounts.acceptTwoFactorStep(accountID: session.accountID, step: step)
            } else {
                let codes = RecoveryCodes.generate()
                try await accounts.completeTwoFactorEnrolment(
                    accountID: session.accountID, step: step, recoveryCodes: codes)
                newRecoveryCodes = codes
                passed = true
            }
        } else if state.enabled, !recovery.isEmpty {
            passed = try await accounts.useRecoveryCode(accountID: session.accountID, code: recovery)
        }
        guard passed else {
            _ = try await throttle.recordFailure(keys: keys)
            try await accounts.recordEvent("two_factor_failed", accountID: session.accountID)
            return try await render(
                request, context, session: session, error: text("two_factor_error_code", context),
                status: .unprocessableContent)
        }
        try await throttle.clear(keys: keys)
        try await sessions.markSecondFactorPassed(token: token)
        try await accounts.recordEvent("two_factor_passed", accountID: session.accountID)
        guard let newRecoveryCodes else { return Response.redirect(to: Self.home(role: session.role), type: .normal) }
        // The recovery codes are shown once, now; only their hashes are kept.
        let page = TwoFactorPage(
            enrolment: nil, recoveryCodes: newRecoveryCodes, next: Self.home(role: session.role), error: nil,
            csrfToken: context.csrfToken)
        var response = try renderer.render(
            "two-factor", title: "two_factor_title", page: page, request: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func text(_ key: String, _ context: AppRequestContext) -> String {
        renderer.localizer.text(key, context.language)
    }

    /// The secret in groups of four, easier to type into an app by hand.
    static func grouped(_ secret: String) -> String {
        var groups: [String] = []
        var current = ""
        for character in secret {
            current.append(character)
            if current.count == 4 {
                groups.append(current)
                current = ""
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.joined(separator: " ")
    }
}

/// The two-factor page: enrolment (QR code and secret), the code form, or the recovery codes after enrolment.
struct TwoFactorPage: Sendable {
    struct Enrolment: Sendable {
        let qrCode: String
        let secret: String
    }
    let enrolment: Enrolment?
    let recoveryCodes: [String]?
    let next: String?
    let error: String?
    let csrfToken: String
}
