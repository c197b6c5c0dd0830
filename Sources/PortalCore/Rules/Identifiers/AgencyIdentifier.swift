/// An agency's electronic identifier per QCVN 102:2016/BTTTT: `000.00.53.H48`, or the short form `H29`.
///
/// The four groups are, from the right, the level-1 unit (a letter and two digits: `G` for ministries,
/// `H` for provinces), then the level-2 (two digits), level-3 (two digits) and level-4 (three digits)
/// units, zero where unused. The short form stands for a level-1 unit alone (`H29` = `000.00.00.H29`).
/// The text keeps the form it was written in; equality compares the full form.
public struct AgencyIdentifier: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The identifier as written (full or short form).
    public let description: String
    /// The full form, e.g. `000.00.00.H29`.
    public let fullForm: String

    /// Parses and validates an identifier.
    public init(validating text: String) throws(AgencyIdentifierError) {
        // A sync batch checks thousands: a valid identifier is recognised from its bytes without splitting it;
        // anything else goes the long way, which names what is wrong.
        switch Self.validForm(text) {
        case .short:
            fullForm = "000.00.00." + text
            description = text
            return
        case .full:
            fullForm = text
            description = text
            return
        case nil:
            break
        }
        let groups = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch groups.count {
        case 1:
            guard AgencyIdentifier.isLevelOne(groups[0]) else { throw .invalidLevelOneUnit(groups[0]) }
            fullForm = "000.00.00." + groups[0]
        case 4:
            for (group, width) in zip(groups.prefix(3), [3, 2, 2])
            where group.utf8.count != width || !group.utf8.allSatisfy(AgencyIdentifier.isDigit) {
                throw .invalidGroup(group, expectedDigits: width)
            }
            guard AgencyIdentifier.isLevelOne(groups[3]) else { throw .invalidLevelOneUnit(groups[3]) }
            fullForm = text
        default:
            throw .wrongGroupCount(groups.count)
        }
        description = text
    }

    /// Parses an identifier, or returns `nil` when it is invalid.
    public init?(_ description: String) {
        guard let identifier = try? AgencyIdentifier(validating: description) else { return nil }
        self = identifier
    }

    /// The level-1 unit, e.g. `H29`.
    public var levelOneUnit: String { String(fullForm.suffix(3)) }

    /// Whether the identifier names a level-1 unit alone (a ministry or a province).
    public var isLevelOneOnly: Bool { fullForm.hasPrefix("000.00.00.") }

    /// The short form (`H29`) for a level-1 unit alone, otherwise the full form.
    public var shortestForm: String { isLevelOneOnly ? levelOneUnit : fullForm }

    /// Compares the full forms, so `H29` equals `000.00.00.H29`.
    public static func == (lhs: AgencyIdentifier, rhs: AgencyIdentifier) -> Bool { lhs.fullForm == rhs.fullForm }

    /// Hashes the full form.
    public func hash(into hasher: inout Hasher) { hasher.combine(fullForm) }

    /// Decodes an identifier from its text, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(validating: container.decode(String.self))
    }

    /// Encodes the identifier as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private enum Form { case short, full }

    /// The form of a valid identifier: `H29` (three bytes) or `000.00.00.H29` (thirteen); `nil` otherwise.
    private static func validForm(_ text: String) -> Form? {
        var text = text
        return text.withUTF8 { bytes -> Form? in
            func levelOne(_ at: Int) -> Bool {
                bytes[at] >= UInt8(ascii: "A") && bytes[at] <= UInt8(ascii: "Z") && isDigit(bytes[at + 1])
                    && isDigit(bytes[at + 2])
            }
            switch bytes.count {
            case 3: return levelOne(0) ? .short : nil
            case 13:
                for index in 0..<10 {
                    let dot = index == 3 || index == 6 || index == 9
                    guard dot ? bytes[index] == UInt8(ascii: ".") : isDigit(bytes[index]) else { return nil }
                }
                return levelOne(10) ? .full : nil
            default: return nil
            }
        }
    }

    private static func isLevelOne(_ group: String) -> Bool {
        let bytes = Array(group.utf8)
        return bytes.count == 3 && bytes[0] >= UInt8(ascii: "A") && bytes[0] <= UInt8(ascii: "Z")
            && isDigit(bytes[1]) && isDigit(bytes[2])
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
