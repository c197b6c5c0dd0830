/// Who makes a status change.
public enum DossierActorKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The citizen or business that owns the dossier.
    case applicant
    /// An officer of the handling agency, through the portal.
    case officer
    /// An agency's own one-stop-shop system, reporting through the sync API.
    case agencySystem = "agency_system"
    /// The portal itself (payment callbacks, electronic result delivery).
    case system
}
