/// A Vietnamese tax code (mã số thuế): 10 digits with a check digit, or 10 digits + `-` + a 3-digit branch.
///
/// Digits 1–2 are the province, 3–9 a sequence and 10 the check digit: with the weights 31, 29, 23, 19,
/// 17, 13, 7, 5, 3 on digits 1–9, the check digit is `10 − (Σ mod 11)`; a sum with remainder 0 has no
/// valid check digit, so no tax code starts with those nine digits (Circular 105/2020/TT-BTC).
public struct TaxCode: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The 10-digit code of the taxpayer (the parent for a branch).
    public let base: String
    /// The 3-digit branch (đơn vị phụ thuộc) suffix, if any.
    public let branch: String?

    /// The weights of digits 1–9.
    public static let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

    /// Parses and validates `0100109106`, `0100109106-001` or the 13 digits without the dash.
    public init(validating text: String) throws(TaxCodeError) {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var base: String
        var branch: String?
        switch parts.count {
        case 1 where parts[0].count == 13:
            base = String(parts[0].prefix(10))
            branch = String(parts[0].suffix(3))
        case 1:
            base = parts[0]
        case 2:
            base = parts[0]
            branch = parts[1]
        default:
            throw .malformed
        }
        guard base.allSatisfy(\.isASCIIDigitCharacter), branch?.allSatisfy(\.isASCIIDigitCharacter) ?? true else {
            throw .notDigits
        }
        guard base.count == 10, branch.map({ $0.count == 3 }) ?? true else { throw .malformed }
        let digits = base.compactMap(\.asciiDigitValue)
        guard digits[2..<9].contains(where: { $0 != 0 }) else { throw .zeroSequence }
        guard let expected = TaxCode.checkDigit(forFirstNine: Array(digits.prefix(9))) else {
            throw .noValidCheckDigit
        }
        guard expected == digits[9] else { throw .checkDigitMismatch(expected: expected, found: digits[9]) }
        guard branch != "000" else { throw .zeroBranch }
        self.base = base
        self.branch = branch
    }

    /// Parses a code, or returns `nil` when it is invalid.
    public init?(_ description: String) {
        guard let code = try? TaxCode(validating: description) else { return nil }
        self = code
    }

    /// The check digit for the first nine digits, or `nil` when no digit is valid (remainder 0).
    public static func checkDigit(forFirstNine digits: [Int]) -> Int? {
        guard digits.count == 9 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 10 - sum % 11
        return check == 10 ? nil : check
    }

    /// The code, e.g. `0100109106` or `0100109106-001`.
    public var description: String { branch.map { base + "-" + $0 } ?? base }

    /// Whether the code is a branch's.
    public var isBranch: Bool { branch != nil }

    /// Decodes a code from its text, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(validating: container.decode(String.self))
    }

    /// Encodes the code as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
