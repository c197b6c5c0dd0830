/// Why an agency identifier was rejected.
public enum AgencyIdentifierError: BilingualError, Hashable {
    /// Neither the short form (1 group) nor the full form (4 groups).
    case wrongGroupCount(Int)
    /// A numeric group has the wrong length or a non-digit.
    case invalidGroup(String, expectedDigits: Int)
    /// The level-1 unit is not an uppercase letter followed by two digits.
    case invalidLevelOneUnit(String)

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .wrongGroupCount(let count):
            "Mã định danh cơ quan phải có dạng 000.00.00.H29 hoặc H29 (có \(count) nhóm)."
        case .invalidGroup(let group, let digits):
            "Nhóm \"\(group)\" của mã định danh cơ quan phải gồm \(digits) chữ số."
        case .invalidLevelOneUnit(let group):
            "Mã đơn vị cấp 1 \"\(group)\" phải gồm một chữ cái in hoa và hai chữ số, ví dụ H29."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .wrongGroupCount(let count):
            "An agency identifier looks like 000.00.00.H29 or H29 (this one has \(count) groups)."
        case .invalidGroup(let group, let digits):
            "Group \"\(group)\" of the agency identifier must be \(digits) digits."
        case .invalidLevelOneUnit(let group):
            "Level-1 unit \"\(group)\" must be an uppercase letter and two digits, e.g. H29."
        }
    }
}
