/// Why a tax code was rejected.
public enum TaxCodeError: BilingualError, Hashable {
    /// The code contains something other than digits and one dash.
    case notDigits
    /// The code is not 10 digits, optionally followed by `-` and 3 digits.
    case malformed
    /// Digits 3–9 are all zero.
    case zeroSequence
    /// The first nine digits admit no check digit, so no such code is issued.
    case noValidCheckDigit
    /// The tenth digit is not the check digit.
    case checkDigitMismatch(expected: Int, found: Int)
    /// The branch suffix is `000`.
    case zeroBranch

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .notDigits: "Mã số thuế chỉ gồm chữ số (và một dấu gạch ngang trước mã chi nhánh)."
        case .malformed: "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số."
        case .zeroSequence: "Chữ số thứ 3 đến 9 của mã số thuế không thể đều bằng 0."
        case .noValidCheckDigit, .checkDigitMismatch: "Chữ số kiểm tra (thứ 10) của mã số thuế không đúng."
        case .zeroBranch: "Mã chi nhánh của mã số thuế không thể là 000."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .notDigits: "A tax code contains digits only (and one dash before a branch suffix)."
        case .malformed: "A tax code is 10 digits, or 10 digits, a dash and 3 digits."
        case .zeroSequence: "Digits 3 to 9 of a tax code cannot all be zero."
        case .noValidCheckDigit, .checkDigitMismatch: "The check digit (10th digit) of the tax code is wrong."
        case .zeroBranch: "The branch suffix of a tax code cannot be 000."
        }
    }
}
