import Foundation

/// Why a status change was rejected.
public enum DossierTransitionError: BilingualError, Hashable {
    /// The table has no such change (`from` is `nil` for a first event).
    case illegalTransition(from: DossierStatus?, to: DossierStatus)
    /// The change exists, but this actor may not make it.
    case actorNotAllowed(from: DossierStatus?, to: DossierStatus, actor: DossierActorKind)
    /// The dossier is already in a terminal status.
    case alreadyTerminal(DossierStatus)
    /// The event repeats the current status.
    case noChange(DossierStatus)
    /// The event is earlier than the last one.
    case outOfOrder(previous: Date, event: Date)
    /// A refusal, a supplement request or a stop needs a reason.
    case reasonRequired(DossierStatus)
    /// A supplement was already requested in this phase (reception or processing).
    case supplementAlreadyRequested

    /// The message in Vietnamese.
    public var messageVi: String {
        switch self {
        case .illegalTransition(let from, let to):
            "Không thể chuyển hồ sơ từ trạng thái \"\(from?.nameVi ?? "chưa có")\" sang \"\(to.nameVi)\"."
        case .actorNotAllowed(_, let to, _): "Bạn không có quyền chuyển hồ sơ sang trạng thái \"\(to.nameVi)\"."
        case .alreadyTerminal(let status): "Hồ sơ đã kết thúc ở trạng thái \"\(status.nameVi)\"."
        case .noChange(let status): "Hồ sơ đã ở trạng thái \"\(status.nameVi)\"."
        case .outOfOrder: "Thời điểm chuyển trạng thái sớm hơn lần chuyển trước."
        case .reasonRequired(let status): "Cần nêu rõ lý do khi chuyển sang trạng thái \"\(status.nameVi)\"."
        case .supplementAlreadyRequested: "Chỉ được yêu cầu bổ sung hồ sơ một lần."
        }
    }

    /// The message in English.
    public var messageEn: String {
        switch self {
        case .illegalTransition(let from, let to):
            "A dossier cannot go from \"\(from?.nameEn ?? "no status")\" to \"\(to.nameEn)\"."
        case .actorNotAllowed(_, let to, let actor): "A \(actor.rawValue) may not move a dossier to \"\(to.nameEn)\"."
        case .alreadyTerminal(let status): "The dossier is closed with status \"\(status.nameEn)\"."
        case .noChange(let status): "The dossier is already \"\(status.nameEn)\"."
        case .outOfOrder: "The change is earlier than the previous one."
        case .reasonRequired(let status): "A reason is required to move a dossier to \"\(status.nameEn)\"."
        case .supplementAlreadyRequested: "A supplement may be requested only once."
        }
    }
}
