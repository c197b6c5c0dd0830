import Foundation

/// An online dossier as the portal holds it: who applies for what at which agency, the form, the files, and the
/// status history from which the current status is derived.
public struct Dossier: Sendable, Hashable {
    /// The storage id; never shown in URLs.
    public var id: Int64
    /// The random reference used in URLs (32 hex digits), so that dossiers cannot be enumerated.
    public var ref: String
    /// The official dossier code, allocated at submission; nil for a draft.
    public var code: String?
    public var procedureCode: String
    public var procedureName: String
    public var agencyCode: String
    public var agencyName: String
    /// The portal account that applied; nil for a dossier reported by an agency's own system.
    public var applicantID: Int64?
    /// The current status; nil for a draft.
    public var status: DossierStatus?
    /// The applicant's details as the account held them when the draft was made.
    public var applicant: Applicant
    /// The values of the procedure's own form fields, by field name.
    public var form: [String: String]
    /// The legal clock, from reception on.
    public var clock: LegalClock?
    public var submittedAt: Date?
    public var receivedAt: Date?
    public var dueAt: Date?
    public var finishedAt: Date?
    /// The applicant's rating (1–5) after the result was returned.
    public var rating: Int?
    public var ratingComment: String?
    /// Increases with every change; an action made on an older version is a conflict.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// The status events, oldest first.
    public var events: [DossierStoredEvent]
    /// The files, oldest first.
    public var files: [DossierFile]
    /// `portal` for a dossier submitted here; `sync` for one an agency's own one-stop system reported, which that
    /// system handles (the portal only shows it).
    public var origin: String = "portal"

    /// Creates a dossier value.
    public init(
        id: Int64, ref: String, code: String?, procedureCode: String, procedureName: String, agencyCode: String,
        agencyName: String, applicantID: Int64?, status: DossierStatus?, applicant: Applicant, form: [String: String],
        clock: LegalClock?, submittedAt: Date?, receivedAt: Date?, dueAt: Date?, finishedAt: Date?, rating: Int?,
        ratingComment: String?, version: Int, createdAt: Date, updatedAt: Date, events: [DossierStoredEvent] = [],
        files: [DossierFile] = []
    ) {
        self.id = id
        self.ref = ref
        self.code = code
        self.procedureCode = procedureCode
        self.procedureName = procedureName
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.applicantID = applicantID
        self.status = status
        self.applicant = applicant
        self.form = form
        self.clock = clock
        self.submittedAt = submittedAt
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.finishedAt = finishedAt
        self.rating = rating
        self.ratingComment = ratingComment
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.events = events
        self.files = files
    }

    /// Whether the applicant may still edit the form and the application files.
    public var isDraft: Bool { status == nil }

    /// The files of one purpose.
    public func files(_ purpose: DossierFilePurpose) -> [DossierFile] { files.filter { $0.purpose == purpose } }

    /// The events that set the status, for the state machine (a late-arriving older event reported by an agency is
    /// in the timeline but did not change the status).
    public var history: [DossierEvent] { events.filter(\.applied).map(\.event) }
}

/// A status event as stored: the domain event plus the account that made it (never shown publicly).
public struct DossierStoredEvent: Sendable, Hashable {
    public var event: DossierEvent
    public var accountID: Int64?
    /// False for an agency's event that arrived after a later one: kept in the timeline, the status not moved back.
    public var applied: Bool

    /// Creates a stored event.
    public init(event: DossierEvent, accountID: Int64?, applied: Bool = true) {
        self.event = event
        self.accountID = accountID
        self.applied = applied
    }
}

/// The applicant's details, copied from the account so that the form never asks again for what the portal holds.
public struct Applicant: Sendable, Hashable, Codable {
    /// `citizen` or `business`.
    public var accountType: String
    public var fullName: String
    public var personalID: String?
    public var taxCode: String?
    public var birthDate: String?
    public var sex: String?
    public var phone: String?
    public var email: String?
    public var provinceName: String?
    public var communeName: String?

    /// Creates the details.
    public init(
        accountType: String, fullName: String, personalID: String?, taxCode: String?, birthDate: String?, sex: String?,
        phone: String?, email: String?, provinceName: String?, communeName: String?
    ) {
        self.accountType = accountType
        self.fullName = fullName
        self.personalID = personalID
        self.taxCode = taxCode
        self.birthDate = birthDate
        self.sex = sex
        self.phone = phone
        self.email = email
        self.provinceName = provinceName
        self.communeName = communeName
    }
}

/// Why a file is attached to a dossier.
public enum DossierFilePurpose: String, Sendable, Hashable, Codable, CaseIterable {
    /// Handed in with the application, in one of the procedure's slots.
    case application
    /// Handed in after the officer asked for more documents.
    case supplement
    /// The result document issued by the agency.
    case result
}

/// A stored file of a dossier. The content lives in the attachment store under its SHA-256.
public struct DossierFile: Sendable, Hashable {
    public var id: Int64
    public var purpose: DossierFilePurpose
    /// The index of the upload slot (the procedure's required document) for application files; 0 otherwise.
    public var slot: Int
    public var name: String
    public var sha256: String
    public var size: Int
    /// The sniffed kind (`pdf`, `jpeg`, `png`, `docx`, `xlsx`).
    public var kind: String
    public var createdAt: Date

    /// Creates a file record.
    public init(
        id: Int64, purpose: DossierFilePurpose, slot: Int, name: String, sha256: String, size: Int, kind: String,
        createdAt: Date
    ) {
        self.id = id
        self.purpose = purpose
        self.slot = slot
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.kind = kind
        self.createdAt = createdAt
    }
}
