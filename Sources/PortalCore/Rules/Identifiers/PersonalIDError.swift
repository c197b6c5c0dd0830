/// Why a personal identification number was rejected, naming the part that is wrong.
public enum PersonalIDError: BilingualError, Hashable {
    /// The number contains something other than digits.
    case notDigits
    /// The number does not have 12 digits.
    case wrongLength(Int)
    /// Digits 1–3 are not a birth-registration province code.
    case unknownProvince(String)
    /// Digit 4 encodes another century than the birth date's.
    case centuryMismatch(encoded: Int, actual: Int)
    /// Digits 5–6 do not match the birth year.
    case birthYearMismatch(encoded: Int, actual: Int)
    /// Digit 4 encodes the other sex.
    case sexMismatch(encoded: Sex, actual: Sex)
    /// The birth year cannot be encoded (before 1900 or after 2399).
    case birthYearOutOfRange(Int)

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .notDigits: "Số định danh cá nhân chỉ gồm chữ số."
        case .wrongLength(let count): "Số định danh cá nhân phải có 12 chữ số (nhận được \(count))."
        case .unknownProvince(let code): "Ba chữ số đầu \"\(code)\" không phải mã tỉnh nơi đăng ký khai sinh."
        case .centuryMismatch(let encoded, let actual):
            "Chữ số thứ 4 ứng với thế kỷ bắt đầu năm \(encoded), không khớp năm sinh \(actual)."
        case .birthYearMismatch(let encoded, let actual):
            "Chữ số thứ 5–6 ứng với năm sinh \(encoded), không khớp năm sinh \(actual)."
        case .sexMismatch(let encoded, _):
            "Chữ số thứ 4 ứng với giới tính \(encoded == .male ? "nam" : "nữ"), không khớp giới tính đã khai."
        case .birthYearOutOfRange(let year): "Năm sinh \(year) nằm ngoài khoảng mã hóa được (1900–2399)."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .notDigits: "A personal identification number contains digits only."
        case .wrongLength(let count): "A personal identification number has 12 digits (got \(count))."
        case .unknownProvince(let code):
            "The first three digits \"\(code)\" are not a birth-registration province code."
        case .centuryMismatch(let encoded, let actual):
            "Digit 4 encodes the century starting \(encoded), which does not match birth year \(actual)."
        case .birthYearMismatch(let encoded, let actual):
            "Digits 5–6 encode birth year \(encoded), which does not match birth year \(actual)."
        case .sexMismatch(let encoded, _):
            "Digit 4 encodes sex \(encoded.rawValue), which does not match the sex given."
        case .birthYearOutOfRange(let year): "Birth year \(year) cannot be encoded (1900–2399)."
        }
    }
}
