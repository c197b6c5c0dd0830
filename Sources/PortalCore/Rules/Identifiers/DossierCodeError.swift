/// Why a dossier code was rejected.
public enum DossierCodeError: BilingualError, Hashable {
    /// The code does not have three parts separated by `-`.
    case wrongPartCount(Int)
    /// The agency part is invalid.
    case invalidAgency(AgencyIdentifierError)
    /// The date part is not a real `YYMMDD` date.
    case invalidDate(String)
    /// The sequence part is not four or more digits (without extra leading zeros).
    case invalidSequence(String)
    /// The sequence number is zero or too large.
    case sequenceOutOfRange(Int)
    /// The year cannot be written with two digits (2000–2099).
    case yearOutOfRange(Int)

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .wrongPartCount: "Mã hồ sơ phải có dạng <mã cơ quan>-YYMMDD-NNNN."
        case .invalidAgency(let error): "Mã hồ sơ có mã cơ quan không hợp lệ: \(error.messageVi)"
        case .invalidDate(let text): "Ngày tiếp nhận \"\(text)\" trong mã hồ sơ không hợp lệ (YYMMDD)."
        case .invalidSequence(let text): "Số thứ tự \"\(text)\" trong mã hồ sơ phải gồm ít nhất 4 chữ số."
        case .sequenceOutOfRange(let number): "Số thứ tự hồ sơ \(number) nằm ngoài khoảng cho phép."
        case .yearOutOfRange(let year): "Năm \(year) không ghi được bằng hai chữ số trong mã hồ sơ."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .wrongPartCount: "A dossier code looks like <agency identifier>-YYMMDD-NNNN."
        case .invalidAgency(let error): "The dossier code has an invalid agency: \(error.messageEn)"
        case .invalidDate(let text): "The receipt date \"\(text)\" in the dossier code is not a valid YYMMDD."
        case .invalidSequence(let text): "The sequence \"\(text)\" in the dossier code must be 4 or more digits."
        case .sequenceOutOfRange(let number): "Dossier sequence number \(number) is out of range."
        case .yearOutOfRange(let year): "Year \(year) cannot be written with two digits in a dossier code."
        }
    }
}
