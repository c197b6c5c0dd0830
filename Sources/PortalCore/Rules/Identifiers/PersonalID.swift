/// A 12-digit personal identification number (số định danh cá nhân, on the căn cước card), Circular 59/2021/TT-BCA.
///
/// Digits 1–3: province of birth registration (`0` + a legacy 63-province GSO code); digit 4: century and
/// sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s); digits 5–6: the
/// last two digits of the birth year; digits 7–12: a random serial. There is no check digit.
public struct PersonalID: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The 12 digits.
    public let description: String

    /// Parses and validates a number (surrounding spaces are ignored, inner characters are not).
    public init(validating text: String) throws(PersonalIDError) {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard trimmed.allSatisfy(\.isASCIIDigitCharacter) else { throw .notDigits }
        guard trimmed.count == 12 else { throw .wrongLength(trimmed.count) }
        let province = String(trimmed.prefix(3))
        guard PersonalID.birthRegistrationProvinceCodes.contains(province) else { throw .unknownProvince(province) }
        description = trimmed
    }

    /// Parses a number, or returns `nil` when it is invalid.
    public init?(_ description: String) {
        guard let id = try? PersonalID(validating: description) else { return nil }
        self = id
    }

    /// The province-of-birth-registration code, e.g. `001` for Hà Nội.
    public var provinceCode: String { String(description.prefix(3)) }

    /// The sex encoded in digit 4 (even = male, odd = female).
    public var sex: Sex { digit(3) % 2 == 0 ? .male : .female }

    /// The birth year encoded in digits 4–6.
    public var birthYear: Int { 1900 + digit(3) / 2 * 100 + digit(4) * 10 + digit(5) }

    /// The random serial, digits 7–12.
    public var serial: String { String(description.suffix(6)) }

    /// Checks the number against a person's birth date and sex, naming the first part that disagrees.
    public func validate(birthDate: LocalDate, sex: Sex) throws(PersonalIDError) {
        guard (1900...2399).contains(birthDate.year) else { throw .birthYearOutOfRange(birthDate.year) }
        let expectedCentury = (birthDate.year - 1900) / 100
        guard digit(3) / 2 == expectedCentury else {
            throw .centuryMismatch(encoded: birthYear / 100 * 100, actual: birthDate.year)
        }
        guard birthYear == birthDate.year else { throw .birthYearMismatch(encoded: birthYear, actual: birthDate.year) }
        guard self.sex == sex else { throw .sexMismatch(encoded: self.sex, actual: sex) }
    }

    /// The digit-4 code for a birth year and sex, or `nil` outside 1900–2399.
    public static func centuryAndSexDigit(birthYear: Int, sex: Sex) -> Int? {
        guard (1900...2399).contains(birthYear) else { return nil }
        return (birthYear - 1900) / 100 * 2 + (sex == .male ? 0 : 1)
    }

    /// Decodes a number from its text, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(validating: container.decode(String.self))
    }

    /// Encodes the number as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private func digit(_ index: Int) -> Int {
        // SAFETY: the initializer accepted exactly 12 ASCII digits.
        Array(description)[index].wholeNumberValue!
    }

    /// The 63 birth-registration province codes: `0` + the GSO code of each province before July 2025.
    public static let birthRegistrationProvinceCodes: Set<String> = [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019",
        "020", "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036",
        "037", "038", "040", "042", "044", "045", "046", "048", "049", "051", "052", "054",
        "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
        "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
        "094", "095", "096",
    ]
}
