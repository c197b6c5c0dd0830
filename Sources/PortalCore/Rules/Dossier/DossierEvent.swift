import Foundation

/// One status change of a dossier: the new status, when, who, why and through which channel.
public struct DossierEvent: Sendable, Hashable, Codable {
    /// The status after the change.
    public let status: DossierStatus
    /// When the change happened.
    public let at: Date
    /// Who made the change.
    public let actor: DossierActorKind
    /// The reason or remark (required for a refusal, a supplement request and a stop).
    public let note: String?
    /// The channel through which the change arrived.
    public let source: DossierEventSource

    /// Creates an event.
    public init(
        status: DossierStatus, at: Date, actor: DossierActorKind, note: String? = nil,
        source: DossierEventSource = .portal
    ) {
        self.status = status
        self.at = at
        self.actor = actor
        self.note = note
        self.source = source
    }

    /// Whether the note has visible text.
    public var hasNote: Bool { !(note ?? "").allSatisfy(\.isWhitespace) }
}
