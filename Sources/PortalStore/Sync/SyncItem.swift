import Foundation
import PortalCore

/// One status event an agency's one-stop system reports about a dossier it handles (the JSON sync contract).
public struct SyncItem: Sendable, Hashable {
    public var dossierCode: String
    public var procedureCode: String
    public var agency: String
    public var applicantType: Int
    public var applicantID: String
    public var applicantName: String
    public var channel: Int
    public var receivedAt: Date?
    public var dueAt: Date?
    public var status: DossierStatus
    public var eventID: String
    public var eventAt: Date
    public var note: String?
    /// A progress step of a dossier the portal must already know (the legacy `CapNhatTienDoHoSoMC`): never creates
    /// one, and takes the procedure from it.
    public var progressOnly: Bool = false

    /// Creates an item (already validated).
    public init(
        dossierCode: String, procedureCode: String, agency: String, applicantType: Int, applicantID: String,
        applicantName: String, channel: Int, receivedAt: Date?, dueAt: Date?, status: DossierStatus, eventID: String,
        eventAt: Date, note: String?
    ) {
        self.dossierCode = dossierCode
        self.procedureCode = procedureCode
        self.agency = agency
        self.applicantType = applicantType
        self.applicantID = applicantID
        self.applicantName = applicantName
        self.channel = channel
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.status = status
        self.eventID = eventID
        self.eventAt = eventAt
        self.note = note
    }
}

extension SyncItem {
    /// The applicant as an item names it.
    struct ApplicantKey: Hashable, Sendable {
        let type: Int
        let id: String
        let name: String
    }

    var applicantKey: ApplicantKey { ApplicantKey(type: applicantType, id: applicantID, name: applicantName) }

    /// The `applicant` column of a dossier this item creates: the JSON that `DossierStore.encode` makes of its
    /// `Applicant` (keys sorted, absent ones left out, strings escaped as `JSONEncoder` escapes them), written
    /// directly, since a batch creates up to hundreds of dossiers (`SyncTests` compares the two).
    func applicantColumn() -> String {
        var text = #"{"accountType":"#
        text += applicantType == 2 ? #""business""# : #""citizen""#
        text += #","fullName":"#
        JSONText.appendString(applicantName, to: &text, asJSONEncoder: true)
        // The ID is the personal ID of a citizen (type 1), the tax code of a business (type 2).
        switch applicantType {
        case 1:
            text += #","personalID":"#
            JSONText.appendString(applicantID, to: &text, asJSONEncoder: true)
        case 2:
            text += #","taxCode":"#
            JSONText.appendString(applicantID, to: &text, asJSONEncoder: true)
        default: break
        }
        return text + "}"
    }
}

/// What became of one item.
public enum SyncOutcome: String, Sendable, Hashable, Codable {
    /// The event changed the dossier's status (or created the dossier).
    case applied
    /// The same event (agency, event id) was seen before; nothing changed.
    case duplicate
    /// Older than the latest applied event: kept in the timeline, the status not moved back.
    case stale
    /// Refused; `field` and `message` say why.
    case rejected
}

/// The result of one item, in the order of the batch.
public struct SyncResult: Sendable, Hashable {
    public let index: Int
    public let dossierCode: String
    public let outcome: SyncOutcome
    public let field: String?
    public let message: String?
    /// Whether this item brought its dossier to a result for the first time (counted as processed).
    let finished: Bool

    /// A result.
    public init(index: Int, dossierCode: String, outcome: SyncOutcome, field: String? = nil, message: String? = nil) {
        self.init(
            index: index, dossierCode: dossierCode, outcome: outcome, field: field, message: message, finished: false)
    }

    init(index: Int, dossierCode: String, outcome: SyncOutcome, field: String?, message: String?, finished: Bool) {
        self.index = index
        self.dossierCode = dossierCode
        self.outcome = outcome
        self.field = field
        self.message = message
        self.finished = finished
    }
}
