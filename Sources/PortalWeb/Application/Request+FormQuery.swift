import Foundation
import Hummingbird

extension Request {
    /// The query string decoded as an HTML form sends it: `+` is a space, then percent-decoding. The first value
    /// of a repeated name wins. (Hummingbird's `queryParameters` leaves `+` as it is.)
    var formQuery: [String: String] {
        guard let query = uri.query, !query.isEmpty else { return [:] }
        var values: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return values
    }
}
