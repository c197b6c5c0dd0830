import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime
import PortalAPI
import PortalCore

/// Serves the generated operations on the router, through swift-openapi-hummingbird.
func registerGeneratedAPI(
    _ service: PortalAPIService, on router: Router<AppRequestContext>, rules: QueryParameterRules
) throws {
    let group = router.group().add(middleware: APIRequestScope())
    try service.registerHandlers(
        on: group, serverURL: URL(string: "/")!,
        configuration: .init(
            dateTranscoder: VietnamDateTranscoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
        middlewares: [QueryRulesMiddleware(rules: rules)])
}

/// Makes the request's context (language, client address, request id) readable by `PortalAPIService`, whose
/// generated interface passes only the operation's input.
struct APIRequestScope: RouterMiddleware {
    typealias Context = AppRequestContext

    @TaskLocal static var context: AppRequestContext?

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await Self.$context.withValue(context) { try await next(request, context) }
    }
}

/// Checks the query against the document before the generated code decodes it (see `QueryParameterRules`): a value
/// the document does not allow is a 400 naming the parameter, in the reader's language; white space around a value
/// is dropped, and an empty optional parameter is left out.
struct QueryRulesMiddleware: ServerMiddleware {
    let rules: QueryParameterRules

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let path = request.path, let mark = path.firstIndex(of: "?") else {
            if let missing = rules.operations[operationID]?.first(where: \.required) {
                throw Self.error(missing.name)
            }
            return try await next(request, body, metadata)
        }
        let query: String
        do {
            query = try rules.normalized(query: path[path.index(after: mark)...], operation: operationID)
        } catch {
            throw Self.error(error.parameter)
        }
        var normalized = request
        normalized.path = String(path[..<mark]) + (query.isEmpty ? "" : "?" + query)
        return try await next(normalized, body, metadata)
    }

    static func error(_ parameter: String) -> PortalError {
        let key =
            ["page", "per_page", "level", "audience", "online_level"].contains(parameter)
            ? "error_parameter_\(parameter)" : "error_parameter"
        return PortalError(.badRequest, code: "invalid_parameter", messageKey: key, field: parameter)
    }
}

/// Dates as the portal writes them everywhere: ISO 8601 in Vietnam time (`+07:00`), to the second.
struct VietnamDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String { VietnamTime.iso8601(date) }

    func decode(_ text: String) throws -> Date {
        guard let date = VietnamTime.parseISO8601(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not an ISO 8601 date-time"))
        }
        return date
    }
}
