import Foundation
import HTTPTypes
import Hummingbird

/// An error with a status and a message safe to show, in the reader's language, naming the field at fault.
public struct PortalError: Error, Sendable {
    public let status: HTTPResponse.Status
    /// A stable machine-readable code, e.g. `not_found`.
    public let code: String
    /// The key of the message in the translation catalogue.
    public let messageKey: String
    public let field: String?
    /// The values of the message's `{name}` placeholders.
    public var messageValues: [String: String] = [:]
    /// Seconds to wait before trying again, sent as `Retry-After` (with 429 and 503).
    public var retryAfter: Int?
    /// The methods the address answers, sent as `Allow` (with 405).
    public var allow: String?

    /// Creates an error.
    public init(
        _ status: HTTPResponse.Status, code: String, messageKey: String, field: String? = nil, retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.messageKey = messageKey
        self.field = field
        self.retryAfter = retryAfter
    }

    /// The page or resource does not exist (or may not be seen: the portal answers 404 either way).
    public static let notFound = PortalError(.notFound, code: "not_found", messageKey: "error_not_found")

    /// Something the portal did not expect went wrong; the details are in the log, never in the answer.
    public static let internalError = PortalError(
        .internalServerError, code: "internal_error", messageKey: "error_500")

    /// The address exists but does not answer this method.
    public static func methodNotAllowed(allow: [String]) -> PortalError {
        var error = PortalError(.methodNotAllowed, code: "method_not_allowed", messageKey: "error_405")
        error.allow = allow.joined(separator: ", ")
        return error
    }
}
