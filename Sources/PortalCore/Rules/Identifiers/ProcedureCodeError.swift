/// Why a procedure code was rejected.
public enum ProcedureCodeError: BilingualError, Hashable {
    /// The code is not `D.DDDDDD` with an optional agency suffix.
    case malformed(String)
    /// The suffix is not a full QCVN 102:2016 agency identifier.
    case invalidAgencySuffix(String)

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .malformed(let text): "Mã thủ tục \"\(text)\" không đúng dạng 1.001193."
        case .invalidAgencySuffix(let suffix): "Phần mã cơ quan \"\(suffix)\" của mã thủ tục không hợp lệ."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .malformed(let text): "Procedure code \"\(text)\" is not of the form 1.001193."
        case .invalidAgencySuffix(let suffix): "The agency part \"\(suffix)\" of the procedure code is invalid."
        }
    }
}
