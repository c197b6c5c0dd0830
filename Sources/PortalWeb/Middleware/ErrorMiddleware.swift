import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime

/// Turns every error into a response the reader can use: an HTML page, or a JSON error under `/api/`, in the
/// reader's language, with the request id. Errors that are not expected are logged at error level; their
/// description is never shown.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: PageRenderer
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, code, messageKey, field) = describe(error, context: context)
            let portalError = (error as? PortalError) ?? ((error as? ServerError)?.underlyingError as? PortalError)
            let message = renderer.localizer.text(messageKey, context.language, portalError?.messageValues ?? [:])
            var response: Response
            if Self.wantsJSON(request) {
                response = try JSONErrorBody(
                    error: .init(code: code, message: message, field: field, requestId: context.requestID)
                ).response(status: status)
            } else {
                let page = ErrorPage(
                    status: status.code, heading: message, field: field, requestID: context.requestID)
                response = try renderer.render(
                    "error", title: messageKey, page: page, request: request, context: context, status: status)
            }
            if let wait = portalError?.retryAfter { response.headers[.retryAfter] = String(wait) }
            if let allow = portalError?.allow { response.headers[.allow] = allow }
            return response
        }
    }

    /// The status, code, message key and field for an error; unexpected errors are logged here.
    private func describe(_ error: any Error, context: Context) -> (HTTPResponse.Status, String, String, String?) {
        switch error {
        case let error as ServerError:
            return describe(served: error, context: context)
        case let error as PortalError:
            return (error.status, error.code, error.messageKey, error.field)
        case let error as any HTTPResponseError:
            let status = error.status
            let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            let key = "error_\(status.code)"
            let known = renderer.localizer.strings(.vietnamese)[key] != nil
            return (status, code, known ? key : "error_generic", nil)
        default:
            logger.error(
                "unexpected error",
                metadata: [
                    "request_id": .string(context.requestID),
                    "error_type": .string(String(reflecting: type(of: error))),
                    "error": .string(String(describing: error)),
                ])
            return (.internalServerError, "internal_error", "error_500", nil)
        }
    }

    /// An error from an operation the generated code serves: the handler's or a middleware's own error (or an
    /// unexpected failure, logged), or a request the generated code refused with a 4xx (a body it could not read, an
    /// `Accept` the answer cannot meet).
    private func describe(served error: ServerError, context: Context) -> (HTTPResponse.Status, String, String, String?)
    {
        let status = error.httpStatus
        guard !(error.underlyingError is PortalError), (400..<500).contains(status.code) else {
            return describe(error.underlyingError, context: context)
        }
        let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
        let key = "error_\(status.code)"
        let known = renderer.localizer.strings(.vietnamese)[key] != nil
        return (status, code, known ? key : "error_400", nil)
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.uri.path.hasPrefix("/api/")
    }
}

/// The body of every JSON error: `{"error":{"code","message","field","requestId"}}`.
struct JSONErrorBody: Encodable, Sendable {
    struct Detail: Encodable, Sendable {
        let code: String
        let message: String
        let field: String?
        let requestId: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
            try container.encode(field, forKey: .field)
            try container.encode(requestId, forKey: .requestId)
        }

        enum CodingKeys: String, CodingKey {
            case code, message, field, requestId
        }
    }
    let error: Detail

    func response(status: HTTPResponse.Status) throws -> Response {
        let data = try JSONEncoder().encode(self)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The model of the error page.
struct ErrorPage: Sendable {
    let status: Int
    let heading: String
    /// The field or header at fault, when one is.
    let field: String?
    let requestID: String
}
