import Foundation
import Hummingbird

extension Request {
    /// The query string decoded as an HTML form sends it: `+` is a space, then percent-decoding. The first value
    /// of a repeated name wins. (Hummingbird's `queryParameters` leaves `+` as it is.)
    var formQuery: [String: String] {
        FormURLEncoded.parse(uri.query ?? "")
    }
}
