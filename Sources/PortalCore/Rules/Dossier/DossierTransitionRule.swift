/// One allowed status change: from, to, who may make it and why it exists.
public struct DossierTransitionRule: Sendable, Hashable {
    /// The status before; `nil` for the first event of a dossier.
    public let from: DossierStatus?
    /// The status after.
    public let to: DossierStatus
    /// The actors who may make the change through the portal.
    public let actors: Set<DossierActorKind>
    /// Why the change exists, for the documentation.
    public let reason: String

    /// Creates a rule.
    public init(from: DossierStatus?, to: DossierStatus, actors: Set<DossierActorKind>, reason: String) {
        self.from = from
        self.to = to
        self.actors = actors
        self.reason = reason
    }
}
