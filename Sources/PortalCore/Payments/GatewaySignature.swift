import Crypto
import Foundation

/// The signature of payment-gateway messages in the style Vietnamese gateways use (VNPAY's `vnp_SecureHash`):
/// every parameter but the hash itself, sorted by name, form-encoded as `name=value` pairs joined with `&`, then
/// HMAC-SHA512 with the merchant's secret, in hexadecimal. The same rule signs the portal's payment requests and
/// verifies the gateway's callbacks and return addresses.
public enum GatewaySignature {
    /// The parameter that carries the signature, and one some gateways add next to it; neither is signed.
    public static let hashParameter = "vnp_SecureHash"
    static let unsigned: Set<String> = [hashParameter, "vnp_SecureHashType"]

    /// The text that is signed.
    public static func canonical(_ parameters: [String: String]) -> String {
        parameters.filter { !unsigned.contains($0.key) && !$0.value.isEmpty }
            .sorted { $0.key < $1.key }
            .map { "\(formEncode($0.key))=\(formEncode($0.value))" }
            .joined(separator: "&")
    }

    /// The signature for the parameters, as lowercase hexadecimal.
    public static func sign(_ parameters: [String: String], secret: String) -> String {
        let code = HMAC<SHA512>.authenticationCode(
            for: Data(canonical(parameters).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// The parameters with their signature added.
    public static func signed(_ parameters: [String: String], secret: String) -> [String: String] {
        var signed = parameters
        signed[hashParameter] = sign(parameters, secret: secret)
        return signed
    }

    /// Whether the parameters carry a valid signature (compared in constant time, hex case ignored).
    public static func isValid(_ parameters: [String: String], secret: String) -> Bool {
        guard let given = parameters[hashParameter]?.lowercased() else { return false }
        let expected = sign(parameters, secret: secret)
        guard given.utf8.count == expected.utf8.count else { return false }
        return zip(given.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// `application/x-www-form-urlencoded`, as gateways sign: unreserved characters kept, space as `+`, the rest
    /// as `%XX`.
    public static func formEncode(_ text: String) -> String { encode(text, space: "+") }

    /// Percent-encoding for query strings sent over the wire (space as `%20`, which every parser reads alike).
    public static func percentEncode(_ text: String) -> String { encode(text, space: "%20") }

    static func encode(_ text: String, space: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                encoded.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "):
                encoded += space
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    /// A query string of the parameters (sorted, percent-encoded), for a redirect.
    public static func query(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key < $1.key }.map { "\(percentEncode($0.key))=\(percentEncode($0.value))" }
            .joined(separator: "&")
    }

    /// The parameters of a query string, reading `+` as a space as form encoding does (some gateways send it).
    public static func parameters(query: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = parts.first.flatMap(decode) else { continue }
            parameters[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return parameters
    }
}
