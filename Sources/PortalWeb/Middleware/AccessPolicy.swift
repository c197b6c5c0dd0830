import Foundation
import Hummingbird
import PortalStore

/// Who may reach each page: one table for the whole portal, deny by default.
///
/// A path that matches no rule is answered 404 before any handler runs, so a new route is unreachable until it is
/// given a rule here. Pages for signed-in people send others to the sign-in page; staff pages answer 404 to
/// anyone without the role (they do not reveal that they exist) and send staff without a second factor to the
/// two-factor page.
enum AccessPolicy {
    enum Requirement: Equatable {
        case anyone
        case signedIn
        case officer
        case admin
    }

    /// The rule for a path; nil means no such page.
    static func requirement(for path: String) -> Requirement? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard let first = segments.first else { return .anyone }
        switch first {
        case "", "tra-cuu", "co-quan", "dang-ky", "dang-nhap", "dang-xuat", "healthz", "readyz", "metrics",
            "openapi.yaml", "static", "api", "quen-mat-khau", "dat-lai-mat-khau", "thong-ke", "bench",
            "sandbox-gateway", "duong-day-nong", "ho-tro-tai-nha", "phan-anh-kien-nghi":
            return .anyone
        case "thu-tuc":
            // `/thu-tuc/{code}/nop` starts a dossier; the catalogue itself is public.
            return segments.count >= 3 && segments[2] == "nop" ? .signedIn : .anyone
        case "tai-khoan", "ho-so", "xac-thuc-hai-buoc", "thong-bao", "thanh-toan":
            return .signedIn
        case "can-bo":
            return .officer
        case "quan-tri":
            return .admin
        default:
            return nil
        }
    }

    /// Routes whose handlers read a multipart body (and check its CSRF field themselves).
    static func acceptsUploads(path: String) -> Bool {
        let segments = path.split(separator: "/").map(String.init)
        return (segments.count == 3 && segments[0] == "ho-so" && segments[2] == "tep")
            || (segments.count == 4 && segments[0] == "can-bo" && segments[1] == "ho-so" && segments[3] == "ket-qua")
    }

    static let staffRoles: Set<String> = ["officer", "agency_admin", "admin"]
}

extension AppRequestContext {
    /// The signed-in administrator (second factor passed) and what they administer: nil for a portal administrator,
    /// their agency for an agency administrator. Anyone else gets a 404.
    func administratorScope() throws -> (session: SessionStore.Session, agency: String?) {
        guard let session, session.secondFactorPassed else { throw PortalError.notFound }
        switch session.role {
        case "admin": return (session, nil)
        case "agency_admin":
            guard let agency = session.agencyCode else { throw PortalError.notFound }
            return (session, agency)
        default: throw PortalError.notFound
        }
    }
}

/// Enforces `AccessPolicy` on every request, after the session is known.
struct AccessPolicyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let requirement = AccessPolicy.requirement(for: request.uri.path) else { throw PortalError.notFound }
        switch requirement {
        case .anyone:
            break
        case .signedIn:
            guard let session = context.session else { return Self.signInRedirect(request) }
            // Staff finish two-factor before anything else that needs a session (but the two-factor page itself).
            if AccessPolicy.staffRoles.contains(session.role) && !session.secondFactorPassed
                && !request.uri.path.hasPrefix("/xac-thuc-hai-buoc")
            {
                return Response.redirect(to: "/xac-thuc-hai-buoc", type: .normal)
            }
        case .officer, .admin:
            guard let session = context.session else { return Self.signInRedirect(request) }
            let allowed: Set<String> = requirement == .admin ? ["admin", "agency_admin"] : ["officer", "agency_admin"]
            guard allowed.contains(session.role) else { throw PortalError.notFound }
            guard session.secondFactorPassed else { return Response.redirect(to: "/xac-thuc-hai-buoc", type: .normal) }
        }
        return try await next(request, context)
    }

    /// To the sign-in page, coming back here afterwards (GET only: a form post cannot be replayed).
    static func signInRedirect(_ request: Request) -> Response {
        guard request.method == .get else { return Response.redirect(to: "/dang-nhap", type: .normal) }
        // The query comes back too: a payer whose session ended at the gateway returns to the same result.
        var next = request.uri.path
        if let query = request.uri.query, !query.isEmpty { next += "?" + query }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/"))
        let encoded = next.addingPercentEncoding(withAllowedCharacters: allowed) ?? request.uri.path
        return Response.redirect(to: "/dang-nhap?next=" + encoded, type: .normal)
    }
}
