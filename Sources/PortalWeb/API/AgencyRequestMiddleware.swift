import Foundation
import HTTPTypes
import OpenAPIRuntime
import PortalStore

/// What the agency operations need before the generated code reads their request: the bearer token of the
/// operations the document secures (401 naming `Authorization` otherwise), and the body, checked as the portal
/// checks every JSON body (declared as JSON, within its size, valid UTF-8) and kept as sent, for the idempotency
/// hash. A body the generated decoder cannot read gets the operation's own 4xx naming the field at fault. For every
/// operation it also keeps the request as it arrived (`Current.head`), which the payment callback's signature needs.
struct AgencyRequestMiddleware: ServerMiddleware {
    /// How one operation's body is checked, and what a body that cannot be read is answered.
    struct BodyRule: Sendable {
        let maximumBytes: Int
        /// The field a body over `maximumBytes` is blamed on, if any.
        var tooLargeField: String? = nil
        /// Any `Content-Type` is read as JSON (the legacy connector's senders declare all sorts).
        var anyContentType = false
        /// When set, a body that cannot be read is answered with this, not refused with an error (the legacy
        /// connector always answers HTTP 200).
        var answer: (@Sendable () throws -> (HTTPResponse, HTTPBody))? = nil
        /// The operation reads the body as sent (`Current.body`) with a reader that refuses whatever is not JSON, as
        /// the sync body's `SyncWireBody` does: the generated layer is then handed `{}` in its place, so that a body
        /// of up to megabytes is not scanned twice (the scan took 4 % of the portal's CPU under sync load).
        var readByOperation = false
        /// The error for a body that is not valid JSON of the documented shape, given the field the decoder
        /// stopped at (when it names one).
        let unreadable: @Sendable (_ field: String?) -> PortalError
    }

    let clients: AgencyClients
    /// The operations with a `security` requirement in the document.
    let secured: Set<String>
    let bodies: [String: BodyRule]

    /// The request being served: its agency client, when the operation is secured, and its body as sent.
    struct Current: Sendable {
        /// The request as it arrived, before the query was normalized.
        let head: HTTPRequest
        let client: AgencyClients.Client?
        let body: [UInt8]
    }

    @TaskLocal static var current: Current?

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var client: AgencyClients.Client?
        if secured.contains(operationID) {
            client = try await Self.client(request.headerFields[.authorization], clients: clients)
        }
        guard let rule = bodies[operationID] else {
            return try await Self.$current.withValue(Current(head: request, client: client, body: [])) {
                try await next(request, body, metadata)
            }
        }
        let type = request.headerFields[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard
            rule.anyContentType || type == "application/json"
                || (type?.hasPrefix("application/") == true && type?.hasSuffix("+json") == true)
        else {
            throw PortalError(
                .unsupportedMediaType, code: "unsupported_media_type", messageKey: "error_415", field: "Content-Type")
        }
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body ?? HTTPBody(), upTo: rule.maximumBytes)
        } catch {
            if let answer = rule.answer { return try answer() }
            throw PortalError(.contentTooLarge, code: "too_large", messageKey: "error_413", field: rule.tooLargeField)
        }
        // JSON is UTF-8: a body that is not is refused whole (the decoder would otherwise patch bad bytes over).
        guard String(validating: bytes, as: UTF8.self) != nil else {
            if let answer = rule.answer { return try answer() }
            throw rule.unreadable(nil)
        }
        var declared = request
        declared.headerFields[.contentType] = "application/json"
        do {
            return try await Self.$current.withValue(Current(head: request, client: client, body: bytes)) {
                try await next(declared, rule.readByOperation ? HTTPBody(Self.standIn) : HTTPBody(bytes), metadata)
            }
        } catch let error as ServerError where error.operationInput == nil {
            guard let decoding = error.underlyingError as? DecodingError else { throw error }
            if let answer = rule.answer { return try answer() }
            throw rule.unreadable(Self.field(decoding))
        }
    }

    /// What the generated layer reads in place of a body its operation reads itself (`BodyRule.readByOperation`).
    static let standIn: [UInt8] = Array("{}".utf8)

    /// The first key of the path where decoding stopped (the missing key itself for a missing key).
    static func field(_ error: DecodingError) -> String? {
        switch error {
        case .keyNotFound(let key, let context):
            return (context.codingPath.first ?? key).stringValue
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.first?.stringValue
        @unknown default:
            return nil
        }
    }

    /// The agency client of a bearer token, or a 401 naming the header.
    static func client(_ header: String?, clients: AgencyClients) async throws -> AgencyClients.Client {
        let header = header ?? ""
        guard header.lowercased().hasPrefix("bearer "),
            let client = try await clients.client(
                token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            throw PortalError(
                .unauthorized, code: "unauthorized", messageKey: "sync_error_token", field: "Authorization")
        }
        return client
    }
}
