import Foundation
import HTTPTypes
import Hummingbird

/// What every JSON endpoint checks of its request: the body is declared as JSON, and whole numbers are numbers.
enum JSONRequest {
    /// Refuses a body not declared as `application/json` (or a `+json` type) with 415 naming `Content-Type`.
    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard let type, type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
        else {
            throw PortalError(
                .unsupportedMediaType, code: "unsupported_media_type", messageKey: "error_415", field: "Content-Type")
        }
    }

    /// A JSON whole number. Foundation hands JSON `true` and `false` back as numbers too; they are not numbers here.
    static func integer(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return value as? Int
    }
}
