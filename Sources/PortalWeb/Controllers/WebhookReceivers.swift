import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// Webhook receivers' addresses (the operations themselves are in `PortalAPIService+Agency`).
enum WebhookReceivers {
    static let maximumURLLength = 500

    /// Checks a receiver address: http(s) with a host; plain http only to this machine, so that signed payloads
    /// never cross a network unencrypted.
    static func validURL(_ text: String) -> Bool {
        guard text.count <= maximumURLLength, !text.contains(where: { $0.isWhitespace }),
            let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil
        else { return false }
        switch components.scheme?.lowercased() {
        case "https": return true
        case "http": return ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        default: return false
        }
    }
}
