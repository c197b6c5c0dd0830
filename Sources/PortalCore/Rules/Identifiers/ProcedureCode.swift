/// A national administrative-procedure code such as `1.001193`, optionally with the agency suffix
/// `1.001193.000.00.00.H29` used for a procedure as carried out by one agency.
public struct ProcedureCode: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The national code, e.g. `1.001193`.
    public let base: String
    /// The agency of the suffix, if any (always in full form).
    public let agency: AgencyIdentifier?

    /// Parses and validates a code.
    public init(validating text: String) throws(ProcedureCodeError) {
        let groups = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard groups.count == 2 || groups.count == 6 else { throw .malformed(text) }
        guard groups[0].count == 1, groups[0].allSatisfy(\.isASCIIDigitCharacter), groups[1].count == 6,
            groups[1].allSatisfy(\.isASCIIDigitCharacter)
        else { throw .malformed(text) }
        base = groups[0] + "." + groups[1]
        if groups.count == 6 {
            let suffix = groups[2...].joined(separator: ".")
            do {
                agency = try AgencyIdentifier(validating: suffix)
            } catch {
                throw .invalidAgencySuffix(suffix)
            }
        } else {
            agency = nil
        }
    }

    /// Parses a code, or returns `nil` when it is invalid.
    public init?(_ description: String) {
        guard let code = try? ProcedureCode(validating: description) else { return nil }
        self = code
    }

    /// The code as written, e.g. `1.001193` or `1.001193.000.00.00.H29`.
    public var description: String { agency.map { base + "." + $0.fullForm } ?? base }

    /// The national code without the agency suffix.
    public var national: ProcedureCode { agency == nil ? self : ProcedureCode(uncheckedBase: base) }

    private init(uncheckedBase: String) {
        base = uncheckedBase
        agency = nil
    }

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
