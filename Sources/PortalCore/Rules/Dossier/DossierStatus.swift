/// A dossier's status, with the codes used in storage, the API and the national-portal sync (1–10).
public enum DossierStatus: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Submitted (e.g. online), not yet received by the one-stop desk.
    case submitted = 1
    /// Received by the one-stop desk; the legal clock starts.
    case received = 2
    /// Refused at reception (incomplete or invalid dossier).
    case refused = 3
    /// Being processed by the competent unit.
    case processing = 4
    /// The officer asked for more documents; the legal clock pauses.
    case supplementRequested = 5
    /// The applicant must pay taxes, fees or charges before processing continues.
    case paymentRequested = 6
    /// The applicant withdrew the dossier.
    case withdrawn = 7
    /// Processing stopped (conditions not met).
    case stopped = 8
    /// Processing finished; the result is ready to be returned.
    case processed = 9
    /// The result was returned to the applicant.
    case resultReturned = 10

    /// The official Vietnamese name.
    public var nameVi: String {
        switch self {
        case .submitted: "Mới đăng ký"
        case .received: "Được tiếp nhận"
        case .refused: "Không được tiếp nhận"
        case .processing: "Đang xử lý"
        case .supplementRequested: "Yêu cầu bổ sung giấy tờ"
        case .paymentRequested: "Yêu cầu thực hiện nghĩa vụ tài chính"
        case .withdrawn: "Công dân yêu cầu rút hồ sơ"
        case .stopped: "Dừng xử lý"
        case .processed: "Đã xử lý xong"
        case .resultReturned: "Đã trả kết quả"
        }
    }

    /// The English name.
    public var nameEn: String {
        switch self {
        case .submitted: "Submitted"
        case .received: "Received"
        case .refused: "Refused at reception"
        case .processing: "Processing"
        case .supplementRequested: "Supplement requested"
        case .paymentRequested: "Payment requested"
        case .withdrawn: "Withdrawn by the applicant"
        case .stopped: "Processing stopped"
        case .processed: "Processed, result ready"
        case .resultReturned: "Result returned"
        }
    }

    /// Whether no transition leaves this status (3, 7, 8, 10).
    public var isTerminal: Bool {
        switch self {
        case .refused, .withdrawn, .stopped, .resultReturned: true
        default: false
        }
    }

    /// Whether the dossier has a result (9 or 10): the status that ends the legal clock.
    public var hasResult: Bool { self == .processed || self == .resultReturned }

    /// Orders statuses by code.
    public static func < (lhs: DossierStatus, rhs: DossierStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}
