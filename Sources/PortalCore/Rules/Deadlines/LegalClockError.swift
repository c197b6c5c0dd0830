import Foundation

/// Why a change to a dossier's legal clock was rejected.
public enum LegalClockError: BilingualError, Hashable {
    /// A supplement was already requested during processing (at most once).
    case supplementAlreadyRequested
    /// A supplement request must state what is missing.
    case supplementReasonRequired
    /// The clock is not paused, so it cannot resume.
    case notPaused
    /// The clock is paused; the change must wait for the supplement.
    case paused
    /// The result is ready; the clock no longer changes.
    case finished
    /// The instant is before the previous change of the clock.
    case beforePreviousChange
    /// An extension was already granted (at most once).
    case extensionAlreadyGranted
    /// An extension needs an apology notice with its text.
    case apologyRequired
    /// The new due instant is not later than the current one.
    case extensionNotLater(current: Date, requested: Date)
    /// The new due instant is outside working hours.
    case dueOutsideWorkingHours(Date)

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .supplementAlreadyRequested: "Chỉ được yêu cầu bổ sung hồ sơ một lần trong quá trình giải quyết."
        case .supplementReasonRequired: "Yêu cầu bổ sung phải nêu rõ giấy tờ cần bổ sung và lý do."
        case .notPaused: "Hồ sơ không ở trạng thái chờ bổ sung."
        case .paused: "Hồ sơ đang chờ bổ sung; thời hạn đang tạm dừng."
        case .finished: "Hồ sơ đã giải quyết xong."
        case .beforePreviousChange: "Thời điểm này sớm hơn lần thay đổi trước."
        case .extensionAlreadyGranted: "Chỉ được hẹn lại ngày trả kết quả một lần."
        case .apologyRequired: "Gia hạn phải kèm Phiếu xin lỗi và hẹn lại ngày trả kết quả."
        case .extensionNotLater: "Ngày hẹn mới phải sau ngày hẹn hiện tại."
        case .dueOutsideWorkingHours: "Ngày giờ hẹn mới phải trong giờ làm việc."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .supplementAlreadyRequested: "A supplement may be requested only once during processing."
        case .supplementReasonRequired: "A supplement request must state what is missing and why."
        case .notPaused: "The dossier is not waiting for a supplement."
        case .paused: "The dossier is waiting for a supplement; its clock is paused."
        case .finished: "The dossier has been processed."
        case .beforePreviousChange: "This instant is earlier than the previous change."
        case .extensionAlreadyGranted: "The return date may be postponed only once."
        case .apologyRequired: "An extension requires an apology notice with the new date."
        case .extensionNotLater: "The new due date must be later than the current one."
        case .dueOutsideWorkingHours: "The new due date and time must be within working hours."
        }
    }
}
