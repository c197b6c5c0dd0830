import Crypto
import Foundation

/// SHA-256 in lower-case hexadecimal: how the portal stores tokens it must recognise but never keep (sessions, reset
/// links, recovery codes, agency tokens) and how it chains and compares records.
enum Digest {
    static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256Hex(_ text: String) -> String {
        sha256Hex(text.utf8)
    }
}
