import Foundation

/// A dossier code per Circular 01/2018/TT-VPCP: `<agency identifier>-YYMMDD-NNNN`.
///
/// `YYMMDD` is the date of receipt in Vietnam local time and `NNNN` the agency's daily sequence,
/// from 0001, with more digits once it passes 9999.
public struct DossierCode: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The receiving agency.
    public let agency: AgencyIdentifier
    /// The local date of receipt (2000–2099, as the year has two digits).
    public let receiptDate: LocalDate
    /// The daily sequence number, 1 or more.
    public let sequence: Int

    /// The largest daily sequence number accepted.
    public static let maximumSequence = 99_999_999

    /// Creates the code of a dossier received on a local date.
    public init(agency: AgencyIdentifier, receiptDate: LocalDate, sequence: Int) throws(DossierCodeError) {
        guard (2000...2099).contains(receiptDate.year) else { throw .yearOutOfRange(receiptDate.year) }
        guard (1...DossierCode.maximumSequence).contains(sequence) else { throw .sequenceOutOfRange(sequence) }
        self.agency = agency
        self.receiptDate = receiptDate
        self.sequence = sequence
    }

    /// Creates the code of a dossier received at an instant; the date is taken in Vietnam local time.
    public init(agency: AgencyIdentifier, receivedAt: Date, sequence: Int) throws(DossierCodeError) {
        try self.init(agency: agency, receiptDate: VietnamTime.localDate(of: receivedAt), sequence: sequence)
    }

    /// Parses and validates a code such as `000.00.53.H48-260429-0001` or `H29-260429-0012`.
    public init(validating text: String) throws(DossierCodeError) {
        // Read as UTF-8 bytes: a sync batch checks thousands of codes. Every valid code is ASCII, so any other
        // byte fails the part it is in, as a character would.
        let bytes = Array(text.utf8)
        let dashes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "-") }
        guard dashes.count == 2 else { throw .wrongPartCount(dashes.count + 1) }
        func part(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        let agency: AgencyIdentifier
        do {
            agency = try AgencyIdentifier(validating: part(0..<dashes[0]))
        } catch {
            throw .invalidAgency(error)
        }
        let dateRange = (dashes[0] + 1)..<dashes[1]
        let sequenceRange = (dashes[1] + 1)..<bytes.count
        func number(_ range: Range<Int>) -> Int? {
            guard !range.isEmpty, range.count <= 18 else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard dateRange.count == 6, number(dateRange) != nil,
            let yy = number(dateRange.lowerBound..<(dateRange.lowerBound + 2)),
            let mm = number((dateRange.lowerBound + 2)..<(dateRange.lowerBound + 4)),
            let dd = number((dateRange.lowerBound + 4)..<dateRange.upperBound),
            let date = LocalDate(year: 2000 + yy, month: mm, day: dd)
        else { throw .invalidDate(part(dateRange)) }
        guard sequenceRange.count >= 4, let sequence = number(sequenceRange) else {
            throw .invalidSequence(part(sequenceRange))
        }
        // Only one spelling per code: more than four digits only when the number needs them.
        guard sequenceRange.count == 4 || bytes[sequenceRange.lowerBound] != UInt8(ascii: "0") else {
            throw .invalidSequence(part(sequenceRange))
        }
        try self.init(agency: agency, receiptDate: date, sequence: sequence)
    }

    /// Parses a code, or returns `nil` when it is invalid.
    public init?(_ description: String) {
        guard let code = try? DossierCode(validating: description) else { return nil }
        self = code
    }

    /// The code, e.g. `H29-260429-0001`.
    public var description: String {
        let yymmdd =
            LocalDate.pad(receiptDate.year % 100, 2) + LocalDate.pad(receiptDate.month, 2)
            + LocalDate.pad(receiptDate.day, 2)
        return "\(agency.description)-\(yymmdd)-\(LocalDate.pad(sequence, 4))"
    }

    /// The key under which the daily sequence is counted: agency and local date of receipt.
    public var sequenceKey: DailySequenceKey { DailySequenceKey(agency: agency, date: receiptDate) }

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
