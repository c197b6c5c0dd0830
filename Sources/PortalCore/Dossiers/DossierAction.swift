import Foundation

/// A change someone asks the portal to make to a dossier. Each maps to one status of the state machine, except
/// the extension, which only moves the due date (with the apology notice the law requires).
public enum DossierAction: Sendable, Hashable {
    // The applicant's actions.
    case submit
    case supplement(note: String)
    case withdraw(reason: String)
    // The officer's actions.
    case receive
    case refuse(reason: String)
    case process
    case requestSupplement(missing: String)
    case requestPayment(amount: Int64)
    case stop(reason: String)
    case finish(note: String)
    case returnResult
    case extend(newDueAt: Date, apology: String)

    /// The status the action leads to after `history`; nil for the extension.
    public func target(after history: [DossierEvent]) -> DossierStatus? {
        switch self {
        case .submit: .submitted
        // A supplement goes back to the phase in which it was asked for.
        case .supplement: DossierStateMachine.wasReceived(history) ? .processing : .submitted
        case .withdraw: .withdrawn
        case .receive: .received
        case .refuse: .refused
        case .process: .processing
        case .requestSupplement: .supplementRequested
        case .requestPayment: .paymentRequested
        case .stop: .stopped
        case .finish: .processed
        case .returnResult: .resultReturned
        case .extend: nil
        }
    }

    /// Who makes the action.
    public var actor: DossierActorKind {
        switch self {
        case .submit, .supplement, .withdraw: .applicant
        default: .officer
        }
    }

    /// The note recorded with the event, in Vietnamese as the law's documents are.
    public var note: String? {
        switch self {
        case .supplement(let note): note.isEmpty ? nil : note
        case .withdraw(let reason), .refuse(let reason), .stop(let reason): reason
        case .requestSupplement(let missing): missing
        case .requestPayment(let amount): "Số tiền phải nộp: \(VietnameseText.formatDong(amount))"
        case .finish(let note): note.isEmpty ? nil : note
        case .extend(_, let apology): apology
        case .submit, .receive, .process, .returnResult: nil
        }
    }

    /// A stable name for logs and audit records.
    public var name: String {
        switch self {
        case .submit: "submit"
        case .supplement: "supplement"
        case .withdraw: "withdraw"
        case .receive: "receive"
        case .refuse: "refuse"
        case .process: "process"
        case .requestSupplement: "request_supplement"
        case .requestPayment: "request_payment"
        case .stop: "stop"
        case .finish: "finish"
        case .returnResult: "return_result"
        case .extend: "extend"
        }
    }
}
