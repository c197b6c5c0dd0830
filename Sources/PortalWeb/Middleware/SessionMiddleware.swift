import Foundation
import HTTPTypes
import Hummingbird
import PortalStore

/// Loads the signed-in session from its cookie and guards every state-changing request with a CSRF token.
///
/// Signed in, the token is the session's; signed out, it is a random value in a `csrf` cookie (double submit).
/// A form sends it as `csrf_token`, a script as the `X-CSRF-Token` header. A missing or wrong token is a 403 and
/// the handler never runs. Under `/api/` a request with a session cookie needs the header; one without a session
/// (agency systems with bearer tokens) is left to the API's own authentication.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let sessionCookie = "phien"
    static let csrfCookie = "csrf"
    static let maximumFormBytes = 64 * 1024
    let sessions: SessionStore
    let secureCookies: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        var newCSRFCookie: String?
        if let token = request.cookies[Self.sessionCookie]?.value, let session = try await sessions.find(token: token) {
            context.session = session
            context.csrfToken = session.csrfToken
        } else if let cookie = request.cookies[Self.csrfCookie]?.value, cookie.count == 32,
            cookie.allSatisfy(\.isHexDigit)
        {
            context.csrfToken = cookie
        } else {
            let token = SessionStore.randomToken()
            context.csrfToken = token
            newCSRFCookie = token
        }
        let isAPI = request.uri.path.hasPrefix("/api/")
        if ![.get, .head, .options].contains(request.method) && isAPI && context.session != nil
            && request.headers[.authorization] == nil
        {
            // A browser calling the JSON API with its session cookie must send the token as a header; agency systems
            // authenticate with a bearer token instead and send no cookie.
            guard let provided = request.headers[HTTPField.Name("X-CSRF-Token")!],
                Self.constantTimeEquals(provided, context.csrfToken)
            else {
                throw PortalError(.forbidden, code: "csrf_failed", messageKey: "error_csrf", field: "X-CSRF-Token")
            }
        }
        if ![.get, .head, .options].contains(request.method) && !isAPI {
            var provided = request.headers[HTTPField.Name("X-CSRF-Token")!]
            if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                let body = try await request.body.collect(upTo: Self.maximumFormBytes)
                // Text that is not UTF-8 is refused, naming the field, before anything reads it.
                guard let text = String(bytes: body.readableBytesView, encoding: .utf8) else {
                    throw PortalError(
                        .badRequest, code: "invalid_text", messageKey: "error_invalid_text", field: "body")
                }
                do {
                    context.form = try FormURLEncoded.decode(text)
                } catch {
                    throw PortalError(
                        .badRequest, code: "invalid_text", messageKey: "error_invalid_text", field: error.name)
                }
                provided = context.form["csrf_token"] ?? provided
                request.body = .init(buffer: body)
            }
            let isMultipart = request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
            if isMultipart && provided == nil {
                // Upload routes read the token from the first field of the body (see `MultipartUpload`); no other
                // route accepts a multipart body, so none can be reached without a token.
                guard AccessPolicy.acceptsUploads(path: request.uri.path), newCSRFCookie == nil else {
                    throw PortalError(.forbidden, code: "csrf_failed", messageKey: "error_csrf", field: "csrf_token")
                }
            } else {
                guard let provided, Self.constantTimeEquals(provided, context.csrfToken), newCSRFCookie == nil else {
                    throw PortalError(.forbidden, code: "csrf_failed", messageKey: "error_csrf", field: "csrf_token")
                }
            }
        }
        var response = try await next(request, context)
        if let newCSRFCookie {
            response.setCookie(Self.cookie(Self.csrfCookie, newCSRFCookie, secure: secureCookies))
        }
        return response
    }

    /// A cookie with the portal's flags: HttpOnly, SameSite=Lax, Secure when served over TLS.
    static func cookie(_ name: String, _ value: String, maxAge: Int? = nil, secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Decodes `application/x-www-form-urlencoded` text; the first value of a repeated name wins.
enum FormURLEncoded {
    /// A field whose name or value is not percent-encoded UTF-8.
    struct InvalidField: Error {
        let name: String
    }

    /// Decodes a form body strictly: a field that does not decode to UTF-8 text is an error naming it.
    static func decode(_ text: String) throws(InvalidField) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = parts[0].replacingOccurrences(of: "+", with: " ")
            guard let name = rawName.removingPercentEncoding else { throw InvalidField(name: rawName) }
            let rawValue = parts.count > 1 ? parts[1].replacingOccurrences(of: "+", with: " ") : ""
            guard let value = rawValue.removingPercentEncoding else { throw InvalidField(name: name) }
            if values[name] == nil { values[name] = value }
        }
        return values
    }

    /// Decodes a query leniently: what does not decode is kept as it was typed.
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return values
    }
}
