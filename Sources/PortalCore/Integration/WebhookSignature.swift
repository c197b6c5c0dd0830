import Crypto
import Foundation

/// The signature on every webhook delivery: HMAC-SHA256 with the subscription's secret over the timestamp, a dot,
/// and the exact body bytes, sent as `X-OpenDVC-Signature: sha256=<hex>` next to `X-OpenDVC-Timestamp` (Unix
/// seconds). A receiver recomputes it, compares in constant time, and refuses old timestamps to stop replays.
public enum WebhookSignature {
    /// The header value for a body sent at `timestamp`.
    public static func sign(secret: String, timestamp: Int64, body: some DataProtocol) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the one for this body and timestamp, and the timestamp is within `tolerance` of `now`.
    public static func isValid(
        _ signature: String, secret: String, timestamp: Int64, body: some DataProtocol, now: Date = Date(),
        tolerance: TimeInterval = 300
    ) -> Bool {
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { return false }
        let expected = Array(sign(secret: secret, timestamp: timestamp, body: body).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// What an agency can subscribe to.
public enum WebhookEvent: String, Sendable, Hashable, CaseIterable, Codable {
    /// A dossier for the agency was submitted on the portal.
    case dossierSubmitted = "dossier.submitted"
    /// The applicant uploaded the supplement the agency asked for.
    case dossierSupplemented = "dossier.supplemented"
    /// The applicant withdrew a dossier.
    case dossierWithdrawn = "dossier.withdrawn"
    /// A fee or tax for a dossier was paid (sent once online payment exists).
    case paymentCompleted = "payment.completed"
}
