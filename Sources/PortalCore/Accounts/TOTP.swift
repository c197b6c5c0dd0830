import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238) with the parameters every authenticator app supports: HMAC-SHA1, six
/// digits, a 30-second step. Other choices are legal but some apps silently ignore them and show wrong codes.
public struct TOTP: Sendable {
    /// Digits in a code.
    public static let digits = 6
    /// Seconds in one time step.
    public static let period = 30
    /// Bytes in a secret from `generateSecret()`: 160 bits, the HMAC-SHA1 block output size RFC 4226 recommends.
    public static let secretLength = 20

    /// The shared secret, as the authenticator app holds it.
    public let secret: [UInt8]

    /// A generator for the given shared secret.
    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// A new random secret from the system's cryptographically secure generator.
    public static func generateSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<secretLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The time step that contains `date` (the RFC's `T`); dates before 1970 count as step 0.
    public static func counter(at date: Date) -> Int {
        let steps = (date.timeIntervalSince1970 / Double(period)).rounded(.down)
        // Int(_:) traps outside its range; no real clock is anywhere near these bounds.
        guard steps.isFinite, steps > 0 else { return 0 }
        return steps < 1e15 ? Int(steps) : Int(1e15)
    }

    /// The code shown by the app at `date`, zero-padded to six digits.
    public func code(at date: Date) -> String {
        code(counter: Self.counter(at: date))
    }

    /// The code for one time step (RFC 4226 HOTP with the step as counter).
    public func code(counter: Int) -> String {
        let message = withUnsafeBytes(of: UInt64(max(0, counter)).bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        // Dynamic truncation, RFC 4226 section 5.3.
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        let value = String(binary % 1_000_000)
        return String(repeating: "0", count: Self.digits - value.count) + value
    }

    /// The time step whose code equals `code`, looking `window` steps either side of `date` for clock drift, or nil.
    /// Callers store the returned step and refuse any later code for the same or an earlier step, so a code that was
    /// seen over a shoulder or logged cannot be replayed within its lifetime.
    public func verify(_ code: String, at date: Date, window: Int = 1) -> Int? {
        // Apps show "123 456"; a pasted code may carry a no-break space.
        let typed = code.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard typed.count == Self.digits, typed.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        let typedBytes = typed.map { UInt8($0.value) }
        let now = Self.counter(at: date)
        let reach = max(0, window)
        var matched: Int?
        // Every step in the window is computed and compared in full, so timing says nothing about which digits or
        // which step matched.
        for step in (now - reach)...(now + reach) where step >= 0 {
            if Self.constantTimeEqual(Array(self.code(counter: step).utf8), typedBytes), matched == nil {
                matched = step
            }
        }
        return matched
    }

    /// The `otpauth://` URI that authenticator apps read from a QR code (Google Authenticator key URI format).
    /// `issuer` and `account` may hold any text, Vietnamese included; they are percent-encoded as UTF-8.
    public func provisioningURI(issuer: String, account: String) -> String {
        let label = Self.percentEncoded(issuer) + ":" + Self.percentEncoded(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret, padding: false))"
            + "&issuer=\(Self.percentEncoded(issuer))&algorithm=SHA1&digits=\(Self.digits)&period=\(Self.period)"
    }

    /// Compares two byte strings without stopping at the first difference.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// Percent-encodes everything except RFC 3986 unreserved characters, so a colon or an ampersand in a name cannot
    /// change the URI's structure and spaces become `%20` (apps do not read `+` as a space). Text is first put in NFC,
    /// so "Cổng" typed with combining marks gives the same URI as the precomposed form.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.precomposedStringWithCanonicalMapping.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
