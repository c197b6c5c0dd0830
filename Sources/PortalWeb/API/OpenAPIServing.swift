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
    let agency = AgencyRequestMiddleware(
        clients: service.clients, secured: rules.secured,
        bodies: PortalAPIService.agencyBodies.merging(PortalAPIService.legacyBodies) { first, _ in first })
    let group = router.group().add(middleware: APIRequestScope())
    try service.registerHandlers(
        on: group, serverURL: URL(string: "/")!,
        configuration: .init(
            dateTranscoder: VietnamDateTranscoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
        middlewares: [HeaderValuesMiddleware(), agency, QueryRulesMiddleware(rules: rules)])
}

/// Makes the request's context (language, client address, request id) readable by `PortalAPIService`, whose
/// generated interface passes only the operation's input; and hands the answer's body to Hummingbird whole.
///
/// swift-openapi-hummingbird streams every body, so the head and the body left in two writes (two system calls
/// and two packets for a lookup, measured with strace); an answer of known length is gathered here into one buffer,
/// which goes out with its head in one write, as the hand-written routes' did.
struct APIRequestScope: RouterMiddleware {
    typealias Context = AppRequestContext

    @TaskLocal static var context: AppRequestContext?

    /// Answers up to this size are gathered; larger ones stream.
    static let largestGathered = 16 * 1024 * 1024

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await Self.$context.withValue(context) { try await next(request, context) }
        guard let length = response.body.contentLength, length <= Self.largestGathered else { return response }
        let gathered = GatheringWriter(capacity: length)
        let body = response.body
        try await body.write(gathered)
        response.body = ResponseBody(byteBuffer: gathered.buffer)
        return response
    }
}

/// Gathers a body's buffers into one.
private final class GatheringWriter: ResponseBodyWriter {
    var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
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
        for rule in rules.integerPaths[operationID] ?? [] {
            guard case .integer(let minimum, let maximum) = rule.kind,
                let value = metadata.pathParameters[rule.name].flatMap({ Int($0) }),
                value >= (minimum ?? .min), value <= (maximum ?? .max)
            else { throw PortalError(.notFound, code: "not_found", messageKey: "error_not_found", field: rule.name) }
        }
        guard let path = request.path, let mark = path.firstIndex(of: "?") else {
            if let missing = rules.operations[operationID]?.first(where: \.required) {
                throw Self.error(missing, missing: true)
            }
            return try await next(request, body, metadata)
        }
        let sent = path[path.index(after: mark)...]
        let query: String
        do {
            query = try rules.normalized(query: sent, operation: operationID)
        } catch {
            let rule = rules.operations[operationID]?.first { $0.name == error.parameter }
            throw rule.map { Self.error($0, missing: error.missing) }
                ?? PortalError(.badRequest, code: "invalid_parameter", messageKey: "error_400", field: error.parameter)
        }
        guard query != sent else { return try await next(request, body, metadata) }
        var normalized = request
        normalized.path = String(path[..<mark]) + (query.isEmpty ? "" : "?" + query)
        return try await next(normalized, body, metadata)
    }

    /// The error for a parameter that is missing or breaks its rule, saying what the document allows.
    static func error(_ rule: QueryParameterRules.Rule, missing: Bool) -> PortalError {
        var error: PortalError
        var values = ["name": rule.name]
        switch rule.kind {
        case _ where missing:
            error = PortalError(
                .badRequest, code: "missing_parameter", messageKey: "error_parameter_required", field: rule.name)
        case .integer(let minimum, let maximum):
            let key = maximum == nil ? "error_parameter_integer_from" : "error_parameter_integer_range"
            error = PortalError(.badRequest, code: "invalid_parameter", messageKey: key, field: rule.name)
            values["minimum"] = String(minimum ?? Int.min)
            values["maximum"] = maximum.map(String.init)
        case .choice(let choices):
            error = PortalError(
                .badRequest, code: "invalid_parameter", messageKey: "error_parameter_choice", field: rule.name)
            values["values"] = choices.joined(separator: ", ")
        case .text:
            error = PortalError(
                .badRequest, code: "invalid_parameter", messageKey: "error_parameter", field: rule.name)
        }
        error.messageValues = values
        return error
    }
}

/// Writes `Content-Disposition` as the operation set it: the generated code percent-encodes header values (the
/// `simple` style of URI templates), which would turn `attachment; filename="…"` into text no browser reads.
struct HeaderValuesMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        if let value = response.headerFields[.contentDisposition], let decoded = value.removingPercentEncoding {
            response.headerFields[.contentDisposition] = decoded
        }
        return (response, responseBody)
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
