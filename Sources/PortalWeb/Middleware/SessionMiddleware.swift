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
                do {
                    context.form = try FormURLEncoded.decode(body.readableBytesView)
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

    /// The name and value bytes of each `name=value` pair, still encoded.
    static func pairs<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [(name: Bytes.SubSequence, value: Bytes.SubSequence)]
    {
        bytes.split(separator: UInt8(ascii: "&")).map { pair in
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            return (
                pair[pair.startIndex..<(equals ?? pair.endIndex)],
                equals.map { pair[pair.index(after: $0)...] } ?? pair[pair.endIndex...]
            )
        }
    }

    /// Decodes a form body strictly: a field whose name or value does not decode to UTF-8 text is an error
    /// naming it.
    static func decode(_ bytes: some Collection<UInt8>) throws(InvalidField) -> [String: String] {
        var values: [String: String] = [:]
        for (rawName, rawValue) in pairs(bytes) {
            guard let name = text(rawName) else {
                throw InvalidField(name: String(decoding: rawName, as: UTF8.self))
            }
            guard let value = text(rawValue) else { throw InvalidField(name: name) }
            if values[name] == nil { values[name] = value }
        }
        return values
    }

    /// `+` as a space, `%XX` as its byte, and the bytes as UTF-8; nil when an escape is malformed or the bytes are
    /// not UTF-8.
    static func text(_ part: some Collection<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.count)
        var index = part.startIndex
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while index != part.endIndex {
            let byte = part[index]
            index = part.index(after: index)
            switch byte {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard index != part.endIndex, let high = hex(part[index]) else { return nil }
                index = part.index(after: index)
                guard index != part.endIndex, let low = hex(part[index]) else { return nil }
                index = part.index(after: index)
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Decodes a query leniently: what does not decode is kept as it was typed (with `+` as a space).
    static func parse(_ text: String) -> [String: String] {
        func lenient(_ part: Substring.UTF8View.SubSequence) -> String {
            Self.text(part) ?? String(decoding: part, as: UTF8.self).replacingOccurrences(of: "+", with: " ")
        }
        var values: [String: String] = [:]
        for (rawName, rawValue) in pairs(text.utf8[...]) {
            let name = lenient(rawName)
            if values[name] == nil { values[name] = lenient(rawValue) }
        }
        return values
    }
}
