import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route answers, filled once the router holds every route; matches a request path the way the
/// router does (literal segments, `{parameter}` captures and wildcards).
final class RouteMethodTable: Sendable {
    private struct Route: Sendable {
        let components: [RouterPath.Element]
        let methods: Set<String>
    }
    private let routes = Mutex<[Int: [Route]]>([:])
    private let recursive = Mutex<[Route]>([])

    /// Records the routes of a finished router.
    func load(_ descriptions: [Router<AppRequestContext>.RouteDescription]) {
        var byPath: [String: (components: [RouterPath.Element], methods: Set<String>)] = [:]
        for route in descriptions {
            var methods = byPath[route.path.description]?.methods ?? []
            methods.insert(route.method.rawValue)
            if route.method == .get { methods.insert(HTTPRequest.Method.head.rawValue) }
            byPath[route.path.description] = (route.path.components, methods)
        }
        var table: [Int: [Route]] = [:]
        var wildcards: [Route] = []
        for (_, entry) in byPath {
            let route = Route(components: entry.components, methods: entry.methods)
            if entry.components.contains(where: { $0.description == "**" }) {
                wildcards.append(route)
            } else {
                table[entry.components.count, default: []].append(route)
            }
        }
        routes.withLock { $0 = table }
        recursive.withLock { $0 = wildcards }
    }

    /// The methods answered at a path, sorted; empty when no route matches it.
    func methods(at path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var found: Set<String> = []
        let candidates = routes.withLock { $0[segments.count] ?? [] }
        for route in candidates where zip(route.components, segments).allSatisfy({ $0 ~= $1 }) {
            found.formUnion(route.methods)
        }
        for route in recursive.withLock({ $0 }) {
            let fixed = route.components.prefix { $0.description != "**" }
            if segments.count > fixed.count, zip(fixed, segments).allSatisfy({ $0 ~= $1 }) {
                found.formUnion(route.methods)
            }
        }
        return found.sorted()
    }
}

/// Answers 405 with `Allow` when the address exists but not for the request's method, before the CSRF check (a
/// form posted to a read-only page is told so, not that its token is wrong). Staff addresses keep their 404: they
/// do not reveal that they exist.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let table: RouteMethodTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let method = request.method
        if method != .get && method != .head {
            try check(request)
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            try check(request)
            throw error
        }
    }

    private func check(_ request: Request) throws {
        let path = request.uri.path
        switch AccessPolicy.requirement(for: path) {
        case .anyone, .signedIn: break
        case .officer, .admin, nil: return
        }
        let methods = table.methods(at: path)
        if !methods.isEmpty && !methods.contains(request.method.rawValue) {
            throw PortalError.methodNotAllowed(allow: methods)
        }
    }
}
